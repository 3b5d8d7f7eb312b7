"""`renovation registry` — other departments' registry snapshots (参照数据, for 数据比对).

`import` loads one file as the snapshot of a kind as of a date, signed in; `list` shows what was
loaded (no personal data: open like the other masked reads). Exit codes of `import`: 0 every
row imported (or the same file imported before), 1 some rows rejected (the others imported) or
refused by a rule, 2 the file cannot be used (unreadable, a required column missing), 3 the
store failed (nothing of the snapshot's rows stays: run the same command again).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from renovation.aggregates.registry import RegistryKind
from renovation.application.registries import RegistryImportReport
from renovation.cli.common import emit, runtime, signed_in
from renovation.cli.importing import JsonOption, RejectsFile, RejectsOption, rejects_path
from renovation.registry.kinds import KINDS
from renovation.registry.parsing import RegistryFileError

app = typer.Typer(help="Registry snapshots of other departments (参照数据: 低保, 户籍, 车辆 …).",
                  no_args_is_help=True)

KIND_HELP = "; ".join(f"{k.value} {spec.label} ({spec.department})" for k, spec in KINDS.items())


@app.command("import")
def import_registry(
    kind: Annotated[str, typer.Argument(metavar="KIND", help=f"The registry: {KIND_HELP}.")],
    path: Annotated[Path, typer.Argument(metavar="FILE", help="A .csv (UTF-8) or .xlsx file.")],
    as_of: Annotated[str, typer.Option(
        "--as-of", help="The date the department's data describes (YYYY-MM-DD).")],
    department: Annotated[str, typer.Option(
        "--department", help="The department that supplied it, e.g. 灵川县民政局.")],
    rejects: RejectsOption = None,
    json_output: JsonOption = False,
) -> None:
    """Load FILE as the KIND snapshot as of --as-of, as the signed-in principal; the same file
    again imports nothing twice. Rejected rows go to FILE.rejects.jsonl (by row and column)."""
    try:
        day = date.fromisoformat(as_of)
    except ValueError:
        _unusable(RegistryFileError("registry.as_of", "as_of", as_of[:40],
                                    f"--as-of {as_of[:40]!r} is not a date (YYYY-MM-DD)"))
    target = rejects_path(path, rejects)
    with _Rejects(target) as sink, signed_in(quiet=True) as (rt, me):
        try:
            report = rt.registries.import_file(me, path, kind=kind, as_of=day,
                                               department=department, rejects=sink)
        except RegistryFileError as error:
            _unusable(error)
        sink.keep_earlier = report.already_imported
    _finish(report, sink, json_output)


@app.command("list")
def list_snapshots(
    kind: Annotated[str | None, typer.Option(
        "--kind", help=f"Only this kind: {', '.join(k.value for k in RegistryKind)}.")] = None,
    json_output: JsonOption = False,
) -> None:
    """The loaded snapshots: kind, date, department, rows kept and rejected, who loaded them
    when, the snapshot id and the file's SHA-256."""
    with runtime(quiet=True) as rt:
        found = [record.to_dict() for record in rt.registries.snapshots(kind)]
    if json_output:
        emit({"snapshots": found})
        return
    if not found:
        typer.echo("no registry snapshots imported")
    for s in found:
        typer.echo(f"{s['kind']:<22} {s['as_of']}  {s['department']}  {s['rows']} rows,"
                   f" {s['rejected']} rejected  {s['imported_at'][:19]} by {s['imported_by']}"
                   f"  {s['snapshot_id']}  sha256 {s['sha256']}")


class _Rejects(RejectsFile):
    """The JSONL import's rejects file, by row; a file already imported reads no row, so the
    rejects file of its first import is left as it was."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, "row")
        self.keep_earlier = False

    def __exit__(self, *exc: object) -> None:
        if self._handle is None and self.keep_earlier:
            return
        super().__exit__(*exc)


def _unusable(error: RegistryFileError) -> NoReturn:
    typer.echo(json.dumps(error.to_dict(), ensure_ascii=False), err=True)
    raise typer.Exit(2)


def _finish(report: RegistryImportReport, sink: _Rejects, json_output: bool) -> None:
    kept = sink.keep_earlier and sink.path.is_file()
    written = str(sink.path) if sink.count or kept else None
    if json_output:
        emit({**report.to_dict(), "rejects_file": written})
    elif report.already_imported:
        typer.echo(f"{report.kind} as of {report.as_of}: already imported from this file"
                   f" (snapshot {report.snapshot_id}, {report.rows} rows, by"
                   f" {report.imported_by} at {report.imported_at[:19]}); nothing written")
    else:
        typer.echo(f"{report.kind} as of {report.as_of} ({report.department}): {report.rows}"
                   f" rows imported, {report.rejected} rejected in {report.elapsed_seconds:.1f} s"
                   f" — snapshot {report.snapshot_id}")
        if report.ignored_columns:
            ignored = "、".join(report.ignored_columns)
            typer.echo(f"columns ignored (not read, not stored): {ignored}")
        if written:
            typer.echo(f"rejected rows written to {written}")
    if not report.already_imported and report.rejected:
        raise typer.Exit(1)
