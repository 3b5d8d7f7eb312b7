"""线索命中率 — how well the findings match a scenario's known irregular cases.

A scenario written by someone who did not read the rules names its irregular cases, not our rule
ids: the expected file is a CSV with a `case_ref` column (and optionally `rule`, when the writer
does know the rule id). Recall is the share of expected cases some finding names; precision the
share of the cases findings name that were expected. With rule ids given, a case counts as
found only under one of its expected rules.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from renovation.kernel.errors import InvalidInputError


def read_expected(path: Path) -> dict[str, set[str]]:
    """Case ref → the expected rule ids (empty: any rule)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or "case_ref" not in reader.fieldnames:
            raise InvalidInputError("score.columns", "case_ref", str(reader.fieldnames),
                                    f"{path.name} needs a header row with a case_ref column")
        expected: dict[str, set[str]] = {}
        for number, row in enumerate(reader, start=2):
            ref = (row.get("case_ref") or "").strip()
            if not ref:
                raise InvalidInputError("score.case_ref", "case_ref", f"row {number}",
                                        f"row {number} of {path.name} has no case_ref")
            rules = expected.setdefault(ref, set())
            if (row.get("rule") or "").strip():
                rules.add(row["rule"].strip())
    return expected


def read_refused(path: Path) -> dict[str, set[str]]:
    """Case ref → the rules an import refused its commands under (an import's rejects file).

    A refusal stops an irregular act before it is recorded: for the score it names the case as
    a finding does. Lines refused before they could be read as a command name no case."""
    refused: dict[str, set[str]] = {}
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise InvalidInputError("score.rejects_line", "line", number,
                                        f"line {number} of {path.name} is not JSON: {error}",
                                        ) from None
            ref = row.get("case_ref") if isinstance(row, dict) else None
            if isinstance(ref, str) and ref:
                refused.setdefault(ref, set()).add(str(row.get("rule")))
    return refused


def score(expected: dict[str, set[str]], findings: Iterable[dict[str, Any]],
          refused: dict[str, set[str]] | None = None) -> dict[str, Any]:
    """Recall and precision at the level of cases, with what was missed and what was extra;
    cases whose commands were refused count as flagged (`prevented` lists those that only a
    refusal names)."""
    named: dict[str, set[str]] = {}
    for item in findings:
        for ref in item["case_refs"]:
            named.setdefault(ref, set()).add(item["rule"])
    prevented = sorted(set(refused or {}) - set(named))
    for ref, rules in (refused or {}).items():
        named.setdefault(ref, set()).update(f"refused:{rule}" for rule in rules)
    hit = {ref for ref, rules in expected.items()
           if ref in named and (not rules or rules & named[ref])}
    extra = sorted(set(named) - set(expected))
    flagged = len(set(named) & set(expected)) + len(extra)
    return {
        "expected": len(expected), "flagged": flagged, "found": len(hit),
        "recall": round(len(hit) / len(expected), 4) if expected else None,
        "precision": round(len(hit) / flagged, 4) if flagged else None,
        "missed": sorted(set(expected) - hit), "unexpected": extra, "prevented": prevented,
    }
