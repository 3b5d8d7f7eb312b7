"""举报投诉 in tests: the county's discipline inspectors, a hotline call, the stored events."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from renovation.aggregates.tipoff import TipOff
from renovation.application.directory import NewMember, Principal
from renovation.bootstrap import Runtime
from renovation.kernel.vocabulary import Role

VILLAGE = "450321100201"
COUNTY = "450321000000"
CLERK = "vc-450321100201"
TOWNSHIP = "tw-450321100"
DJ = "dj-450321"
"""A discipline inspector of 阳朔县 (450321), where the tests' village lies."""
DJ2 = "dj2-450321"
OTHER_COUNTY_DJ = "dj-450323"
"""A discipline inspector of 灵川县 (450323): another county."""
CITY_DJ = "dj-4503"
STATEMENT = "村干部罗某某（电话13877001234）把自家亲戚报成危房户，房子是去年新盖的"
CALLER = "13900112233"


def with_county_inspectors(rt: Runtime) -> None:
    """Register two discipline inspectors of the tests' county (the demo has none there)."""
    rt.staff.register_many(Principal.local("ops"), [
        NewMember(staff_id=DJ, name="韦纪明", role=Role.DISCIPLINE_INSPECTOR,
                  jurisdiction=COUNTY, valid_from=date(2022, 1, 1)),
        NewMember(staff_id=DJ2, name="莫清廉", role=Role.DISCIPLINE_INSPECTOR,
                  jurisdiction=COUNTY, valid_from=date(2022, 1, 1))])


def hotline_call(**changes: Any) -> dict[str, Any]:
    return {"jurisdiction": VILLAGE, "subject": "favouring_relatives", "statement": STATEMENT,
            "contact": CALLER, **changes}


def stored_bytes(rt: Runtime) -> bytes:
    return b"".join(n.state for n in rt.app.recorder.select_notifications(start=1, limit=100_000))


def tipoff_events(rt: Runtime) -> Iterator[Any]:
    for notification in rt.app.recorder.select_notifications(start=1, limit=100_000):
        if notification.topic.startswith("renovation.tipoff:"):
            yield rt.app.mapper.to_domain_event(notification)


def lodged(rt: Runtime) -> list[Any]:
    return [e for e in tipoff_events(rt) if isinstance(e, TipOff.TipOffLodged)]
