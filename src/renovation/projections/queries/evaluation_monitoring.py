"""绩效评价 — the figures of monitoring: 台账动态清零 and 举报投诉办结 (seed 003 §四(五)).

Both are read as of the date: entries found and resolved by then, tip-offs lodged and concluded
by then. The programme's area is its jurisdiction, or the county asked about.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, or_, select

from renovation.kernel.jurisdiction import prefix
from renovation.projections.database import ViewsDatabase
from renovation.projections.queries.common import tables
from renovation.projections.queries.figures import (
    EvaluatedProgramme,
    Figure,
    by,
    count_if,
    figure,
    ratio,
)
from renovation.projections.queries.ledger import zeroing


def ledger(db: ViewsDatabase, programme: EvaluatedProgramme, county: str | None,
           as_of: date) -> list[Figure]:
    total = zeroing(db, as_of, "county", county or programme.jurisdiction)["total"]
    found, resolved = total["found"], total["resolved"]
    return [
        figure("ledger_found", "ledger", ("台账发现危房", "unsafe houses on the ledgers"),
               ("截至评价日台账中发现的C/D级条目数", "ledger entries (C/D findings) found on or"
                " before the date."), "households", found, as_of),
        figure("ledger_zeroed_ratio", "ledger", ("动态清零率", "share resolved (销号)"),
               ("已销号条目 ÷ 发现条目（截至评价日）", "entries resolved by the date ÷ entries"
                " found by it."), "ratio", ratio(resolved, found), as_of),
        figure("ledger_outstanding", "ledger", ("未销号", "outstanding"),
               ("截至评价日发现条目 − 已销号条目", "found − resolved, as of the date."),
               "households", total["outstanding"], as_of),
        figure("ledger_overdue", "ledger", ("逾期未报送", "overdue, not reported"),
               ("未销号且过报送期限仍未报送乡镇的条目（期限见 docs/monitoring.md）",
                "outstanding entries past their 报送 deadline without a report."), "households",
               total["overdue"], as_of, target=0, rule="at_most"),
    ]


def tipoffs(db: ViewsDatabase, programme: EvaluatedProgramme, county: str | None,
            as_of: date) -> list[Figure]:
    t = tables(db)["rv_tipoffs"]
    area = prefix(county or programme.jurisdiction)
    concluded = by(t.c.concluded_on, as_of)
    in_time = and_(concluded, t.c.concluded_on <= t.c.conclude_by)
    due = t.c.conclude_by < as_of
    query = select(count_if(t.c.lodged_on <= as_of), count_if(concluded),
                   count_if(in_time), count_if(and_(due, or_(~concluded, ~in_time)))).where(
        t.c.county.startswith(area), t.c.lodged_on <= as_of)
    with db.engine.connect() as conn:
        lodged, done, on_time, late = conn.execute(query).one()
    return [
        figure("tipoffs_lodged", "tipoffs", ("受理举报投诉", "tip-offs lodged"),
               ("截至评价日受理的举报投诉件数", "tip-offs lodged on or before the date."),
               "findings", int(lodged), as_of),
        figure("tipoffs_concluded_in_time", "tipoffs", ("按期办结率", "concluded in time"),
               ("期限内办结件数 ÷ 截至评价日已办结件数",
                "concluded by their deadline ÷ concluded."),
               "ratio", ratio(int(on_time), int(done)), as_of),
        figure("tipoffs_late", "tipoffs", ("逾期未办结或逾期办结", "late or overdue"),
               ("办结期限已过而未办结，或办结晚于期限的件数",
                "past their deadline and not concluded, or concluded after it."), "findings",
               int(late), as_of, target=0, rule="at_most"),
    ]
