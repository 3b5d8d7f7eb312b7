"""公示异议: an objection is lodged only while its notice is open, and carries no plaintext."""

from __future__ import annotations

from datetime import date

import pytest

from renovation.aggregates.base import recording_clock
from renovation.aggregates.objection import (
    NoticeObjection,
    NoticeState,
    ObjectionOutsideNoticeError,
    receipt_of,
)
from renovation.kernel.protected import ProtectedValue, Sealed
from renovation.kernel.vocabulary import NoticeLevel, ObjectionGround
from tests.support.time import at

POSTED = date(2022, 4, 1)
NOTICE = NoticeState(notice_no="GS-V-1", posted_on=POSTED, planned_days=7, closed_on=None)
SEALED = ProtectedValue(sealed=Sealed(key_id="a" * 64, nonce="n" * 16, ciphertext="c" * 40),
                        masked="（异议内容已加密保存）")


def lodge(notice: NoticeState | None, today: date) -> NoticeObjection:
    with recording_clock(at(today)):
        return NoticeObjection.lodge(
            case_ref="450321-2022-0001", level=NoticeLevel.VILLAGE, notice=notice,
            village="450321100201", ground=ObjectionGround.HAS_OTHER_HOUSING,
            statement=SEALED, contact=None, today=today)


@pytest.mark.parametrize("today", [POSTED, date(2022, 4, 5), date(2022, 4, 8)])
def test_an_objection_within_the_notice_period_is_lodged(today: date) -> None:
    objection = lodge(NOTICE, today)
    (lodged,) = objection.collect_events()
    assert isinstance(lodged, NoticeObjection.ObjectionLodged)
    assert (lodged.notice_no, lodged.occurred_on, lodged.actor.id) == ("GS-V-1", today, "public")
    assert objection.receipt == receipt_of(objection.id)


@pytest.mark.parametrize("today", [date(2022, 3, 31), date(2022, 4, 9)])
def test_an_objection_before_the_posting_or_after_the_period_is_refused(today: date) -> None:
    with pytest.raises(ObjectionOutsideNoticeError) as refused:
        lodge(NOTICE, today)
    assert refused.value.rule == "objection.within_notice_period"
    assert refused.value.field == "level"


def test_an_objection_to_a_closed_notice_is_refused_even_within_its_days() -> None:
    closed = NOTICE.model_copy(update={"closed_on": date(2022, 4, 8)})
    with pytest.raises(ObjectionOutsideNoticeError) as refused:
        lodge(closed, date(2022, 4, 8))
    assert "closed on 2022-04-08" in refused.value.message


def test_an_objection_where_no_notice_was_posted_is_refused() -> None:
    with pytest.raises(ObjectionOutsideNoticeError) as refused:
        lodge(None, POSTED)
    assert refused.value.rule == "objection.notice_posted"


def test_receipts_are_short_and_distinct() -> None:
    receipts = {lodge(NOTICE, POSTED).receipt for _ in range(50)}
    assert len(receipts) == 50
    assert all(len(r) == 17 and r.startswith("YY-") for r in receipts)
