"""举报投诉办理时限 — the days a tip-off may wait to be handed over and to be concluded.

Data, not code: `data/tipoffs/deadlines.toml`, validated here (extra keys refused). Every figure
names its `source`; the shipped ones are the product's placeholders for a county decision, and a
county's own figures go under `counties`. A tip-off records the deadlines it was given (and this
file's id and version) when it is lodged, so a later change of the file changes no old deadline.
"""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from renovation.kernel.jurisdiction import COUNTY_PATTERN, Level, at_level

_FILE = resources.files("renovation.policy") / "data" / "tipoffs" / "deadlines.toml"
CountyCode = Annotated[str, StringConstraints(pattern=COUNTY_PATTERN)]


class TipOffPolicyFileError(Exception):
    """The shipped deadlines file is malformed: a programming error, caught by the tests."""


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Deadline(_Strict):
    """A number of calendar days, and who decided it."""

    days: Annotated[int, Field(strict=True, ge=1, le=365)]
    source: Annotated[str, StringConstraints(min_length=3, max_length=200)]


class CountyDeadlines(_Strict):
    """One county's own figures."""

    hand_over: Deadline
    conclude: Deadline


class TipOffDeadlines(_Strict):
    """The file: default figures and the counties' own."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{1,40}$")]
    version: Annotated[int, Field(strict=True, ge=1)]
    hand_over: Deadline
    conclude: Deadline
    counties: dict[CountyCode, CountyDeadlines] = {}

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    def for_area(self, code: str) -> CountyDeadlines:
        """The figures of the county enclosing `code` (its own, else the defaults)."""
        own = self.counties.get(at_level(code, Level.COUNTY))
        return own or CountyDeadlines(hand_over=self.hand_over, conclude=self.conclude)

    def due_dates(self, code: str, lodged_on: date) -> tuple[date, date]:
        """(hand over by, conclude by), both counted from the day the tip-off was lodged."""
        figures = self.for_area(code)
        return (lodged_on + timedelta(days=figures.hand_over.days),
                lodged_on + timedelta(days=figures.conclude.days))


@cache
def load_tipoff_deadlines() -> TipOffDeadlines:
    """The shipped deadlines, validated once per process."""
    try:
        return TipOffDeadlines.model_validate(tomllib.loads(_FILE.read_text(encoding="utf-8")))
    except (tomllib.TOMLDecodeError, ValidationError) as error:
        raise TipOffPolicyFileError(f"tip-off deadlines file is invalid: {error}") from error
