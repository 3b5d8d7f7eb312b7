"""The table printed after a run, the run's JSON file, and the summary kept in the docs."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from renovation.bench.machine import one_line
from renovation.bench.targets import BY_KEY, FIGURES, STEPS, Result


def markers(data: dict[str, Any]) -> tuple[str, str]:
    """The docs page keeps one block per mode and backend: `<!-- bench:full-sqlite:start -->`."""
    key = f"{'quick' if data['quick'] else 'full'}-{data['backend']}"
    return f"<!-- bench:{key}:start -->", f"<!-- bench:{key}:end -->"


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ratio":
        return f"{value:.0%}"
    if unit in ("ms",):
        return f"{value:.2f} ms"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:,.0f} {unit}"


def rows(results: list[Result], backend: str) -> list[list[str]]:
    """One row per figure in the order of FIGURES: figure, measured, bare library, target, mark."""
    by_key = {r.key: r for r in results}
    table = []
    for figure in FIGURES:
        result = by_key.get(figure.key)
        target = figure.targets.get(backend)
        target_text = target.describe(figure.unit) if target else "(no target)"
        if result is None:
            table.append([figure.label, "not run", "—", target_text, "—"])
            continue
        baseline = _number(result.baseline, _baseline_unit(result)) if result.baseline else "—"
        if result.baseline_label and result.baseline:
            baseline = f"{baseline} ({result.baseline_label})"
        table.append([figure.label, _number(result.value, figure.unit), baseline, target_text,
                      result.verdict(backend)])
    return table


def _baseline_unit(result: Result) -> str:
    return str(result.detail.get("baseline_unit", result.figure.unit))


HEADERS = ["figure", "measured", "bare library, same run", "target", "mark"]


def text_table(results: list[Result], backend: str) -> str:
    body = rows(results, backend)
    widths = [max(len(h), *(len(r[i]) for r in body)) for i, h in enumerate(HEADERS)]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(h.ljust(w) for h, w in zip(HEADERS, widths, strict=True)), line]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in body]
    return "\n".join(out)


def markdown_table(results: list[Result], backend: str) -> str:
    body = rows(results, backend)
    out = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    out += ["| " + " | ".join(r) + " |" for r in body]
    return "\n".join(out)


def document(run: dict[str, Any], results: list[Result]) -> dict[str, Any]:
    backend = run["backend"]
    return {**run, "results": [r.to_dict(backend) for r in results]}


def write_json(directory: Path, data: dict[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    mode = "quick" if data.get("quick") else "full"
    path = directory / f"{stamp}-{data['backend']}-{mode}-{data['cases']}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
    return path


def summary(data: dict[str, Any], results: list[Result]) -> str:
    mode = "quick" if data["quick"] else "full"
    return "\n".join([
        f"Latest {mode} run on {data['backend']}: {data['cases']:,} cases,"
        f" {data['events']:,} events; {data['started'][:16].replace('T', ' ')} UTC,"
        f" {data['seconds'] / 60:.1f} minutes.",
        f"Machine: {one_line(data['machine'])} (shared, noisy).",
        *_unfinished(data),
        *_codes(data),
        "",
        markdown_table(results, data["backend"]),
    ])


def _unfinished(data: dict[str, Any]) -> list[str]:
    missing = [name for name in STEPS if name not in data.get("phases", STEPS)]
    if not missing:
        return []
    return [f"The run stopped before these phases finished: {', '.join(missing)};"
            " their figures are marked \"not run\"."]


def _codes(data: dict[str, Any]) -> list[str]:
    """A resumed run may have measured its phases with different commits: say which."""
    by_code: dict[str, list[str]] = {}
    for name, code in data.get("codes", {}).items():
        by_code.setdefault(code or "unrecorded", []).append(name)
    if len(by_code) < 2:
        return []
    parts = [f"{code} ({', '.join(names)})" for code, names in by_code.items()]
    return [f"Resumed: phases ran with different commits: {'; '.join(parts)}."]


def from_document(document: dict[str, Any]) -> tuple[dict[str, Any], list[Result]]:
    """A run's JSON file (as `document` wrote it) back into its run data and figures."""
    data = {key: value for key, value in document.items() if key != "results"}
    results = [Result(key=r["key"], value=r["value"], baseline=r.get("baseline"),
                      baseline_label=r.get("baseline_label", ""), detail=r.get("detail", {}))
               for r in document.get("results", []) if r.get("key") in BY_KEY]
    return data, results


def replace_block(text: str, start: str, end: str, body: str) -> str | None:
    """`text` with what lies between the `start` and `end` lines replaced by `body`, every other
    byte kept; None when the markers are missing."""
    if start not in text or end not in text.split(start, 1)[1]:
        return None
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{body}\n{end}{tail}"


def update_docs(path: Path, data: dict[str, Any], results: list[Result]) -> bool:
    """Replace this run's marked block of the docs page; False when the page lacks it."""
    if not path.exists():
        return False
    text = path.read_bytes().decode("utf-8")  # as stored: no newline translation either way
    replaced = replace_block(text, *markers(data), summary(data, results))
    if replaced is None:
        return False
    if replaced != text:
        path.write_bytes(replaced.encode("utf-8"))
    return True
