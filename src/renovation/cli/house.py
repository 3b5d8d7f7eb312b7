"""`renovation house record` — what villages find about houses (农房安全动态监测), act by act."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from renovation.application.house_inputs import HOUSE_ACT_TYPES
from renovation.cli.common import emit, refusals, signed_in

app = typer.Typer(help="House records: patrols, reports, gradings, resolutions (农房监测).",
                  no_args_is_help=True)

RECORD_HELP = (
    "Record acts on houses as the signed-in official. Each act is a JSON object whose `type` is"
    f" one of: {', '.join(HOUSE_ACT_TYPES)}. Exit 1 at the first refused act: the acts before"
    " it stay recorded, the refused one wrote nothing.")


@app.command("record", help=RECORD_HELP)
def record(
    act: Annotated[str | None, typer.Argument(help="One act as JSON; omit with --file.")] = None,
    file: Annotated[Path | None, typer.Option(
        "--file", help="A JSON-lines file of acts, applied in order; '-' reads stdin.")] = None,
) -> None:
    if (act is None) == (file is None):
        raise typer.BadParameter("give one act as JSON, or --file")
    with signed_in(quiet=True) as (rt, me), refusals():
        for parsed in _acts([act] if act is not None else _lines(file)):
            emit(rt.houses.act(me, parsed))


def _lines(file: Path | None) -> Iterator[str]:
    if str(file) == "-":
        yield from sys.stdin
        return
    with Path(str(file)).open(encoding="utf-8") as lines:
        yield from lines


def _acts(lines: Iterator[str] | list[str]) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            raise typer.BadParameter(f"line {number}: not JSON ({error.msg})") from None
        if not isinstance(value, dict):
            raise typer.BadParameter(f"line {number}: an act is a JSON object")
        yield value
