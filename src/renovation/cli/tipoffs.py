"""`renovation tipoffs` — 举报投诉: list and show tip-offs, enter a hotline call, escalate a notice
objection, hand over (移交/改派), start the investigation, conclude (办结).

Every command acts as the signed-in principal: lists are scoped to the area where one of their
roles may read tip-offs; the complainant's words are shown only to someone who may handle the
tip-off's county. Words given as `-` are read from standard input (kept out of shell history).
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

import typer
from rich.console import Console

from renovation.api.scope import scoped
from renovation.application.tipoffs import VIEW
from renovation.cli.common import emit, refusals, signed_in
from renovation.cli.projections import Json, NoCatchUp, read_models
from renovation.kernel.jurisdiction import covers
from renovation.kernel.vocabulary.tipoffs import TipOffStatus, TipOffSubject
from renovation.projections.queries.tipoffs import (
    list_tipoffs,
    objection_by_receipt,
    show_tipoff,
)

app = typer.Typer(help="Tip-offs and complaints (举报投诉): hand over, investigate, conclude.",
                  no_args_is_help=True)

AsOf = Annotated[datetime | None, typer.Option(
    "--as-of", formats=["%Y-%m-%d"], help="Judge overdue on this date (default today).")]
Findings = Annotated[list[str] | None, typer.Option(
    "--finding", help="A finding id (repeat for several).")]
SUBJECTS = ", ".join(s.value for s in TipOffSubject)


@app.command("list")
def list_(
    within: Annotated[str | None, typer.Option("--within", help="12-digit division code.")] = None,
    status: Annotated[str | None, typer.Option(
        "--status", help=", ".join(s.value for s in TipOffStatus))] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue ones.")] = False,
    mine: Annotated[bool, typer.Option("--mine", help="Only those assigned to me.")] = False,
    as_of: AsOf = None, json_output: Json = False, no_catch_up: NoCatchUp = False,
) -> None:
    """Tip-offs of your area, newest first, with their deadlines and what is overdue."""
    with signed_in(quiet=True) as (rt, me), refusals(), read_models(no_catch_up) as db:
        area = scoped(rt, me, VIEW, within)
        answer = list_tipoffs(db, _day(rt, as_of), area, status or None, overdue,
                              me.staff_id if mine else None)
    if json_output:
        emit(answer)
        return
    console = Console(highlight=False, markup=False)
    console.print(f"tip-offs in {answer['within']} on {answer['as_of']}: {answer['counts']}")
    for t in answer["tipoffs"]:
        late = " OVERDUE" if t["overdue"]["any"] else ""
        console.print(f"{t['receipt']} {t['status']:<13} {t['subject']:<20} {t['jurisdiction']}"
                      f" lodged {t['lodged_on']} → {t['assignee'] or '-'}{late}")


@app.command("show")
def show(key: str, as_of: AsOf = None, no_catch_up: NoCatchUp = False) -> None:
    """One tip-off (id, its first 8 characters, or the receipt JB-…)."""
    with signed_in(quiet=True) as (rt, me), refusals(), read_models(no_catch_up) as db:
        item = _found(rt, me, db, key, _day(rt, as_of))
        emit({**item, **rt.tipoffs.words(me, UUID(item["tipoff_id"]))})


@app.command("lodge")
def lodge(
    within: Annotated[str, typer.Option("--within", help="Division code of the area concerned.")],
    subject: Annotated[str, typer.Option("--subject", help=SUBJECTS)],
    statement: Annotated[str, typer.Option("--statement", help="The caller's words, or -.")],
    contact: Annotated[str | None, typer.Option("--contact", help="Caller's phone.")] = None,
    case: Annotated[list[str] | None, typer.Option("--case", help="A case reference.")] = None,
    finding: Findings = None,
    received_on: Annotated[datetime | None, typer.Option(
        "--received-on", formats=["%Y-%m-%d"], help="Day of the call (default today).")] = None,
) -> None:
    """电话举报 — enter a hotline call on the caller's behalf (you are recorded as the actor)."""
    raw: dict[str, Any] = {"jurisdiction": within, "subject": subject,
                           "statement": _words(statement), "contact": contact,
                           "case_refs": case or [], "finding_ids": finding or []}
    if received_on:
        raw["received_on"] = received_on.date().isoformat()
    with signed_in(quiet=True) as (rt, me):
        emit(_quiet(rt.tipoffs.lodge_hotline(me, raw)))


@app.command("escalate")
def escalate(
    objection: Annotated[str, typer.Argument(help="The objection's id or receipt (YY-…).")],
    subject: Annotated[str, typer.Option("--subject", help=SUBJECTS)],
) -> None:
    """公示异议转举报 — take a notice objection up as a tip-off (its words go with it)."""
    objection_id = objection
    if objection.upper().startswith("YY-"):
        with read_models() as db:
            found = objection_by_receipt(db, objection)
        if found is None:
            typer.echo(f"error: no objection with receipt {objection!r}", err=True)
            raise typer.Exit(1)
        objection_id = found["objection_id"]
    with signed_in(quiet=True) as (rt, me):
        emit(_quiet(rt.tipoffs.escalate(me, {"objection_id": objection_id,
                                             "subject": subject})))


@app.command("assign")
def assign(key: str, to: Annotated[str, typer.Option("--to", help="Staff id of the inspector.")]
           ) -> None:
    """移交 to a discipline inspector of the county (改派 when it was handed over already)."""
    with signed_in(quiet=True) as (rt, me), refusals():
        tipoff_id = _id(rt, me, key)
        emit(_quiet(rt.tipoffs.assign(me, tipoff_id, {"to": to})))


@app.command("investigate")
def investigate(key: str) -> None:
    """开始查处 — the assignee starts the investigation."""
    with signed_in(quiet=True) as (rt, me), refusals():
        tipoff_id = _id(rt, me, key)
        emit(_quiet(rt.tipoffs.start_investigation(me, tipoff_id)))


@app.command("conclude")
def conclude(
    key: str,
    outcome: Annotated[str, typer.Option("--outcome",
                                         help="substantiated, partly or unsubstantiated")],
    conclusion: Annotated[str, typer.Option("--conclusion", help="The conclusion, or -.")],
    finding: Findings = None,
) -> None:
    """办结 — the outcome, the findings it confirmed, the conclusion (sealed)."""
    raw = {"outcome": outcome, "conclusion": _words(conclusion),
           "confirmed_findings": finding or []}
    with signed_in(quiet=True) as (rt, me), refusals():
        tipoff_id = _id(rt, me, key)
        emit(_quiet(rt.tipoffs.conclude(me, tipoff_id, raw)))


def _id(rt: Any, me: Any, key: str) -> UUID:
    with read_models() as db:
        return UUID(_found(rt, me, db, key, rt.pipeline.today())["tipoff_id"])


def _found(rt: Any, me: Any, db: Any, key: str, day: date) -> dict[str, Any]:
    """The tip-off in the principal's area; one elsewhere is reported as not found."""
    area = scoped(rt, me, VIEW, None)
    item = show_tipoff(db, key, day)
    if item is None or not covers(area, item["jurisdiction"]):
        typer.echo(f"error: no tip-off {key!r} in your area", err=True)
        raise typer.Exit(1)
    return item


def _day(rt: Any, as_of: datetime | None) -> date:
    return as_of.date() if as_of else rt.pipeline.today()


def _words(given: str) -> str:
    return sys.stdin.read() if given == "-" else given


def _quiet(answer: dict[str, Any]) -> dict[str, Any]:
    answer.pop("position", None)
    return answer
