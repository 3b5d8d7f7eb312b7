"""12-digit division codes: levels, prefixes and which jurisdiction covers which."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renovation.kernel.jurisdiction import (
    CODE_PATTERN,
    Level,
    at_level,
    check_code,
    covers,
    level_of,
    prefix,
)


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("450000000000", Level.PROVINCE),
        ("450300000000", Level.CITY),
        ("450321000000", Level.COUNTY),
        ("450321100000", Level.TOWNSHIP),
        ("450321100201", Level.VILLAGE),
    ],
)
def test_the_level_is_read_from_the_trailing_zeros(code: str, level: Level) -> None:
    assert level_of(code) is level
    assert len(prefix(code)) == level.value


def test_a_county_covers_its_villages_and_not_its_neighbours() -> None:
    assert covers("450321000000", "450321100201")
    assert covers("450300000000", "450321100201")
    assert not covers("450322000000", "450321100201")
    assert not covers("450321100201", "450321000000")


def test_the_enclosing_area_at_a_level() -> None:
    assert at_level("450321100201", Level.COUNTY) == "450321000000"


@pytest.mark.parametrize("code", ["4503211002", "45032110020a", "000000000000", "450321000201"])
def test_malformed_codes_are_refused(code: str) -> None:
    with pytest.raises(ValueError):
        check_code(code)


@given(st.lists(st.sampled_from(["0", "1", "9"]), min_size=12, max_size=12),
       st.lists(st.integers(0, 11), max_size=4))
def test_the_published_pattern_accepts_exactly_the_codes_check_code_accepts(
    digits: list[str], zeroed: list[int],
) -> None:
    for i in zeroed:
        digits[i] = "0"
    code = "".join(digits)
    try:
        check_code(code)
        valid = True
    except ValueError:
        valid = False
    assert valid == bool(re.fullmatch(CODE_PATTERN, code)), code
