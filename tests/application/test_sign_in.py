"""Signing in and tokens: every refusal names its rule, writes no event, and no secret is logged
or recorded."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import structlog

from renovation.application.directory import AuthenticationError, NewMember, Principal
from renovation.bootstrap import Runtime
from renovation.identity.credentials import MAX_FAILURES
from renovation.kernel.errors import RuleViolation
from renovation.kernel.vocabulary import Role
from renovation.logging import configure_logging
from renovation.simulation.demo import SimulatedClock
from tests.support.raw_store import RawStore

PASSWORD = "correct horse 9"
OPERATOR = Principal.local("ops")


@pytest.fixture
def member(runtime: Runtime) -> str:
    runtime.staff.register(OPERATOR, NewMember("dj-4503", "王小明", Role.DISCIPLINE_INSPECTOR,
                                               "450300000000", date(2022, 1, 1)))
    runtime.staff.set_password(OPERATOR, "dj-4503", PASSWORD)
    return "dj-4503"


def head(rt: Runtime) -> int:
    return int(rt.app.recorder.max_notification_id() or 0)


def refusal(call: object) -> RuleViolation:
    with pytest.raises(AuthenticationError) as caught:
        call()  # type: ignore[operator]
    return caught.value


def test_the_right_password_gives_a_session_that_authenticates_as_the_member(
    runtime: Runtime, member: str,
) -> None:
    issued = runtime.auth.sign_in(" DJ-4503 ", PASSWORD)
    me = runtime.auth.authenticate(issued.token)
    assert (me.staff_id, me.token_id) == ("dj-4503", issued.token_id)
    assert [(g.role, g.jurisdiction) for g in me.grants] == [
        (Role.DISCIPLINE_INSPECTOR, "450300000000")]
    assert issued.token not in repr(issued)


def test_a_wrong_password_or_unknown_id_is_refused_alike_and_records_nothing(
    runtime: Runtime, member: str,
) -> None:
    before = head(runtime)
    for staff_id, password in ((member, "wrong password"), ("nobody-1", PASSWORD),
                               ("Ｘ\u0430", PASSWORD)):
        error = refusal(lambda s=staff_id, p=password: runtime.auth.sign_in(s, p))
        assert error.rule == "auth.invalid_credentials"
        assert password not in str(error)
    assert head(runtime) == before


def test_repeated_failures_lock_the_account_for_a_while(
    runtime: Runtime, clock: SimulatedClock, member: str,
) -> None:
    for _ in range(MAX_FAILURES - 1):
        assert refusal(lambda: runtime.auth.sign_in(member, "guess guess")).rule == (
            "auth.invalid_credentials")
    assert refusal(lambda: runtime.auth.sign_in(member, "guess guess")).rule == (
        "auth.rate_limited")
    assert refusal(lambda: runtime.auth.sign_in(member, PASSWORD)).rule == "auth.rate_limited"
    clock.now += timedelta(minutes=16)
    assert runtime.auth.sign_in(member, PASSWORD).staff_id == member


def test_expired_revoked_malformed_and_altered_tokens_are_refused(
    runtime: Runtime, clock: SimulatedClock, member: str,
) -> None:
    issued = runtime.staff.issue_token(OPERATOR, member, days=1)
    assert runtime.auth.authenticate(issued.token).staff_id == member
    altered = issued.token[:-1] + ("A" if issued.token[-1] != "A" else "B")
    assert refusal(lambda: runtime.auth.authenticate(altered)).rule == "auth.token_unknown"
    malformed = refusal(lambda: runtime.auth.authenticate("Bearer " + issued.token))
    assert (malformed.rule, malformed.value) == ("auth.token_malformed", "***")
    clock.now += timedelta(days=2)
    assert refusal(lambda: runtime.auth.authenticate(issued.token)).rule == "auth.token_expired"
    second = runtime.staff.issue_token(OPERATOR, member, days=30)
    runtime.staff.revoke_token(OPERATOR, second.token_id, "设备遗失")
    assert refusal(lambda: runtime.auth.authenticate(second.token)).rule == "auth.token_revoked"


def test_signing_out_revokes_the_session(runtime: Runtime, member: str) -> None:
    issued = runtime.auth.sign_in(member, PASSWORD)
    runtime.auth.sign_out(runtime.auth.authenticate(issued.token))
    assert refusal(lambda: runtime.auth.authenticate(issued.token)).rule == "auth.token_revoked"


def test_a_disabled_member_and_one_without_a_current_role_cannot_sign_in(
    runtime: Runtime, clock: SimulatedClock, member: str,
) -> None:
    token = runtime.staff.issue_token(OPERATOR, member).token
    runtime.staff.disable(OPERATOR, member, "离职")
    assert refusal(lambda: runtime.auth.sign_in(member, PASSWORD)).rule == "auth.user_disabled"
    assert refusal(lambda: runtime.auth.authenticate(token)).rule == "auth.user_disabled"
    runtime.staff.enable(OPERATOR, member, "返岗")
    assert runtime.auth.authenticate(token).staff_id == member
    clock.business_day(date(2022, 3, 1))
    runtime.staff.revoke(OPERATOR, member, 1, date(2022, 3, 1), "任期届满")
    assert refusal(lambda: runtime.auth.sign_in(member, PASSWORD)).rule == "auth.no_role_held"
    assert refusal(lambda: runtime.auth.authenticate(token)).rule == "auth.no_role_held"


def test_passwords_follow_the_policy(runtime: Runtime, member: str) -> None:
    for weak in ("short", " padded password ", "dj-4503-secret!"):
        with pytest.raises(RuleViolation) as caught:
            runtime.staff.set_password(OPERATOR, member, weak)
        assert (caught.value.rule, caught.value.value) == ("auth.password_policy", "***")


def test_no_password_or_token_reaches_a_log_line_or_an_event(
    runtime: Runtime, member: str, capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("json", "DEBUG")
    try:
        issued = runtime.auth.sign_in(member, PASSWORD)
        with pytest.raises(AuthenticationError):
            runtime.auth.sign_in(member, PASSWORD + "x")
        api = runtime.staff.issue_token(OPERATOR, member)
        runtime.auth.authenticate(issued.token)
        with pytest.raises(AuthenticationError):
            runtime.auth.authenticate(issued.token + "x")
        logged = capsys.readouterr()
    finally:
        structlog.reset_defaults()
    stored = b"".join(bytes(r[0]) for r in RawStore(runtime.settings.db).run(
        "SELECT state FROM {events}"))
    for secret in (PASSWORD, issued.token, api.token, issued.token.split("_", 2)[2]):
        assert secret not in logged.out + logged.err
        assert secret.encode() not in stored
    assert "auth.refused" in logged.err and "auth.signed_in" in logged.err
