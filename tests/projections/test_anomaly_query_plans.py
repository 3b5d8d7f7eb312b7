"""The collusion and anomaly rules read a county through index ranges, never every case: each
rule is one grouped query over a covering index of `rv_fraud_acts` (a builder's or payee's
cases through their own index, found from the county's range)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from renovation.fraud.queries import list_findings
from renovation.projections import Projector, ViewsDatabase
from tests.projections.test_county_query_plans import plans_of

COUNTY = "450321000000"


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    """SQLite only: PostgreSQL's plans depend on the tables' statistics, not the indexes alone."""
    return f"sqlite:///{tmp_path}/renovation.db"


def test_each_anomaly_rule_reads_one_index_range_of_the_county(
    projected: Projector, views: ViewsDatabase,
) -> None:
    projected.catch_up()  # creates the read models' tables
    with plans_of(views, "rv_fraud_acts") as plans:
        list_findings(views, date(2022, 12, 31), county=COUNTY)
    assert len(plans) == 6, plans  # D share, gradings a day, acceptances, builder, payee, village
    for plan in plans:
        assert "SCAN" not in plan and "INDEX ix_rv_fraud_acts" in plan, plan
        assert "(county>? AND county<?)" in plan, plan
