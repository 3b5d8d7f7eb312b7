"""`renovation household` — a household's personal data: erasure (个人信息删除)."""

from __future__ import annotations

from typing import Annotated

import typer

from renovation.cli.common import emit, signed_in

app = typer.Typer(help="A household's personal data (个人信息).", no_args_is_help=True)


@app.command("erase")
def erase(
    case_ref: Annotated[str, typer.Argument(help="A case of the household (450321-2022-0001).")],
    reason: Annotated[str, typer.Option("--reason", help="The request and its legal basis"
                                        " (recorded with the erasure).")],
) -> None:
    """Erase the household's personal data everywhere by destroying its key (crypto-shredding).

    Recorded with who, when and why; the events stay, so the audit chain still verifies, and
    readers show the values as erased. Every case of the household must be over. Exit 1 when
    a rule refuses it.
    """
    with signed_in(quiet=True) as (rt, me):
        emit(rt.erasures.erase(me, case_ref, reason))
