"""Whatever spelling of the reviewer's id a caller sends — another letter case, padding, full-width
characters, look-alikes from other scripts — the reviewer never also approves the case.

Through the application service on one store: the township officer reviewed the case and also
holds a county role, so only the duty itself (not a missing role) can stop them approving.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import date

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from renovation.application.directory import Principal
from renovation.kernel.errors import RuleViolation
from renovation.kernel.staff import STAFF_ID_INPUT, StaffIdError, canonical_staff_id
from renovation.kernel.vocabulary import Role
from tests.support.app import Scenario, sqlite_scenario

CASE = "450321-2022-0001"
REVIEWER = "tw-450321100"
LOOK_ALIKES = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "-": "‐",
               "1": "l", "0": "O", "t": "т", "w": "ԝ"}
PADDING = ("", " ", "\t", "\u3000", "\n", "\u00a0")


@st.composite
def spellings(draw: st.DrawFn) -> str:
    """The reviewer's id as a careless (or cunning) caller might send it."""
    chars = []
    ways = ("same", "upper", "wide", "look-alike") if draw(st.booleans()) else (
        "same", "upper", "wide")
    for c in REVIEWER:
        how = draw(st.sampled_from(ways))
        if how == "upper":
            c = c.upper()
        elif how == "wide" and c.isascii() and c.isalnum():
            c = chr(ord(c) + 0xFEE0)
        elif how == "look-alike":
            c = LOOK_ALIKES.get(c, c)
        chars.append(c)
    return draw(st.sampled_from(PADDING)) + "".join(chars) + draw(st.sampled_from(PADDING))


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    with sqlite_scenario(tmp_path_factory.mktemp("duties")) as scenario:
        scenario.drive(scenario.plan(CASE, stop_after="township_approved"))
        scenario.rt.staff.grant(Principal.local("ops"), REVIEWER, Role.COUNTY_OFFICER,
                                "450321000000", date(2022, 1, 1))
        yield scenario


@settings(max_examples=150, deadline=None)
@given(spelling=spellings())
def test_the_reviewer_never_approves_whatever_the_spelling(
    reviewed: Scenario, spelling: str,
) -> None:
    command = {**reviewed.command("grant_county_approval", CASE, "approver", date(2022, 6, 1),
                                  {}, n=hashlib.sha256(spelling.encode()).hexdigest()[:16]),
               "actor": {"id": spelling, "role": "county_officer"}}
    with pytest.raises(RuleViolation) as caught:
        reviewed.run(command)
    event(caught.value.rule)
    if not re.fullmatch(STAFF_ID_INPUT, spelling):  # outside what the schema takes
        assert caught.value.rule == "input.string_pattern_mismatch", (spelling, caught.value)
        return
    try:
        same = canonical_staff_id(spelling) == REVIEWER
    except StaffIdError:
        assert caught.value.rule == "actor.id_form", (spelling, caught.value)
        return
    expected = "duties.reviewer_is_not_approver" if same else "actor.unknown"
    assert caught.value.rule == expected, (spelling, caught.value)
