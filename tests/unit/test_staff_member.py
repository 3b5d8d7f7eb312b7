"""The staff directory's member: roles held for a jurisdiction and a period, ended by events."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from renovation.aggregates.base import Actor
from renovation.aggregates.staff import DirectoryRuleError, StaffMember, StaffStatus
from renovation.aggregates.token import ApiToken, TokenKind, TokenRevokedTwiceError
from renovation.kernel.protected import ProtectedValue, Sealed
from renovation.kernel.vocabulary import Role

ADMIN = Actor(id="local:ops", role=Role.ADMINISTRATOR, jurisdiction="450000000000")
NAME = ProtectedValue(sealed=Sealed(key_id="a" * 64, nonce="A" * 16, ciphertext="c2VhbGVk"),
                      masked="王*")
JAN = date(2022, 1, 1)


def member() -> StaffMember:
    m = StaffMember(staff_id="tw-450323100", name=NAME, person_ref=None, actor=ADMIN,
                    occurred_on=JAN)
    m.grant(Role.TOWNSHIP_OFFICER, "450323100000", JAN, None, ADMIN, JAN)
    return m


def rule_of(call: object) -> str:
    with pytest.raises(DirectoryRuleError) as caught:
        call()  # type: ignore[operator]
    return caught.value.rule


def test_a_role_is_held_from_its_grant_until_it_is_revoked() -> None:
    m = member()
    assert [g.role for g in m.grants_held_on(date(2022, 5, 1))] == [Role.TOWNSHIP_OFFICER]
    m.revoke(1, date(2022, 6, 1), "调岗", ADMIN, date(2022, 6, 1))
    assert m.grants_held_on(date(2022, 5, 31))
    assert not m.grants_held_on(date(2022, 6, 1))
    assert m.grants[1].valid_until == date(2022, 5, 31)


def test_a_grant_revoked_before_it_began_was_never_held_and_can_be_given_again() -> None:
    m = member()
    m.revoke(1, JAN, "录入错误", ADMIN, JAN)
    assert m.grants[1].void and not m.grants_held_on(JAN)
    again = m.grant(Role.TOWNSHIP_OFFICER, "450323100000", JAN, None, ADMIN, JAN)
    assert again.grant_no == 2 and m.grants_held_on(JAN) == [again]


def test_a_role_is_granted_only_for_its_own_level() -> None:
    assert rule_of(lambda: member().grant(Role.COUNTY_OFFICER, "450323100000", JAN, None, ADMIN,
                                          JAN)) == "staff.role_level"


def test_overlapping_grants_of_one_role_and_area_are_refused() -> None:
    m = member()
    assert rule_of(lambda: m.grant(Role.TOWNSHIP_OFFICER, "450323100000", date(2023, 1, 1),
                                   None, ADMIN, JAN)) == "staff.grant_overlaps"
    m.grant(Role.TOWNSHIP_OFFICER, "450323101000", JAN, None, ADMIN, JAN)  # another township


def test_grant_dates_run_forwards_and_revocations_name_a_live_grant() -> None:
    m = member()
    assert rule_of(lambda: m.grant(Role.ASSESSOR, "450323000000", date(2022, 5, 1),
                                   date(2022, 4, 1), ADMIN, JAN)) == "staff.grant_dates"
    assert rule_of(lambda: m.revoke(9, JAN, "x" * 4, ADMIN, JAN)) == "staff.grant_exists"
    m.revoke(1, date(2022, 6, 1), "调岗", ADMIN, JAN)
    assert rule_of(lambda: m.revoke(1, date(2022, 7, 1), "again", ADMIN, JAN)) == (
        "staff.grant_already_ended")


def test_a_disabled_member_gets_no_role_or_password_until_enabled() -> None:
    m = member()
    m.disable("离职", ADMIN, JAN)
    assert m.status is StaffStatus.DISABLED
    assert rule_of(lambda: m.disable("again", ADMIN, JAN)) == "staff.status"
    assert rule_of(lambda: m.grant(Role.ASSESSOR, "450323000000", JAN, None, ADMIN,
                                   JAN)) == "staff.status"
    assert rule_of(lambda: m.password_set(ADMIN, JAN)) == "staff.status"
    m.enable("返岗", ADMIN, JAN)
    m.password_set(ADMIN, JAN)
    assert m.status is StaffStatus.ACTIVE and m.has_password


def test_a_replayed_member_holds_the_same_grants() -> None:
    m = member()
    m.revoke(1, date(2022, 6, 1), "调岗", ADMIN, JAN)
    m.grant(Role.ASSESSOR, "450323000000", JAN, None, ADMIN, JAN)
    replayed = None
    for event in m.collect_events():
        replayed = event.mutate(replayed)
    assert isinstance(replayed, StaffMember)
    assert replayed.grants == m.grants and replayed.status is m.status


def test_a_token_is_revoked_once() -> None:
    token = ApiToken(token_id="0123456789abcdef", staff_id="tw-450323100", kind=TokenKind.API,
                     label=None, secret_sha256="b" * 64,
                     expires_at=datetime(2023, 1, 1, tzinfo=UTC), actor=ADMIN, occurred_on=JAN)
    token.revoke("泄露", ADMIN, JAN)
    assert token.revoked
    with pytest.raises(TokenRevokedTwiceError):
        token.revoke("again", ADMIN, JAN)
