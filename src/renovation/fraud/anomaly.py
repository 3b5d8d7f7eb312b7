"""串通与异常线索 — the collusion and anomaly rules, judged when the findings are asked for.

Each compares a case with others (a county's D share, what one official did in a day, one
builder's spread, a village against its ledger), so its answer changes as other cases arrive;
judging it when asked, from the per-case rows the projection keeps (`rv_fraud_acts`), needs no
re-judging of old groups when a new case comes in. Each rule is one grouped query; only the
groups it finds are read further. A finding's id is derived from its rule and subject, so the
same pattern keeps its id (and its review) from one question to the next.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from renovation.fraud.anomaly_base import Scope
from renovation.fraud.anomaly_builders import builder_concentration
from renovation.fraud.anomaly_staff import acceptance_overload, assessor_outlier
from renovation.fraud.anomaly_survey import applications_exceed_survey
from renovation.fraud.tables import ACTS, FACTS
from renovation.projections.base import Row
from renovation.projections.database import ViewsDatabase
from renovation.projections.ledger_tables import ENTRIES, HOUSES

ANOMALY_RULES: dict[str, Callable[[Scope], list[Row]]] = {
    "assessor_outlier": assessor_outlier,
    "acceptance_overload": acceptance_overload,
    "builder_concentration": builder_concentration,
    "applications_exceed_survey": applications_exceed_survey,
}


def anomaly_findings(db: ViewsDatabase, as_of: date, county: str | None,
                     programme: str | None, rule: str | None = None) -> list[Row]:
    """The findings of the collusion and anomaly rules (of `rule` only, if given) as stored
    findings' rows, judged on `as_of` within `county` (any level ≥ county) and `programme`."""
    judges = [judge for name, judge in ANOMALY_RULES.items() if rule in (None, name)]
    if not judges:
        return []
    tables = {spec.name: spec.define(db.metadata, spec.name, 0)
              for spec in (ACTS, FACTS, HOUSES, ENTRIES)}
    with db.engine.connect() as conn:
        scope = Scope(conn, tables, as_of, county, programme)
        return [row for judge in judges for row in judge(scope)]
