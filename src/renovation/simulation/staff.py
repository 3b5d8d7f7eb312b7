"""The officials who act on a village's cases, derived from its 12-digit division code."""

from __future__ import annotations

from dataclasses import dataclass

_DUTIES: dict[str, tuple[str, str, int]] = {
    "clerk": ("vc", "village_clerk", 12),
    "civil_affairs": ("ca", "civil_affairs_officer", 6),
    "rural_revitalization": ("rr", "rural_revitalization_officer", 6),
    "assessor": ("as", "assessor", 6),
    "township": ("tw", "township_officer", 9),
    "approver": ("ap", "county_officer", 6),
    "county_clerk": ("cc", "county_officer", 6),
    "inspector": ("ci", "county_inspector", 6),
    "second_inspector": ("cj", "county_inspector", 6),
    "finance": ("fi", "finance_officer", 6),
    "city": ("cy", "city_inspector", 4),
    "province": ("pv", "provincial_inspector", 2),
}


@dataclass(frozen=True)
class Staff:
    """One official per duty and administrative area; ids say which (e.g. `tw-450321100`)."""

    village: str

    def actor(self, duty: str) -> dict[str, str]:
        prefix, role, digits = _DUTIES[duty]
        area = self.village[:digits]
        return {"id": f"{prefix}-{area}", "role": role, "jurisdiction": area.ljust(12, "0")}
