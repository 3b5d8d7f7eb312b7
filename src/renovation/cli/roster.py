"""`renovation roster import` — file a village's application roster (申请名册, .xlsx).

Exit codes as for `renovation import`: 0 every row filed (now or before), 1 some rows rejected,
2 the workbook cannot be used (unreadable, or its header row is not a roster's).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from renovation.application.importing import DEFAULT_BATCH_SIZE, UnreadableFileError
from renovation.application.programmes import ProgrammeCatalog
from renovation.application.roster import RosterContext, RosterFormatError, import_roster
from renovation.cli.common import signed_in
from renovation.cli.importing import JsonOption, RejectsFile, RejectsOption, fail, finish
from renovation.cli.importing import rejects_path as default_rejects_path

app = typer.Typer(help="Application rosters (申请名册) as Excel workbooks.", no_args_is_help=True)


@app.command("import")
def import_workbook(
    path: Annotated[Path, typer.Argument(metavar="FILE.xlsx", help="The roster workbook.")],
    programme: Annotated[str, typer.Option("--programme", help="Programme id, e.g. guilin-2022.")],
    occurred_on: Annotated[
        str, typer.Option("--occurred-on", help="Date the applications were filed (YYYY-MM-DD).")
    ],
    clerk_id: Annotated[str | None, typer.Option(
        "--village-clerk-id",
        help="The village clerk who filed the applications (default: you, signed in).")] = None,
    rejects: RejectsOption = None,
    json_output: JsonOption = False,
) -> None:
    """File each row as a submit_application, as the signed-in principal; importing the roster
    again files nothing twice."""
    try:
        context = RosterContext(programme, clerk_id, date.fromisoformat(occurred_on))
    except ValueError:
        fail(f"--occurred-on {occurred_on!r} is not a date (YYYY-MM-DD)")
    if not path.is_file():
        fail(f"{path}: no such file" if not path.exists() else f"{path}: not a file")
    target = default_rejects_path(path, rejects)
    with RejectsFile(target, "row") as sink, signed_in(quiet=True) as (rt, me):
        ProgrammeCatalog(rt.app).programme(programme)  # an unknown programme: refused once
        try:
            report = import_roster(
                path, rt.service, me, context, batch_size=DEFAULT_BATCH_SIZE, rejects=sink
            )
        except (UnreadableFileError, RosterFormatError) as error:
            fail(error.message)
    finish(path, report, sink, json_output)
