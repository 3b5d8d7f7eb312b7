"""`renovation case` and `renovation execute` — one case's state, history, archive; one command."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from renovation.application.views import case_summary
from renovation.audit.checkpoint import load_public_key
from renovation.audit.history import LATE_DAYS, CaseHistory
from renovation.audit.inspection import Inspection, actor_from
from renovation.bootstrap import Runtime
from renovation.cli.common import emit, runtime

app = typer.Typer(help="Look at a case.", no_args_is_help=True)

ActorId = Annotated[str, typer.Option("--actor-id", help="Your staff id.")]
RoleOpt = Annotated[str, typer.Option("--role", help="Your role (e.g. county_inspector).")]
Jurisdiction = Annotated[str, typer.Option("--jurisdiction", help="Your 12-digit jurisdiction.")]
Reason = Annotated[str | None, typer.Option("--reason", help="Why you read it (recorded).")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _inspection(rt: Runtime) -> Inspection:
    return Inspection(rt.app, rt.service.authorizer, rt.reader, rt.service.clock)


@app.command("show")
def show(case_ref: str) -> None:
    """Where a case stands now (masked personal data only)."""
    with runtime() as rt:
        emit(case_summary(rt.service.load_case(case_ref)))


@app.command("history")
def history(
    case_ref: str, actor_id: ActorId, role: RoleOpt, jurisdiction: Jurisdiction,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="A version N, or a date YYYY-MM-DD (last version recorded by its end).")
    ] = None,
    reason: Reason = None, json_output: Json = False,
) -> None:
    """Every recorded act in order: both clocks, the actor, the policy, what changed (recorded)."""
    with runtime(quiet=True) as rt:
        actor = actor_from(actor_id, role, jurisdiction)
        result = _inspection(rt).history(actor, case_ref, as_of, reason)
    if json_output:
        emit(result.to_dict())
    else:
        _print_history(result)


@app.command("dossier")
def dossier(
    case_ref: str, actor_id: ActorId, role: RoleOpt, jurisdiction: Jurisdiction,
    out: Annotated[Path, typer.Option("--out", help="Directory for dossier.json and .html.")],
    checkpoints: Annotated[Path, typer.Option("--checkpoints", help="Signed checkpoints.")],
    public_key: Annotated[Path, typer.Option("--public-key", help="The checkpoints' key (PEM).")],
    reason: Reason = None,
    unmask: Annotated[
        bool, typer.Option("--unmask", help="Show personal data (recorded).")
    ] = False,
) -> None:
    """Export the archive (一户一档): printable HTML and dossier.json with inclusion proofs."""
    key = load_public_key(public_key)
    with runtime(quiet=True) as rt:
        actor = actor_from(actor_id, role, jurisdiction)
        emit(_inspection(rt).export_dossier(actor, case_ref, out, checkpoints, key, reason,
                                            unmask))


@app.command("access-log")
def access_log(
    case_ref: str, actor_id: ActorId, role: RoleOpt, jurisdiction: Jurisdiction,
    json_output: Json = False,
) -> None:
    """Who viewed the case's history, exported its archive or unmasked its data (查阅记录)."""
    with runtime(quiet=True) as rt:
        actor = actor_from(actor_id, role, jurisdiction)
        entries = _inspection(rt).access_log(actor, case_ref)
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
                   f" [{e.section}] {a['id']} ({a['role']}, {a['jurisdiction']}){policy}")
        for c in e.changes:
            typer.echo(f"    {c['field']}: {_show(c.get('before'))} → {_show(c.get('after'))}")


def _show(value: Any) -> str:
    return "∅" if value is None else str(value)


def execute(
    source: Annotated[Path, typer.Argument(help="A JSON file with one command, or - for stdin.")],
) -> None:
    """Apply one command given as JSON; prints its outcome, exits 1 if a rule refuses it."""
    text = sys.stdin.read() if str(source) == "-" else source.read_text(encoding="utf-8")
    with runtime() as rt:
        emit(rt.service.execute(text).to_dict())
