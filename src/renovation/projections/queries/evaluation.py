"""年度绩效评价 — the year-end performance evaluation of a programme and of each of its counties
(seed 004 §七(三), seed 003 §四(五)), reproducible as of any business date.

Only acts dated on or before the as-of date count; where a read model keeps only the latest
state, the figure's definition says what it cannot see. Figures come from the providers in
`PROVIDERS` (see `figures.Provider`); a module adds figures by appending one provider.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from renovation.kernel.errors import InvalidInputError
from renovation.kernel.jurisdiction import Level, check_code, covers, level_of
from renovation.policy import load_policy
from renovation.projections.database import ViewsDatabase
from renovation.projections.queries import (
    evaluation_delivery,
    evaluation_money,
    evaluation_monitoring,
)
from renovation.projections.queries import evaluation_oversight as oversight
from renovation.projections.queries.common import tables
from renovation.projections.queries.divisions import division_names
from renovation.projections.queries.figures import (
    GROUPS,
    EvaluatedProgramme,
    Figure,
    Provider,
)

PROVIDERS: tuple[Provider, ...] = (
    evaluation_delivery.targets,
    evaluation_delivery.on_calendar,
    evaluation_money.money,
    oversight.spot_check,
    oversight.findings,
    evaluation_monitoring.ledger,
    evaluation_monitoring.tipoffs,
)
"""Every figure provider, in report order. Append one to add figures (台账动态清零, 举报投诉…)."""

HEADLINE = ("target_households", "accepted", "completion_rate", "started_on_time",
            "completed_on_time", "paid_in_full", "on_time_rate", "short_paid_yuan",
            "spot_ratio", "findings_open")
"""The figures of the overall table (总表), one row per county; each row also counts the
figures met among all those judged, whichever provider gave them."""


def programme_of(db: ViewsDatabase, programme: str) -> EvaluatedProgramme:
    """The programme by its id, or refused (`programme.known`)."""
    p = tables(db)["rv_programmes"]
    with db.engine.connect() as conn:
        row = conn.execute(select(p).where(p.c.programme == programme)).one_or_none()
    if row is None:
        raise InvalidInputError("programme.known", "programme", programme,
                                f"no programme {programme!r} has been opened")
    return EvaluatedProgramme(row.programme, row.title, row.jurisdiction, row.year,
                              load_policy(row.policy_id))


def check_county(p: EvaluatedProgramme, county: str | None) -> str | None:
    """A 12-digit county code inside the programme's area, or refused naming the rule."""
    if county is None or county == "":
        return None
    try:
        code = check_code(county)
    except ValueError as error:
        raise InvalidInputError("input.division_code", "county", county, str(error)) from None
    if level_of(code) != Level.COUNTY:
        raise InvalidInputError("evaluation.county_level", "county", county,
                                f"{county} is a {level_of(code).name.lower()} code; the"
                                " evaluation is per county (a code ending in 000000)")
    if not covers(p.jurisdiction, code):
        raise InvalidInputError("evaluation.county_in_programme", "county", county,
                                f"county {county} lies outside programme {p.name}"
                                f" ({p.jurisdiction})")
    return code


def check_as_of(as_of: date | str | None, today: date) -> date:
    """The as-of date (a date or YYYY-MM-DD; today when not given), refused when it is not a
    date or lies in the future (its figures could still change)."""
    if as_of is None or as_of == "":
        return today
    if isinstance(as_of, str):
        try:
            as_of = date.fromisoformat(as_of)
        except ValueError:
            raise InvalidInputError("input.date", "as_of", as_of,
                                    f"{as_of!r} is not a date of the form YYYY-MM-DD") from None
    if as_of > today:
        raise InvalidInputError("evaluation.as_of_not_future", "as_of", as_of.isoformat(),
                                f"the as-of date {as_of} is after today ({today})")
    return as_of


def figures_of(db: ViewsDatabase, p: EvaluatedProgramme, county: str | None, as_of: date,
               providers: tuple[Provider, ...] = PROVIDERS) -> list[Figure]:
    return [figure for provider in providers for figure in provider(db, p, county, as_of)]


