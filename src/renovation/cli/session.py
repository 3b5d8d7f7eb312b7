"""`renovation login`, `logout`, `whoami` — signing in at the command line.

`login` asks for the password (or reads it from standard input with `--password-stdin`), and
keeps the session token for this store in the user's config directory (mode 0600). Every
command that records an act then acts as that member of staff, until `logout` or expiry.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from renovation.application.directory import AuthenticationError
from renovation.application.directory.authentication import MAX_SESSION_HOURS, SESSION_HOURS
from renovation.cli.common import (
    emit,
    principal,
    refusals,
    runtime,
    save_session,
    saved_session,
    settings,
)

PasswordStdin = Annotated[bool, typer.Option(
    "--password-stdin", help="Read the password from the first line of standard input.")]


def read_password(from_stdin: bool, confirm: bool = False) -> str:
    """The password, from stdin's first line or a hidden prompt (never an argument)."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("password", hide_input=True, confirmation_prompt=confirm))


def login(
    staff_id: Annotated[str, typer.Argument(help="Your staff id.")],
    password_stdin: PasswordStdin = False,
    hours: Annotated[int, typer.Option(
        "--hours", min=1, max=MAX_SESSION_HOURS, help="How long the session lasts.")
    ] = SESSION_HOURS,
) -> None:
    """Sign in (the session is kept for this store until logout or expiry)."""
    password = read_password(password_stdin)
    with runtime(quiet=True) as rt:
        issued = rt.auth.sign_in(staff_id, password, hours)
        save_session(rt.settings, issued)
    typer.echo(f"signed in as {issued.staff_id} until {issued.expires_at:%Y-%m-%d %H:%M} UTC")


def logout() -> None:
    """Sign out: the session's token is revoked and forgotten."""
    current = settings(quiet=True)
    if saved_session(current) is None:
        typer.echo("not signed in to this store")
        return
    with runtime(quiet=True) as rt:
        try:
            me = principal(rt)
        except AuthenticationError:
            save_session(rt.settings, None)
            typer.echo("the session had already ended (expired or revoked); forgotten")
            return
        rt.auth.sign_out(me)
        save_session(rt.settings, None)
    typer.echo("signed out")


def whoami() -> None:
    """Who you are signed in as, and the roles you hold today."""
    with refusals(), runtime(quiet=True) as rt:
        me = principal(rt)
        today = rt.pipeline.today()
        emit({"staff_id": me.staff_id, "token_id": me.token_id,
              "roles": [{"role": g.role.value, "jurisdiction": g.jurisdiction,
                         "valid_from": g.valid_from.isoformat(),
                         "valid_until": g.valid_until.isoformat() if g.valid_until else None}
                        for g in me.held_on(today)]})
