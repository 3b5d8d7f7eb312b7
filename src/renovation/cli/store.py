"""`renovation store` — what the event store holds."""

from __future__ import annotations

import typer

from renovation.cli.common import emit, runtime

app = typer.Typer(help="The event store.", no_args_is_help=True)


@app.command("info")
def info() -> None:
    """Backend, and the position of the last recorded event."""
    with runtime() as rt:
        emit({
            "backend": "postgresql" if rt.settings.is_postgres else "sqlite",
            "store": rt.settings.db.split("@")[-1],
            "head_position": rt.app.recorder.max_notification_id() or 0,
        })