def evaluate(db: ViewsDatabase, programme: str, as_of: date, county: str | None = None,
             providers: tuple[Provider, ...] = PROVIDERS) -> dict[str, Any]:
    """The evaluation as plain JSON: the scope's figures, each county's (for the whole
    programme), and the overall table; refused for an unknown programme or a bad county."""
    p = programme_of(db, programme)
    code = check_county(p, county)
    scope = figures_of(db, p, code, as_of, providers)
    counties = [] if code else _counties(db, p, as_of)
    per_county = [(c, figures_of(db, p, c, as_of, providers)) for c in counties]
    names = _names(db, p, [code] if code else counties)
    return {
        "programme": {"programme": p.name, "title": p.title, "jurisdiction": p.jurisdiction,
                      "year": p.year, "policy": p.policy.ref},
        "county": code, "county_name": names.get(code) if code else None,
        "as_of": as_of.isoformat(), "rules": _rules(p), "groups": _groups(scope),
        "figures": [f.to_json() for f in scope],
        "counties": [{"code": c, "name": names.get(c), "figures": [f.to_json() for f in found]}
                     for c, found in per_county],
        "overall": _overall(scope, per_county, names, code),
    }


def _counties(db: ViewsDatabase, p: EvaluatedProgramme, as_of: date) -> list[str]:
    """Counties with plan households (set by `as_of`) or cases applied for by then."""
    t = tables(db)
    plan, cases = t["rv_allocations"], t["rv_cases"]
    households = plan.c.rural_revitalization_households + plan.c.civil_affairs_households
    planned = select(plan.c.jurisdiction).where(plan.c.programme == p.name, households > 0,
                                                plan.c.set_on <= as_of)
    applied = (select(cases.c.county).where(cases.c.programme == p.name,
                                            cases.c.applied_on <= as_of).distinct())
    with db.engine.connect() as conn:
        found = {*conn.execute(planned).scalars(), *conn.execute(applied).scalars()}
    return sorted(code for code in found if level_of(code) == Level.COUNTY)


def _names(db: ViewsDatabase, p: EvaluatedProgramme, codes: list[str]) -> dict[str, str]:
    plan = tables(db)["rv_allocations"]
    with db.engine.connect() as conn:
        planned = dict(conn.execute(select(plan.c.jurisdiction, plan.c.name)
                                    .where(plan.c.programme == p.name)).all())
    return {**division_names(db, codes), **{c: planned[c] for c in codes if c in planned}}


def _rules(p: EvaluatedProgramme) -> dict[str, Any]:
    """The policy's dates and thresholds the figures are judged against."""
    calendar, payment = p.policy.calendar, p.policy.payment
    return {"start_by": calendar.start_by.isoformat(),
            "complete_by": calendar.complete_by.isoformat(),
            "accept_by": calendar.accept_by.isoformat(),
            "submit_by_day": payment.submit_by_day, "pay_by_day": payment.pay_by_day,
            "max_days_after_acceptance": payment.max_days_after_acceptance,
            "city_spot_check_min_ratio": str(p.policy.acceptance.city_spot_check_min_ratio)}


def _groups(found: list[Figure]) -> list[dict[str, str]]:
    seen = list(dict.fromkeys(f.group for f in found))
    return [{"id": g, "label_zh": GROUPS.get(g, (g, g))[0], "label_en": GROUPS.get(g, (g, g))[1]}
            for g in seen]


def _overall(scope: list[Figure], per_county: list[tuple[str, list[Figure]]],
             names: dict[str, str], code: str | None) -> dict[str, Any]:
    """总表 — the headline figures and the count of figures met, per county and in total."""
    labels = {f.id: f.label_zh for f in scope}
    columns = [{"id": key, "label_zh": labels[key]} for key in HEADLINE if key in labels]
    rows = [_overall_row(c, names.get(c), found) for c, found in per_county]
    rows.append(_overall_row(code or "", names.get(code) if code else "合计", scope))
    return {"columns": columns, "rows": rows}


def _overall_row(code: str, name: str | None, found: list[Figure]) -> dict[str, Any]:
    by_id = {f.id: f.to_json() for f in found}
    judged = [f for f in found if f.met is not None]
    return {"code": code, "name": name,
            "values": {key: by_id[key]["value"] for key in HEADLINE if key in by_id},
            "met": {key: by_id[key]["met"] for key in HEADLINE if key in by_id},
            "figures_met": sum(bool(f.met) for f in judged), "figures_judged": len(judged)}
