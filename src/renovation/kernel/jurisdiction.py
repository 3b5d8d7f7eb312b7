"""行政区划代码 — 12-digit administrative division codes and the jurisdiction they cover.

A code has five levels: province (2 digits), city (+2), county (+2), township (+3), village (+3).
A code at a coarser level ends in zeros; it covers every code that starts with its
significant prefix.
"""

from __future__ import annotations

import re
from enum import IntEnum
from functools import lru_cache
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

_CODE = re.compile(r"^\d{12}$")


class Level(IntEnum):
    """Administrative level, by the number of significant digits of the code."""

    PROVINCE = 2
    CITY = 4
    COUNTY = 6
    TOWNSHIP = 9
    VILLAGE = 12

    @property
    def label(self) -> str:
        return {2: "省级", 4: "市级", 6: "县级", 9: "乡镇级", 12: "村级"}[self.value]


def check_code(code: str) -> str:
    """Return `code` if it is a well-formed 12-digit division code, else raise ValueError."""
    if not isinstance(code, str) or not _CODE.match(code):
        raise ValueError(f"a division code has exactly 12 digits, got {code!r}")
    if code[:2] == "00":
        raise ValueError(f"a division code starts with a province code, got {code!r}")
    level_of(code)
    return code


@lru_cache(maxsize=65536)
def level_of(code: str) -> Level:
    """The level of a code: the coarsest level whose remaining digits are all zero."""
    start = 0
    for level in Level:
        if set(code[start : level.value]) == {"0"}:
            raise ValueError(f"division code {code!r} has an all-zero {level.name.lower()} part")
        if set(code[level.value :]) <= {"0"}:
            return level
        start = level.value
    raise AssertionError("unreachable: a 12-digit code always has a village level")


def prefix(code: str) -> str:
    """The significant digits of a code: what every code it covers starts with."""
    return code[: level_of(code).value]


def covers(outer: str, inner: str) -> bool:
    """True if the jurisdiction `outer` contains `inner` (or is the same area)."""
    return inner.startswith(prefix(outer))


def at_level(code: str, level: Level) -> str:
    """The code of the enclosing area at `level` (e.g. the county of a village)."""
    return code[: level.value].ljust(12, "0")


_PART2, _PART3 = "(?:0[1-9]|[1-9][0-9])", "(?:00[1-9]|0[1-9][0-9]|[1-9][0-9]{2})"
CODE_PATTERN = (f"^{_PART2}(?:0{{10}}|{_PART2}(?:0{{8}}|{_PART2}(?:0{{6}}|{_PART3}"
                f"(?:000|{_PART3}))))$")
"""`check_code` as a regular expression (no part all zeros unless every finer part is), so
that published schemas say exactly which codes are accepted."""
COUNTY_PATTERN = f"^{_PART2}{{3}}0{{6}}$"
"""The codes of counties (county-level divisions)."""

DivisionCode = Annotated[str, StringConstraints(pattern=CODE_PATTERN), AfterValidator(check_code)]
"""A validated 12-digit administrative division code, for pydantic models."""
