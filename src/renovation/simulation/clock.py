"""Recording times in a simulation. Production stamps events with the system clock; a simulated
programme stamps each command during the working hours of its business date instead, so the
store reads as if the year had been entered day by day (except where a quirk says otherwise).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta

from renovation.aggregates.base import CHINA_STANDARD_TIME
from renovation.application.commands import Command


class SimulatedClock:
    """A clock the simulation moves by hand: 17:00 China time of a business day."""

    def __init__(self) -> None:
        self.now = datetime(2022, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def business_day(self, day: date) -> None:
        self.now = datetime.combine(day, time(17, 0), tzinfo=CHINA_STANDARD_TIME)


class WorkingHoursStamps:
    """The recording time of each simulated command: its business date, 09:00 to 17:00.

    `late` maps case references to a date from which that case's commands are entered late
    (backdating); `bursts` maps command ids to minute offsets from 14:00 (proxy signing).
    """

    def __init__(self, late: dict[str, tuple[str, int]] | None = None,
                 bursts: dict[str, int] | None = None) -> None:
        self.late = late or {}
        self.bursts = bursts or {}
        self._entered_late: dict[str, datetime] = {}

    def __call__(self, command: Command) -> datetime:
        if command.command_id in self.bursts:
            minutes = 14 * 60 + self.bursts[command.command_id]
        else:
            digest = hashlib.sha256(command.command_id.encode()).digest()
            minutes = 9 * 60 + int.from_bytes(digest[:4]) % (8 * 60)
        stamp = datetime.combine(command.occurred_on, time(0), tzinfo=CHINA_STANDARD_TIME)
        stamp += timedelta(minutes=minutes)
        late = self.late.get(command.case_ref)
        if late and command.type == late[0]:
            self._entered_late[command.case_ref] = stamp + timedelta(days=late[1])
        if command.case_ref in self._entered_late:
            stamp = max(stamp, self._entered_late[command.case_ref])
        return stamp
