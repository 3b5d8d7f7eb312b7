"""`renovation divisions` — the names of division codes shown beside them (行政区划名称)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from renovation.cli.common import emit, refusals, settings
from renovation.projections import open_database
from renovation.projections.divisions import read_csv, save_names

app = typer.Typer(help="Names of division codes (行政区划).", no_args_is_help=True)


@app.command("import")
def import_names(path: Annotated[Path, typer.Argument(
        metavar="FILE.csv", help="A CSV with the header code,name (UTF-8).")]) -> None:
    """Add or rename divisions; every row is checked before any is written."""
    with refusals():
        rows = read_csv(path)
        views = open_database(settings(quiet=True).views_url())
        try:
            emit({"saved": save_names(views, rows)})
        finally:
            views.dispose()
