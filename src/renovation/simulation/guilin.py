"""Guilin's counties as the 2022 plan lists them (seed 004 §三 and §六(二)2)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class County:
    code: str
    name: str
    households_2022: int
    work_funds_wan: int

    @property
    def division_code(self) -> str:
        return self.code.ljust(12, "0")

    def village(self, township: int, village: int) -> str:
        """A synthetic village code: township 1xx, village 2xx within this county."""
        return f"{self.code}{100 + township:03d}{200 + village:03d}"

    def villages(self) -> list[str]:
        """Every village the simulation may place a case in (`village(n % 7, n % 23)`)."""
        return [self.village(t, v) for t in range(TOWNSHIPS) for v in range(VILLAGES)]


TOWNSHIPS, VILLAGES = 7, 23


COUNTIES: tuple[County, ...] = (
    County("450323", "灵川县", 175, 34),
    County("450324", "全州县", 243, 40),
    County("450325", "兴安县", 73, 34),
    County("450326", "永福县", 61, 34),
    County("450321", "阳朔县", 44, 34),
    County("450327", "灌阳县", 105, 40),
    County("450328", "龙胜各族自治县", 100, 40),
    County("450329", "资源县", 58, 40),
    County("450330", "平乐县", 63, 34),
    County("450381", "荔浦市", 99, 34),
    County("450332", "恭城瑶族自治县", 65, 34),
    County("450312", "临桂区", 83, 34),
    County("450311", "雁山区", 4, 34),
)
"""The 13 counties with 2022 tasks; 1,173 households in all."""


PROGRAMME = "guilin-2022"
CITY_CODE = "450300"
RURAL_REVITALIZATION_TOTAL = 548
"""The plan gives totals only: project funds of 23,897,000 yuan (2007.94万 central + 381.76万
regional) over 1,173 households at 26,500 / 15,000 yuan imply 548 households certified by rural
revitalisation and 625 by civil affairs."""
CENTRAL_FUNDS_TOTAL = 20_079_400
OTHER_WORK_FUNDS = (("450300", "桂林市本级", 35), ("450305", "七星区", 9))


def apportion(total: int, weights: list[int]) -> list[int]:
    """Split `total` in proportion to `weights`, rounding by largest remainder (sums exactly)."""
    whole = sum(weights)
    shares = [total * w // whole for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: -(total * weights[i] % whole))
    for i in remainders[: total - sum(shares)]:
        shares[i] += 1
    return shares


def plan_rows(households: int = 1173) -> list[dict[str, object]]:
    """The 2022 task and fund plan as targets-CSV rows, keyed by 12-digit division codes (scaled
    when simulating more households).

    Per county the plan states households and work funds; the split by certifying department
    and the central funds per county are not published, so they are apportioned here in
    proportion to the county's households (resp. project funds) to reproduce the plan's totals.
    """
    planned = [c.households_2022 for c in COUNTIES]
    per_county = apportion(households, planned)
    rural = apportion(RURAL_REVITALIZATION_TOTAL * households // sum(planned), per_county)
    project = [r * 26_500 + (h - r) * 15_000 for r, h in zip(rural, per_county, strict=True)]
    central = apportion(CENTRAL_FUNDS_TOTAL * households // sum(planned), project)
    rows: list[dict[str, object]] = [
        {"county_code": code.ljust(12, "0"), "county_name": name,
         "rural_revitalization_households": 0,
         "civil_affairs_households": 0, "central_funds_yuan": 0, "work_funds_yuan": wan * 10_000}
        for code, name, wan in OTHER_WORK_FUNDS
    ]
    for county, h, r, c in zip(COUNTIES, per_county, rural, central, strict=True):
        rows.append({
            "county_code": county.division_code, "county_name": county.name,
            "rural_revitalization_households": r, "civil_affairs_households": h - r,
            "central_funds_yuan": c, "work_funds_yuan": county.work_funds_wan * 10_000,
        })
    return rows


PROVINCE = ("450000000000", "广西壮族自治区")
CITY = ("450300000000", "桂林市")
_SYLLABLES = "大小东西南北中新和平安兴福田石山水竹桥岭坪塘江河源洞板凤龙马"


def _synthetic(code: str, suffix: str) -> str:
    rng = random.Random(code)
    return rng.choice(_SYLLABLES) + rng.choice(_SYLLABLES) + suffix


def division_names() -> Iterator[tuple[str, str]]:
    """The names of the demo's divisions: real ones down to the counties, then synthetic
    townships (…镇) and villages (…村) for the synthetic codes the simulation uses."""
    yield PROVINCE
    yield CITY
    for county in COUNTIES:
        yield county.division_code, county.name
        for township in range(TOWNSHIPS):
            code = county.village(township, 0)[:9]
            yield code.ljust(12, "0"), _synthetic(code, "镇")
        for village in county.villages():
            yield village, _synthetic(village, "村")
