"""Scoring the findings against a scenario's known irregular cases: recall and precision by case."""

from __future__ import annotations

from pathlib import Path

import pytest

from renovation.fraud.scoring import read_expected, score
from renovation.kernel.errors import InvalidInputError


def finding(rule: str, *refs: str) -> dict[str, object]:
    return {"rule": rule, "case_refs": list(refs)}


def test_recall_and_precision_count_cases_named_by_any_finding() -> None:
    expected = {"A": set(), "B": set(), "C": set(), "D": set()}
    found = [finding("shared_account", "A", "X"), finding("registry_vehicle", "B"),
             finding("backdated", "C")]
    result = score(expected, found)
    assert (result["found"], result["flagged"]) == (3, 4)
    assert (result["recall"], result["precision"]) == (0.75, 0.75)
    assert (result["missed"], result["unexpected"]) == (["D"], ["X"])


def test_a_case_expected_under_a_rule_is_found_only_under_that_rule() -> None:
    result = score({"A": {"registry_vehicle"}}, [finding("backdated", "A")])
    assert result["found"] == 0 and result["missed"] == ["A"]


def test_the_expected_file_needs_a_case_ref_column(tmp_path: Path) -> None:
    path = tmp_path / "expected.csv"
    path.write_text("ref,rule\nA,x\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as refused:
        read_expected(path)
    assert refused.value.rule == "score.columns"


def test_the_expected_file_reads_rules_per_case(tmp_path: Path) -> None:
    path = tmp_path / "expected.csv"
    path.write_text("\ufeffcase_ref,rule\nA,registry_vehicle\nA,backdated\nB,\n",
                    encoding="utf-8")
    assert read_expected(path) == {"A": {"registry_vehicle", "backdated"}, "B": set()}
