"""`renovation case` and `renovation execute` — one case's state, one command."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from renovation.application.views import case_summary
from renovation.cli.common import emit, runtime

app = typer.Typer(help="Look at a case.", no_args_is_help=True)


@app.command("show")
def show(case_ref: str) -> None:
    """Where a case stands now (masked personal data only)."""
    with runtime() as rt:
        emit(case_summary(rt.service.load_case(case_ref)))


def execute(
    source: Annotated[Path, typer.Argument(help="A JSON file with one command, or - for stdin.")],
) -> None:
    """Apply one command given as JSON; prints its outcome, exits 1 if a rule refuses it."""
    text = sys.stdin.read() if str(source) == "-" else source.read_text(encoding="utf-8")
    with runtime() as rt:
        emit(rt.service.execute(text).to_dict())
