"""Kept answers: the same answer while the read models stand still, a fresh one as soon as they
move, and a copy each caller may change."""

from __future__ import annotations

from renovation.projections import Projector, ViewsDatabase, queries
from renovation.projections.queries.answers import Answers, stamp
from tests.support.app import Scenario

COUNTY = "450321000000"


def progress(views: ViewsDatabase) -> dict[str, object]:
    return queries.progress(views, "township", inside=COUNTY)


def test_an_answer_is_kept_until_a_projection_applies_a_page(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    scenario.drive(scenario.plan("450321-2022-0001", stop_after="applied"))
    projected.catch_up()
    answers, asked = Answers(), []

    def ask() -> dict[str, object]:
        asked.append(1)
        return progress(views)

    first = answers.get(views, ("progress", COUNTY), ask)
    assert answers.get(views, ("progress", COUNTY), ask) == first and len(asked) == 1

    scenario.drive(scenario.plan("450321-2022-0002", stop_after="applied"))
    assert answers.get(views, ("progress", COUNTY), ask) == first  # not applied yet: same stamp
    before = stamp(views)
    projected.catch_up()
    assert stamp(views) > before

    fresh = answers.get(views, ("progress", COUNTY), ask)
    assert len(asked) == 2 and fresh == progress(views) and fresh != first
    assert (answers.hits, answers.misses) == (2, 2)


def test_each_caller_gets_its_own_copy(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    scenario.drive(scenario.plan("450321-2022-0001", stop_after="applied"))
    projected.catch_up()
    answers = Answers()
    mine = answers.get(views, "p", lambda: progress(views))
    mine["rows"].clear()  # type: ignore[attr-defined]
    assert answers.get(views, "p", lambda: progress(views)) == progress(views)


def test_the_least_recently_used_answer_goes_first(views: ViewsDatabase,
                                                   projected: Projector) -> None:
    answers = Answers(size=2)
    for key in ("a", "b", "a", "c"):
        answers.get(views, key, lambda key=key: key)
    answers.get(views, "a", lambda: "again")
    answers.get(views, "b", lambda: "again")
    assert (answers.hits, answers.misses) == (2, 4)
