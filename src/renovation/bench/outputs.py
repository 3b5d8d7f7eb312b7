"""Where a run's results go, and the docs page's generated blocks rewritten from a result file.

A quick run is scratch: its JSON and its table go under `var/bench/results/` (untracked) and no
tracked file changes. A full run is a kept measurement: its JSON goes to `bench/results/` and
its block of docs/benchmarks.md is rewritten, as `--update-docs` does from any result file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from renovation.bench import report

KEPT = Path("bench/results")
"""Full runs' JSON, tracked: the measurements docs/benchmarks.md quotes."""
SCRATCH_RESULTS = Path("var/bench/results")
"""Quick runs' JSON and tables, untracked."""
DOCS = Path("docs/benchmarks.md")


@dataclass(frozen=True)
class Destinations:
    """Where one run's outputs go: the JSON's folder, and the docs page (None: left alone)."""

    results: Path
    docs: Path | None


def destinations(root: Path, quick: bool, results: Path | None = None,
                 docs: Path | None = None, scratch: Path | None = None) -> Destinations:
    """A quick run writes under the scratch folder (`root/var/bench/`) only; a full run into
    `root/bench/results/` and the docs page. An explicit `results` folder wins for either."""
    if quick:
        folder = scratch / SCRATCH_RESULTS.name if scratch else root / SCRATCH_RESULTS
        return Destinations(results or folder, None)
    return Destinations(results or root / KEPT, docs or root / DOCS)


def keep(data: dict[str, Any], results: list[report.Result], where: Destinations
         ) -> list[str]:
    """Write the run's JSON (and for a quick run its table beside it); rewrite the docs block of
    a full run. Returns what was written, one line each."""
    saved = report.write_json(where.results, report.document(data, results))
    said = [f"JSON: {saved}"]
    if where.docs is None:
        table = saved.with_suffix(".md")
        table.write_text(report.summary(data, results) + "\n")
        said += [f"table: {table}",
                 f"docs/benchmarks.md left alone; to show this run there: "
                 f"scripts/bench --update-docs {saved}"]
    elif report.update_docs(where.docs, data, results):
        said.append(f"summary written to {where.docs}")
    return said


def newest_full(directory: Path) -> Path | None:
    """The latest full run's JSON in `directory` (file names start with the UTC time)."""
    found = sorted(directory.glob("*-full-*.json"), key=lambda path: path.name)
    return found[-1] if found else None


class NoResultError(Exception):
    """`--update-docs` found no result file to show."""


def update_docs(docs: Path, result: Path | None, kept: Path) -> tuple[Path, str]:
    """Rewrite the block of `docs` for the run in `result` (else the newest full run in `kept`):
    (the file used, its block's name). Every byte outside the block stays as it was."""
    chosen = result or newest_full(kept)
    if chosen is None:
        raise NoResultError(f"no full run in {kept}: name a result file")
    data, results = report.from_document(json.loads(chosen.read_text()))
    start, _ = report.markers(data)
    block = start.removeprefix("<!-- bench:").removesuffix(":start -->")
    if not report.update_docs(docs, data, results):
        raise NoResultError(f"{docs} has no block {start} … for this {block} run")
    return chosen, block
