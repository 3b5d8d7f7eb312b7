"""Guilin's counties as the 2022 plan lists them (seed 004 §三 and §六(二)2)."""

from __future__ import annotations

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
