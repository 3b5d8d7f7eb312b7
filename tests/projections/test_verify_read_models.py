"""A read model changed behind the runner's back is found by replaying the log: the rows that
differ are named, while `projections status` still says current."""

from __future__ import annotations

from sqlalchemy import insert, select, text, update

from renovation.projections import Projector, ViewsDatabase
from renovation.projections.verify import last_verified
from tests.support.app import Scenario


def drive(scenario: Scenario, ref: str, **plan: object) -> None:
    for command in scenario.commands(scenario.plan(ref, **plan)):
        scenario.run(command)


def caught_up(scenario: Scenario, projected: Projector) -> Projector:
    drive(scenario, "450321-2022-0001", quirks=frozenset({"short_paid"}))
    drive(scenario, "450321-2022-0002", stop_after="county_approved")
    projected.catch_up()
    return projected


def outcome(projected: Projector, name: str) -> object:
    [verified] = projected.verify([name])
    return verified


def test_read_models_match_a_replay_of_the_log_and_the_check_is_recorded(
        scenario: Scenario, projected: Projector, views: ViewsDatabase) -> None:
    outcomes = caught_up(scenario, projected).verify()
    assert all(o.ok for o in outcomes), [o.to_dict() for o in outcomes if not o.ok]
    assert sum(o.rows for o in outcomes) > 10
    with views.engine.connect() as conn:
        recorded = last_verified(conn, views.metadata)
    assert set(recorded) == {p.name for p in projected.projections}
    assert all(row.ok for row in recorded.values())
    assert {r["projection"]: r["verified_ok"] for r in projected.status()}["findings"] is True


def test_a_deleted_finding_is_named_though_status_says_current(
        scenario: Scenario, projected: Projector, views: ViewsDatabase) -> None:
    caught_up(scenario, projected)
    findings = views.live("rv_findings")
    with views.writer.begin() as conn:
        deleted = conn.execute(findings.delete().where(findings.c.rule == "short_paid")).rowcount
    assert deleted == 1
    assert {r["projection"]: r["state"] for r in projected.status()}["findings"] == "current"
    verified = outcome(projected, "findings")
    assert not verified.ok and verified.differing == 1  # type: ignore[attr-defined]
    [missing] = verified.differences  # type: ignore[attr-defined]
    assert (missing.table, missing.kind) == ("rv_findings", "missing")
    assert outcome(projected, "cases").ok  # type: ignore[attr-defined]
    assert {r["projection"]: r["verified_ok"] for r in projected.status()}["findings"] is False


def test_an_edited_row_names_its_columns_and_an_inserted_row_is_extra(
        scenario: Scenario, projected: Projector, views: ViewsDatabase) -> None:
    caught_up(scenario, projected)
    cases = views.live("rv_cases")
    with views.writer.begin() as conn:
        conn.execute(update(cases).where(cases.c.case_ref == "450321-2022-0002")
                     .values(stage="closed"))
        row = dict(conn.execute(select(cases).where(cases.c.case_ref == "450321-2022-0001"))
                   .mappings().one())
        forged = {**row, "case_id": "f" * 32, "case_ref": "450321-2022-9999"}
        conn.execute(insert(cases).values(**forged))
    verified = outcome(projected, "cases")
    kinds = {(d.kind, d.key.get("case_id") == "f" * 32): d.columns
             for d in verified.differences}  # type: ignore[attr-defined]
    assert kinds[("extra", True)] == []
    assert kinds[("changed", False)] == ["stage"]
    assert verified.differing == 2  # type: ignore[attr-defined]


def test_scratch_tables_are_gone_after_verifying(
        scenario: Scenario, projected: Projector, views: ViewsDatabase) -> None:
    caught_up(scenario, projected).verify()
    with views.engine.connect() as conn:
        if views.is_sqlite:
            names = conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))
        else:
            names = conn.execute(text("SELECT table_name FROM information_schema.tables"
                                      " WHERE table_schema = :s"), {"s": views.schema})
        assert not [n for (n,) in names if n.endswith("__verify")]
