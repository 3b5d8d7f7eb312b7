"""`renovation stream relay` — published events into NATS JetStream (docs/stream.md)."""

from __future__ import annotations

import asyncio
import signal
from typing import Annotated

import nats.errors
import typer

from renovation.application.app import RenovationApp
from renovation.cli.common import refusals, settings
from renovation.secrets_config import require_store
from renovation.stream.relay import PREFIX, STREAM, Relay, RelayStalledError

app = typer.Typer(help="The event stream for integrators.", no_args_is_help=True)


@app.command("relay")
def relay(
    nats_url: Annotated[str, typer.Option("--nats", help="The NATS server.")
                        ] = "nats://127.0.0.1:4222",
    once: Annotated[bool, typer.Option(
        help="Publish up to the head of the log, then exit (else follow).")] = False,
    stream: Annotated[str, typer.Option(help="The JetStream stream.")] = STREAM,
    prefix: Annotated[str, typer.Option(help="The subjects' first token.")] = PREFIX,
) -> None:
    """Publish every event the stream does not hold yet to `PREFIX.<county>.<type>`; safe to
    kill and restart at any point (it resumes from the stream's last event)."""
    current = settings()
    with refusals():
        require_store(current)
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    store = RenovationApp(current.db)
    try:
        with refusals():
            report = asyncio.run(Relay(store, nats_url, stream, prefix).run(
                once=once, stop=lambda: stopping))
    except (RelayStalledError, OSError, nats.errors.Error) as error:
        typer.echo(f"relay stopped: {error}", err=True)
        raise typer.Exit(3) from None
    finally:
        store.close()
    typer.echo(f"published {report.published} events; the stream holds the log up to"
               f" position {report.position}")
