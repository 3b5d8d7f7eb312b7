"""The officials who act on a village's cases, derived from its 12-digit division code, and the
demo's staff directory: every such official registered, and a few who sign in."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from renovation.application.directory import NewMember, Principal
from renovation.bootstrap import Runtime
from renovation.kernel.vocabulary import Role
from renovation.simulation.people import GIVEN, SURNAMES, id_number

_DUTIES: dict[str, tuple[str, str, int]] = {
    "clerk": ("vc", "village_clerk", 12),
    "civil_affairs": ("ca", "civil_affairs_officer", 6),
    "rural_revitalization": ("rr", "rural_revitalization_officer", 6),
    "assessor": ("as", "assessor", 6),
    "township_assessor": ("as", "assessor", 9),
    "township": ("tw", "township_officer", 9),
    "approver": ("ap", "county_officer", 6),
    "county_clerk": ("cc", "county_officer", 6),
    "inspector": ("ci", "county_inspector", 6),
    "second_inspector": ("cj", "county_inspector", 6),
    "acceptor": ("ci", "county_inspector", 9),
    "second_acceptor": ("cj", "county_inspector", 9),
    "finance": ("fi", "finance_officer", 6),
    "city": ("cy", "city_inspector", 4),
    "province": ("pv", "provincial_inspector", 2),
}
_SEATS = {"acceptor": 6, "second_acceptor": 6}
"""Duties named per township but held at the county: the county's inspectors are teamed by
township (a county cannot send one team to every house: see docs/fraud.md)."""
_TEAMED = ("township_assessor", "acceptor", "second_acceptor")
"""Duties a township shares among several teams when it has more houses than one can visit
(`CasePlan.team`; team 0 has no suffix)."""
SERVING_FROM = date(2022, 1, 1)
ID_NUMBERS = {"ap-450323": id_number("450323", 8_000_000)}
"""Officials whose ID number the directory holds (the demo's registries place this county
approver in an applicant's household: 优亲厚友)."""
DEMO_PASSWORD = "renovation-demo"
"""The password of the demo's sign-in accounts: synthetic data only, never a real store."""


@dataclass(frozen=True)
class Staff:
    """One official per duty and administrative area; ids say which (e.g. `tw-450321100`)."""

    village: str
    team: int = 0

    def actor(self, duty: str) -> dict[str, str]:
        prefix, role, digits = _DUTIES[duty]
        area, seat = self.village[:digits], self.village[:_SEATS.get(duty, digits)]
        team = f"-{self.team}" if self.team and duty in _TEAMED else ""
        return {"id": f"{prefix}-{area}{team}", "role": role,
                "jurisdiction": seat.ljust(12, "0")}


SIGN_IN: tuple[tuple[str, Role, str], ...] = (
    ("pm-4503", Role.PROGRAMME_MANAGER, "450300000000"),
    ("dj-4503", Role.DISCIPLINE_INSPECTOR, "450300000000"),
    ("dj-450323", Role.DISCIPLINE_INSPECTOR, "450323000000"),
    ("dj-45", Role.DISCIPLINE_INSPECTOR, "450000000000"),
    ("ci-4503", Role.CITY_INSPECTOR, "450300000000"),
    ("admin-4503", Role.ADMINISTRATOR, "450300000000"),
)
"""The demo's accounts that sign in (`renovation login ID`, password `DEMO_PASSWORD`): the
city's programme manager (who also enters the simulated records), discipline inspectors of the
city, 灵川县 and the region, the city inspector who draws the spot checks, an administrator."""


def officials(villages: Iterable[str], teams: int = 1) -> list[NewMember]:
    """Every official the simulated cases of these villages name, once each (with `teams`
    teams in every township)."""
    found: dict[str, NewMember] = {}
    for village in villages:
        for team in range(teams):
            staff = Staff(village, team)
            for duty in _TEAMED if team else _DUTIES:
                a = staff.actor(duty)
                if a["id"] not in found:
                    found[a["id"]] = _member(a["id"], Role(a["role"]), a["jurisdiction"])
    return list(found.values())


def register_staff(runtime: Runtime, villages: Iterable[str], passwords: bool = True,
                   teams: int = 1) -> int:
    """Register the demo's officials and sign-in accounts (once); returns how many are new.

    Recorded as the local operator's acts, as `renovation users add` would be; only the
    sign-in accounts get a password (hashing one takes a tenth of a second: tests that sign in
    with tokens instead pass `passwords=False`)."""
    operator = Principal.local()
    members = officials(villages, teams) + [_member(*entry) for entry in SIGN_IN]
    added = runtime.staff.register_many(operator, members)
    for staff_id in sorted(set(added) & {entry[0] for entry in SIGN_IN}) if passwords else ():
        runtime.staff.set_password(operator, staff_id, DEMO_PASSWORD)
    return len(added)


def principal(runtime: Runtime, staff_id: str) -> Principal:
    """A registered member as a principal, for the simulation's own acts in this process.

    Only simulations and benchmarks, which hold the store's secrets, build principals this
    way; every door authenticates (`Authenticator`)."""
    member = runtime.directory.member(staff_id)
    if member is None:
        raise LookupError(f"{staff_id} is not registered; run register_staff first")
    return runtime.directory.principal_of(member)


def _member(staff_id: str, role: Role, jurisdiction: str) -> NewMember:
    rng = random.Random(staff_id)
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    return NewMember(staff_id=staff_id, name=name, role=role, jurisdiction=jurisdiction,
                     valid_from=SERVING_FROM, id_number=ID_NUMBERS.get(staff_id))
