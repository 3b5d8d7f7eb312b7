"""`renovation audit` — tamper evidence (审计): signing keys, signed checkpoints, verification.

Exit codes: 0 intact (warnings allowed); 1 a break, named by its first position; 2 unusable input.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from renovation.audit.checkpoint import (
    generate_keys,
    load_private_key,
    load_public_key,
    parse_checkpoint,
)
from renovation.audit.report import READ_MODEL_MISMATCH, Problem, Report
from renovation.audit.scheduled import NotSignedError, take_checkpoint
from renovation.audit.verify import verify_store
from renovation.audit.verify_dossier import verify_dossier
from renovation.cli.common import emit, refusals
from renovation.cli.progress import ProgressOption, positions, progress_bar
from renovation.cli.projections import existing
from renovation.config import Settings
from renovation.secrets_config import head_public_key

app = typer.Typer(help="Tamper evidence for the event store (审计).", no_args_is_help=True)

Json = Annotated[bool, typer.Option("--json", help="Print the report as JSON.")]


@app.command("keygen")
def keygen(
    out: Annotated[Path, typer.Option("--out", help="Directory for the new key pair.")],
) -> None:
    """Create an Ed25519 signing key pair (private key mode 0600). Keep it off the database host."""
    private, public, key_id = generate_keys(out)
    emit({"private_key": str(private), "public_key": str(public), "key_id": key_id})


@app.command("checkpoint")
def checkpoint(
    key: Annotated[Path, typer.Option("--key", help="The private signing key (PEM).")],
    out: Annotated[Path, typer.Option("--out", help="Directory of checkpoints.")],
    json_output: Json = False,
    show_progress: ProgressOption = False,
) -> None:
    """Verify the store, then sign a checkpoint of its chain head into OUT.

    Refuses (exit 1) when verification finds a break, so a tampered head is never signed.
    """
    try:
        with progress_bar("verifying", None, "events", show_progress) as bar:
            path = take_checkpoint(existing().db, load_private_key(key), out,
                                   on_progress=positions(bar))
    except NotSignedError as refused:
        _print(refused.report, json_output)
        typer.echo("error: no checkpoint signed: the store does not verify", err=True)
        raise typer.Exit(1) from None
    assert path is not None
    signed = parse_checkpoint(path.read_bytes(), load_private_key(key).public_key(), path.name)
    emit({"checkpoint": str(path), **signed.to_dict(), "source": path.name})


@app.command("verify")
def verify(
    checkpoints: Annotated[
        Path | None, typer.Option("--checkpoints", help="Directory of signed checkpoints.")
    ] = None,
    public_key: Annotated[
        Path | None, typer.Option("--public-key", help="The pinned public key (PEM).")
    ] = None,
    head_key: Annotated[Path | None, typer.Option(
        "--head-public-key", help="The head-signing public key (PEM; else"
        " RENOVATION_HEAD_PUBLIC_KEY, else the deployment's own).")] = None,
    witness: Annotated[str | None, typer.Option(
        "--witness", help="Where heads are witnessed (else RENOVATION_WITNESS);"
        " 'none' to skip.")] = None,
    read_models: Annotated[bool, typer.Option(
        "--read-models", help="Also compare every read model with a replay of the log.")] = False,
    json_output: Json = False,
    show_progress: ProgressOption = False,
) -> None:
    """Recompute every leaf and the chain from the raw rows; check each checkpoint, the store's
    signed head and every head the witness holds; with --read-models, the read models too.

    Exit 0 when intact (events newer than the last checkpoint are a warning), 1 at a break.
    """
    if (checkpoints is None) != (public_key is None):
        typer.echo("error: --checkpoints and --public-key go together", err=True)
        raise typer.Exit(2)
    pinned = load_public_key(public_key) if public_key is not None else None
    current = existing()
    if head_key is not None:
        current = current.model_copy(update={"head_public_key": head_key})
    with refusals():
        heads, origin = head_public_key(current)
    witness_url = current.witness_url() if witness is None else (
        None if witness == "none" else witness)
    with progress_bar("verifying", None, "events", show_progress) as bar:
        report = verify_store(current.db, checkpoints, pinned, head_key=heads,
                              witness=witness_url, on_progress=positions(bar))
    if origin == "deployment":
        report.warnings.append("the head-signing public key was taken from this deployment's"
                               " own secrets; pin it (--head-public-key) to check a copy")
    differing = _verify_read_models(current, report) if read_models else []
    _print(report, json_output)
    if not report.ok or differing:
        raise typer.Exit(1)


def _verify_read_models(current: Settings, report: Report) -> list[str]:
    """Each read model that differs from the log, added to the report as a problem."""
    from renovation.projections import open_projector

    with open_projector(current) as projector:
        outcomes = projector.verify()
    differing = []
    for outcome in outcomes:
        if outcome.ok:
            continue
        first = outcome.differences[0].describe() if outcome.differences else "not built"
        report.problems.append(Problem(READ_MODEL_MISMATCH, f"{outcome.differing} rows differ"
                                       f" from the log; first: {first}",
                                       source=f"read model {outcome.projection}"))
        differing.append(outcome.projection)
    return differing


@app.command("verify-dossier")
def verify_dossier_command(
    directory: Annotated[Path, typer.Argument(help="The exported archive's directory.")],
    public_key: Annotated[
        Path | None, typer.Option("--public-key", help="The pinned public key (PEM).")
    ] = None,
    json_output: Json = False,
) -> None:
    """Verify an exported archive (dossier.json) with the public key alone, no database.

    Exit 0 intact, 1 naming the first problem, 2 when the dossier or key cannot be read.
    """
    try:
        pinned = load_public_key(public_key) if public_key is not None else None
        report = verify_dossier(directory, pinned)
    except (OSError, ValueError) as error:
        typer.echo(f"error: unreadable: {error}", err=True)
        raise typer.Exit(2) from None
    if json_output:
        emit(report.to_dict())
    elif report.ok:
        c = report.checkpoint
        assert c is not None
        typer.echo(f"intact: case {report.case_ref}, {report.events} events, each in the log"
                   f" signed by key {report.key_id} ({c.source}: {c.size} events through"
                   f" notification {c.last_id})")
    else:
        typer.echo(f"BROKEN — {report.problems[0]}")
        if len(report.problems) > 1:
            typer.echo(f"{len(report.problems) - 1} more problems (--json lists them)")
    for warning in report.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if not report.ok:
        raise typer.Exit(1)


def _print(report: Report, json_output: bool) -> None:
    if json_output:
        emit(report.to_dict())
        return
    rate = f"{report.events / report.seconds:,.0f} events/s" if report.seconds else "-"
    if report.first is None:
        typer.echo(f"intact: {report.events:,} events through notification {report.last_id},"
                   f" head {report.head.hex()}")
    else:
        typer.echo(f"BROKEN — first break: {report.first.describe()}")
        more = len(report.problems) + report.omitted - 1
        if more:
            typer.echo(f"{more} more problem{'s' if more > 1 else ''} (--json lists them)")
    if report.checkpoints:
        typer.echo(f"{len(report.checkpoints)} checkpoints verified, anchored through"
                   f" notification {report.anchored_through}")
    if report.signed_through:
        typer.echo(f"signed head at notification {report.signed_through}; witnessed through"
                   f" notification {report.witnessed_through}")
    typer.echo(f"read {report.events:,} events in {report.seconds:.2f} s ({rate})")
    for warning in report.warnings:
        typer.echo(f"warning: {warning}", err=True)
