"""Clocks for tests: a fixed recording time, and a clock that can be moved."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time

from renovation.aggregates.base import CHINA_STANDARD_TIME


def at(day: date, hour: int = 17) -> Callable[[], datetime]:
    """A recording clock stopped at `hour` o'clock China time on `day`."""
    moment = datetime.combine(day, time(hour), tzinfo=CHINA_STANDARD_TIME)
    return lambda: moment
