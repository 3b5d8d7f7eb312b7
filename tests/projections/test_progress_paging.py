"""Progress by village pages by code: the pages together are the whole answer, the total is the
scope's whatever the page."""

from __future__ import annotations

from renovation.projections import Projector, ViewsDatabase, queries
from tests.support.app import Scenario

VILLAGES = ("450321100201", "450321100202", "450321101203", "450321101204", "450321102205")


def test_pages_of_villages_add_up_to_the_whole_answer(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    for n, village in enumerate(VILLAGES):
        scenario.drive(scenario.plan(f"450321-2022-000{n}", stop_after="applied", village=village))
    projected.catch_up()
    whole = queries.progress(views, "village", inside="450321000000")
    pages, after = [], None
    while True:
        page = queries.progress(views, "village", inside="450321000000", limit=2, after=after)
        assert page["total"] == whole["total"] and len(page["rows"]) <= 2
        pages.append(page)
        after = page["next"]
        if after is None:
            break
    assert [len(p["rows"]) for p in pages] == [2, 2, 1]
    assert [row for p in pages for row in p["rows"]] == whole["rows"]
    assert [row["code"] for row in whole["rows"]] == list(VILLAGES)
