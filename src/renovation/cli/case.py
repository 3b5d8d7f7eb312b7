"""`renovation case` and `renovation execute` — one case's state, history, archive; one command."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from renovation.application.views import case_summary
from renovation.audit.dossier_archive import configured_anchor
from renovation.audit.history import LATE_DAYS, CaseHistory
from renovation.cli.common import emit, runtime, signed_in

app = typer.Typer(help="Look at a case.", no_args_is_help=True)

Reason = Annotated[str | None, typer.Option("--reason", help="Why you read it (recorded).")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@app.command("show")
def show(case_ref: str) -> None:
    """Where a case stands now (masked personal data only)."""
    with runtime() as rt:
        emit(case_summary(rt.service.load_case(case_ref)))


@app.command("history")
def history(
    case_ref: str,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="A version N, or a date YYYY-MM-DD (last version recorded by its end).")
    ] = None,
    reason: Reason = None, json_output: Json = False,
) -> None:
    """Every recorded act in order: both clocks, the actor, the policy, what changed.

    Signed in; your reading is recorded in the case's access log."""
    with signed_in(quiet=True) as (rt, me):
        result = rt.inspection.history(me, case_ref, as_of, reason)
    if json_output:
        emit(result.to_dict())
    else:
        _print_history(result)


@app.command("dossier")
def dossier(
    case_ref: str,
    out: Annotated[Path, typer.Option("--out", help="Directory for dossier.json and .html.")],
    checkpoints: Annotated[Path | None, typer.Option(
        "--checkpoints", help="Signed checkpoints (else RENOVATION_CHECKPOINTS).")] = None,
    public_key: Annotated[Path | None, typer.Option(
        "--public-key", help="The checkpoints' key, PEM (else RENOVATION_AUDIT_PUBLIC_KEY).")
    ] = None,
    reason: Reason = None,
    unmask: Annotated[
        bool, typer.Option("--unmask", help="Show personal data (recorded).")
    ] = False,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="The case as it stood at version N or on a date YYYY-MM-DD.")] = None,
) -> None:
    """Export the archive (一户一档): printable HTML and dossier.json with inclusion proofs.

    Signed in; the export (and any unmasking, which needs a role that may unmask and a reason)
    is recorded in the case's access log."""
    with signed_in(quiet=True) as (rt, me):
        given = {"checkpoints": checkpoints, "audit_public_key": public_key}
        anchor = rt.settings.model_copy(update={k: v for k, v in given.items() if v})
        folder, key = configured_anchor(anchor)
        emit(rt.inspection.export_dossier(me, case_ref, out, folder, key, reason, unmask, as_of))


@app.command("access-log")
def access_log(case_ref: str, json_output: Json = False) -> None:
    """Who viewed the case's history, exported its archive or unmasked its data (查阅记录)."""
    with signed_in(quiet=True) as (rt, me):
        entries = rt.inspection.access_log(me, case_ref)
    if json_output:
        emit(entries)
        return
    for e in entries:
        a = e["actor"]
        fields = f" fields={','.join(e['fields'])}" if e["fields"] else ""
        typer.echo(f"v{e['version']} #{e['position']} {e['recorded_at']} {e['action']}"
                   f" {a['id']} ({a['role']}, {a['jurisdiction']}) reason={e['reason']!r}"
                   f"{fields}{' ' + e['detail'] if e['detail'] else ''}")


def _print_history(h: CaseHistory) -> None:
    typer.echo(f"case {h.case_ref}: versions 1–{h.as_of_version} of {h.current_version},"
               f" stage {h.state['stage']}")
    for e in h.entries:
        a = e.actor
        flag = " LATE" if e.gap_days > LATE_DAYS else ""
        policy = f" policy {e.policy['id']}" if e.policy else ""
        if e.policy and e.policy["version"] is not None:
            policy += f" v{e.policy['version']}"
        typer.echo(f"v{e.version} #{e.position} {e.occurred_on} recorded"
                   f" {e.recorded_at:%Y-%m-%d %H:%M}Z (+{e.gap_days}d{flag}) {e.event}"
                   f" [{e.section}] {a['id']} ({a['role']}, {a['jurisdiction']}){policy}"
                   f"{_entered_by(a)}")
        for c in e.changes:
            typer.echo(f"    {c['field']}: {_show(c.get('before'))} → {_show(c.get('after'))}")


def _entered_by(actor: dict[str, Any]) -> str:
    recorder = actor.get("recorded_by")
    if recorder is None:
        return " (recorded before the staff directory)"
    return "" if recorder == actor["id"] else f" entered by {recorder}"


def _show(value: Any) -> str:
    return "∅" if value is None else str(value)


def execute(
    source: Annotated[Path, typer.Argument(help="A JSON file with one command, or - for stdin.")],
) -> None:
    """Apply one command given as JSON, as the signed-in principal; prints its outcome, exits 1
    if a rule refuses it. Without an `actor`, you act yourself; naming another official, you
    enter their act (your roles must let you enter acts for the case's area)."""
    text = sys.stdin.read() if str(source) == "-" else source.read_text(encoding="utf-8")
    with signed_in() as (rt, me):
        emit(rt.service.execute(text, me).to_dict())
