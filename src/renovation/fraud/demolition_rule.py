"""建新未拆旧, judged when asked: an accepted new house whose old one still stands after the
agreement's demolition date.

The case rule `not_demolished` (case_rules.py) fires on events — a case closed, or paid in full
after the date, with the old house standing. A case that is simply left alone after its date
gives no event; this judges it against the day asked about, from the date the findings
projection keeps (`demolish_by`, set only while the accepted case's old house stands).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Table, select

from renovation.fraud.case_rules import Hit
from renovation.fraud.facts import Facts
from renovation.fraud.findings import finding_id, finding_row
from renovation.fraud.tables import FACTS
from renovation.kernel.jurisdiction import prefix
from renovation.kernel.vocabulary import RenovationMode
from renovation.projections.database import ViewsDatabase

RULE = "not_demolished"


def demolish_by(f: Facts) -> date | None:
    """The demolition date still ahead of an accepted case whose old house stands, or None."""
    due, mode = f.get("demolition_due"), f.get("mode")
    if (not due or f["demolished"] or not f["active"] or "accepted" not in f["ev"]
            or mode is None or not RenovationMode(mode).requires_demolition):
        return None
    return date.fromisoformat(due)


def still_standing(db: ViewsDatabase, t: dict[str, Table], as_of: date, county: str | None,
                   programme: str | None) -> list[dict[str, Any]]:
    """Finding rows for the cases past their demolition date, not already found on events."""
    facts = t[FACTS.name]
    query = select(facts.c.case_id, facts.c.facts).where(
        facts.c.demolish_by < as_of, facts.c.active.is_(True))
    if county:
        query = query.where(facts.c.county.like(f"{prefix(county)}%"))
    if programme is not None:
        query = query.where(facts.c.programme == programme)
    out = []
    with db.engine.connect() as conn:
        for case_id, f in conn.execute(query):
            if RULE in f["flags"]:
                continue  # the event-judged rule already holds this finding
            due, accepted = f["demolition_due"], f["ev"]["accepted"]
            hit = Hit(f"{accepted['occurred_on']} 新房验收合格，协议约定 {due} 前拆除旧危房，"
                      f"至 {as_of} 仍未拆除",
                      f"the new house was accepted on {accepted['occurred_on']}; the agreement"
                      f" set {due} to demolish the old house, still standing on {as_of}",
                      tuple(f["ev"][n] for n in ("agreement", "accepted") if n in f["ev"]))
            fid = finding_id(RULE, f"case:{case_id}")
            out.append(finding_row(fid, RULE, f"case:{f['ref']}", hit, f["programme"],
                                   f["county"]))
    return out
