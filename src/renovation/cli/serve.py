"""`renovation serve` — the HTTP API and the dashboard, with the read models followed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from renovation.api import create_app
from renovation.audit.checkpoint import load_private_key
from renovation.audit.scheduled import CheckpointSchedule
from renovation.cli.common import refusals, settings
from renovation.config import Settings
from renovation.secrets_config import require_store

SHUTDOWN_GRACE_S = 5


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    no_projections: Annotated[bool, typer.Option(
        "--no-projections",
        help="Do not follow the read models here (a `projections run` worker does).")] = False,
    checkpoints: Annotated[Path | None, typer.Option(
        help="Signed checkpoints that downloaded archives are proved against"
             " (else RENOVATION_CHECKPOINTS).")] = None,
    public_key: Annotated[Path | None, typer.Option(
        help="The checkpoints' public key, PEM (else RENOVATION_AUDIT_PUBLIC_KEY).")] = None,
) -> None:
    """Serve the API (/api, /docs) and the dashboard pages at http://HOST:PORT/."""
    current = settings()
    overrides = {"checkpoints": checkpoints, "audit_public_key": public_key}
    current = current.model_copy(update={k: v for k, v in overrides.items() if v is not None})
    with refusals():
        require_store(current)
    app = create_app(current, follow=not no_projections)
    typer.echo(f"serving {current.db.split('@')[-1]} at http://{host}:{port}/ (API docs: /docs)")
    # Live streams (/events/stream) never end by themselves: on SIGTERM they get a few
    # seconds, then are cut, and their consumers resume elsewhere from Last-Event-ID.
    schedule = _checkpoints(current)
    try:
        uvicorn.run(app, host=host, port=port, log_level=current.log_level.lower(),
                    access_log=False, timeout_graceful_shutdown=SHUTDOWN_GRACE_S)
    finally:
        if schedule is not None:
            schedule.stop()


def _checkpoints(current: Settings) -> CheckpointSchedule | None:
    """Scheduled checkpoints, when the deployment gave the server a key and a directory."""
    if current.checkpoint_key is None:
        return None
    if current.checkpoints is None:
        typer.echo("error: RENOVATION_CHECKPOINT_KEY needs RENOVATION_CHECKPOINTS", err=True)
        raise typer.Exit(2)
    key = load_private_key(current.checkpoint_key)
    typer.echo(f"signing a checkpoint into {current.checkpoints} every"
               f" {current.checkpoint_minutes:g} minutes while events arrive")
    return CheckpointSchedule(current.db, key, current.checkpoints,
                              current.checkpoint_minutes * 60).start()
