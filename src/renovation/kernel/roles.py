"""岗位层级 — the administrative level each role acts from.

A village clerk serves a village, a county officer a county: a role held (or claimed) for a
jurisdiction of another level is refused wherever it is checked — when the directory grants it
and when an act is authorised.
"""

from __future__ import annotations

from renovation.kernel.jurisdiction import Level
from renovation.kernel.vocabulary import Role

_ABOVE_VILLAGE = frozenset({Level.PROVINCE, Level.CITY, Level.COUNTY})

ROLE_LEVELS: dict[Role, frozenset[Level]] = {
    Role.VILLAGE_CLERK: frozenset({Level.VILLAGE}),
    Role.CIVIL_AFFAIRS_OFFICER: frozenset({Level.COUNTY}),
    Role.RURAL_REVITALIZATION_OFFICER: frozenset({Level.COUNTY}),
    Role.ASSESSOR: frozenset({Level.COUNTY, Level.TOWNSHIP}),
    Role.TOWNSHIP_OFFICER: frozenset({Level.TOWNSHIP}),
    Role.COUNTY_OFFICER: frozenset({Level.COUNTY}),
    Role.COUNTY_INSPECTOR: frozenset({Level.COUNTY}),
    Role.FINANCE_OFFICER: frozenset({Level.COUNTY}),
    Role.CITY_INSPECTOR: frozenset({Level.CITY}),
    Role.PROVINCIAL_INSPECTOR: frozenset({Level.PROVINCE}),
    Role.DISCIPLINE_INSPECTOR: frozenset(Level),
    Role.PROGRAMME_MANAGER: _ABOVE_VILLAGE,
    Role.INTEGRATOR: _ABOVE_VILLAGE,
    Role.ADMINISTRATOR: _ABOVE_VILLAGE,
}


def level_names(role: Role) -> str:
    return ", ".join(level.name.lower() for level in sorted(ROLE_LEVELS[role]))
