"""台账规则 — the deadlines housing-safety ledgers are judged by, from `monitoring.toml`.

Each profile applies to the division codes starting with its prefix (the longest prefix wins)
and cites a source for every figure: a seed section, or a county decision shipped as a default.
"""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

MonthDay = Annotated[str, StringConstraints(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")]
Source = Annotated[str, StringConstraints(min_length=8, max_length=300)]


class MonitoringRules(BaseModel):
    """One profile's deadlines, each with its source."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    prefix: Annotated[str, StringConstraints(pattern=r"^\d{0,12}$")]
    report_by: MonthDay
    report_by_source: Source
    report_within_days: Annotated[int, Field(ge=1, le=365)]
    report_within_days_source: Source
    disaster_report_within_days: Annotated[int, Field(ge=0, le=30)]
    disaster_report_within_days_source: Source
    patrol_age_years: Annotated[int, Field(ge=0, le=200)]
    patrol_age_years_source: Source
    recheck_after_days: Annotated[int, Field(ge=30, le=3650)]
    recheck_after_days_source: Source
    reassess_age_years: Annotated[int, Field(ge=0, le=200)]
    reassess_age_years_source: Source
    survey_required_from: date | None = None
    survey_required_source: Source

    def report_due(self, found_on: date, disaster: bool) -> date:
        """报送 deadline: at once after a disaster; by the annual date for what the year's sweep
        found before it; within the set days for what is found later in the year."""
        if disaster:
            return found_on + timedelta(days=self.disaster_report_within_days)
        month, day = (int(part) for part in self.report_by.split("-"))
        annual = date(found_on.year, month, day)
        if found_on <= annual:
            return annual
        return found_on + timedelta(days=self.report_within_days)

    def needs_monthly_patrol(self, built_year: int | None, on: date) -> bool:
        return built_year is not None and on.year - built_year >= self.patrol_age_years

    def needs_reassessment(self, built_year: int | None, seismic: bool | None, on: date) -> bool:
        """Ningxia: houses of 25 years or more without seismic measures, every year."""
        return (self.reassess_age_years > 0 and built_year is not None and seismic is not True
                and on.year - built_year >= self.reassess_age_years)


class MonitoringFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    profiles: dict[str, MonitoringRules]


@cache
def _profiles() -> tuple[MonitoringRules, ...]:
    text = (resources.files("renovation.policy") / "monitoring.toml").read_text(encoding="utf-8")
    loaded = MonitoringFile.model_validate(tomllib.loads(text))
    return tuple(sorted(loaded.profiles.values(), key=lambda p: -len(p.prefix)))


def survey_prefixes() -> tuple[str, ...]:
    """The prefixes of the profiles that require a survey finding before approval."""
    return tuple(p.prefix for p in _profiles() if p.survey_required_from is not None)


def monitoring_rules(code: str) -> MonitoringRules:
    """The profile of the longest prefix of `code` (the default profile has prefix "")."""
    return next(p for p in _profiles() if code.startswith(p.prefix))
