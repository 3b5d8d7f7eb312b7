"""Blind scenario: about seventy cases of the Guilin 2022 programme, written by someone who has
not read the product's irregularity rules, with the departments' registries and the list of
cases an inspector would want flagged.

Run:  .venv/bin/python tests/scenarios/blind/generate.py [OUT_DIR]

Writes, deterministically (same bytes on every run), into tests/scenarios/blind/data/ (or
OUT_DIR): staff.csv, cases.jsonl, the registry CSVs, expected.csv and programme.json. See
README.md beside this file for the steps that load them.

Every household, official and number is synthetic. ID numbers are valid under GB 11643 (real
region codes of 灵川县 450323, 全州县 450324, 兴安县 450325 and 桂林 city districts), bank
cards pass Luhn (renovation.simulation.people.bank_card), phones are 11-digit mobiles.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from stdnum.cn import ric

from renovation.simulation.people import bank_card, phone

HERE = Path(__file__).resolve().parent
PROGRAMME = "guilin-2022"
SNAPSHOT = "2022-12-15"
SCORE_AS_OF = "2022-12-31"
SEED = 45032022

rng = random.Random(SEED)

# ----------------------------------------------------------------------------------------------
# Geography: three counties of 桂林, their townships (9 digits) and villages (12 digits).
# ----------------------------------------------------------------------------------------------

COUNTIES: dict[str, dict[str, Any]] = {
    "450323": {
        "name": "灵川县",
        "townships": {
            "450323100": "灵川镇",
            "450323101": "大圩镇",
            "450323102": "定江镇",
            "450323103": "三街镇",
            "450323104": "潭下镇",
            "450323105": "九屋镇",
        },
    },
    "450324": {
        "name": "全州县",
        "townships": {
            "450324100": "全州镇",
            "450324101": "黄沙河镇",
            "450324102": "庙头镇",
            "450324103": "文桥镇",
            "450324104": "大西江镇",
        },
    },
    "450325": {
        "name": "兴安县",
        "townships": {
            "450325100": "兴安镇",
            "450325101": "湘漓镇",
            "450325102": "界首镇",
            "450325103": "高尚镇",
            "450325104": "严关镇",
        },
    },
}
VILLAGE_SUFFIXES = ("201", "204")


def villages_of(county: str) -> list[str]:
    return [t + s for t in COUNTIES[county]["townships"] for s in VILLAGE_SUFFIXES]


def county_of(code: str) -> str:
    return code[:6]


def township_of(code: str) -> str:
    return code[:9]


def jur(code: str) -> str:
    return code.ljust(12, "0")


def town_community(county: str) -> str:
    """The county seat's residents' committee (县城社区), where officials live."""
    return f"{county}100001"


# ----------------------------------------------------------------------------------------------
# People
# ----------------------------------------------------------------------------------------------

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁宋唐韦蒋莫覃廖蓝邓蒋秦文"
MALE_GIVEN = "伟强磊军勇杰涛明超刚华建国志春生福贵德成林松全有富顺发荣"
FEMALE_GIVEN = "芳娜秀英敏静丽艳娟兰霞桂玉梅红春凤琴莲翠菊香"
_used_ids: set[str] = set()
_seq = [100]


def new_id(region: str, born: date, male: bool) -> str:
    while True:
        _seq[0] += 1
        seq = (_seq[0] * 2) % 1000
        seq = seq + 1 if male else seq  # the 17th digit: odd for men, even for women
        body = f"{region}{born:%Y%m%d}{seq:03d}"
        number = body + ric.calc_check_digit(body + "0")
        if number not in _used_ids:
            _used_ids.add(number)
            return number


def new_name(male: bool, surname: str | None = None) -> str:
    given_pool = MALE_GIVEN if male else FEMALE_GIVEN
    given = "".join(rng.choice(given_pool) for _ in range(rng.choice((1, 2, 2))))
    return (surname or rng.choice(SURNAMES)) + given


def birth(year: int) -> date:
    return date(year, rng.randint(1, 12), rng.randint(1, 28))


@dataclass
class Person:
    name: str
    male: bool
    born: date
    id_number: str
    rel_app: str  # relationship to the head as written on the application
    rel_reg: str  # relationship as the 户籍 registry writes it (Chinese term)
    joined_on: date | None = None
    left_on: date | None = None
    deceased_on: date | None = None


def person(
    region: str, year: int, male: bool, rel_app: str, rel_reg: str, surname: str | None = None
) -> Person:
    born = birth(year)
    return Person(new_name(male, surname), male, born, new_id(region, born, male), rel_app, rel_reg)


def household_people(
    region: str, size: int, head_year: int, head_male: bool = True
) -> list[Person]:
    """A plausible rural household of `size` people, the head first."""
    surname = rng.choice(SURNAMES)
    head = person(region, head_year, head_male, "户主", "户主", surname)
    people = [head]
    if size >= 2:
        people.append(person(region, head_year + rng.randint(-3, 2), not head_male, "配偶", "配偶"))
    child_year = head_year + rng.randint(23, 28)
    if size >= 3:
        son = person(region, child_year, True, "子", "子", surname)
        people.append(son)
    if size >= 4:
        if size >= 5:
            people.append(person(region, child_year + rng.randint(-2, 2), False, "儿媳", "儿媳"))
        else:
            people.append(
                person(region, child_year + rng.randint(2, 6), False, "女", "女", surname)
            )
    if size >= 5:
        for k in range(size - 4):
            male = k % 2 == 0
            people.append(
                person(
                    region,
                    min(child_year + 25 + k * 2, 2019),
                    male,
                    "孙子" if male else "孙女",
                    "孙子" if male else "孙女",
                    surname,
                )
            )
    return people


# ----------------------------------------------------------------------------------------------
# Staff directory
# ----------------------------------------------------------------------------------------------


@dataclass
class Official:
    staff_id: str
    name: str
    role: str
    jurisdiction: str
    id_number: str
    male: bool
    born: date


STAFF: dict[str, Official] = {}


def add_official(
    staff_id: str,
    role: str,
    jurisdiction: str,
    region: str,
    year: int | None = None,
    male: bool | None = None,
) -> Official:
    male = rng.random() < 0.6 if male is None else male
    born = birth(year or rng.randint(1968, 1994))
    off = Official(
        staff_id, new_name(male), role, jurisdiction, new_id(region, born, male), male, born
    )
    STAFF[staff_id] = off
    return off


def build_staff() -> None:
    add_official("pm-4503", "programme_manager", "450300000000", "450302", 1976)
    for county in COUNTIES:
        cj = jur(county)
        add_official(f"ca-{county}", "civil_affairs_officer", cj, county)
        add_official(f"rr-{county}", "rural_revitalization_officer", cj, county)
        add_official(f"as-{county}", "assessor", cj, county)
        add_official(
            f"ap-{county}",
            "county_officer",
            cj,
            county,
            1976 if county == "450324" else None,
            True if county == "450324" else None,
        )
        add_official(f"cc-{county}", "county_officer", cj, county)
        for prefix in ("ci", "cj", "ck"):
            add_official(f"{prefix}-{county}", "county_inspector", cj, county)
        add_official(f"fi-{county}", "finance_officer", cj, county)
        for township in COUNTIES[county]["townships"]:
            add_official(f"tw-{township}", "township_officer", jur(township), county)
        for village in villages_of(county):
            add_official(f"vc-{village}", "village_clerk", village, county)


# ----------------------------------------------------------------------------------------------
# Cases
# ----------------------------------------------------------------------------------------------

CATEGORY_DEPARTMENT = {
    "dibao": "civil_affairs",
    "tekun": "civil_affairs",
    "dibao_marginal": "civil_affairs",
    "urban_dibao_rural_hukou": "civil_affairs",
    "monitoring": "rural_revitalization",
    "severe_hardship": "rural_revitalization",
    "other_lifted": "rural_revitalization",
}
STANDARD = {
    "civil_affairs": {"central_regional": 15000, "city": 1500, "county": 2000},
    "rural_revitalization": {"central_regional": 26500, "city": 1500, "county": 2000},
}


def min_area(size: int) -> int:
    return {1: 20, 2: 30, 3: 40}.get(size, 13 * size)


def max_area(size: int) -> int:
    return 60 if size <= 3 else 18 * size


def subsidy(category: str, size: int, means: str | None, mode: str) -> dict[str, int]:
    split = dict(STANDARD[CATEGORY_DEPARTMENT[category]])
    if means == "none" and mode in ("rebuild_in_place", "relocate"):
        full = min_area(size) * 1200
        if full > sum(split.values()):
            split["county"] = full - split["central_regional"] - split["city"]
    return split


def h(*parts: Any) -> str:
    return hashlib.sha256("/".join(str(p) for p in parts).encode()).hexdigest()


@dataclass
class Spec:
    key: str
    county: str
    category: str
    size: int
    grade: str | None  # "C", "D", or None: no house (record_no_house)
    mode: str
    village: str | None = None
    head_year: int = 1955
    head_male: bool = True
    structure: str = "earth"
    year_built: int = 1982
    storeys: int = 1
    floor_area: str | None = None
    means: str | None = None
    apply_on: date | None = None
    build_days: int | None = None
    start_on: date | None = None
    accept_on: date | None = None
    stop: str = "closed"  # closed | paid | accepted | started | withdrawn | rejected
    unified_payee: dict[str, str] | None = None
    pattern: str | None = None  # the irregularity, None for a clean case
    note: str = ""
    near_miss: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    # filled in
    ref: str = ""
    people: list[Person] = field(default_factory=list)
    phone: str = ""
    account: dict[str, str] = field(default_factory=dict)
    household_no: str = ""
    group: str = ""


BUILDER = {
    "name": "兴安县湘源建筑工程有限公司",
    "bank": "桂林银行",
    "kind": "card",
    "account": bank_card(880001, SEED),
}

D = date


def specs() -> list[Spec]:
    L, Q, X = "450323", "450324", "450325"  # noqa: N806 (county codes, read as labels)
    s: list[Spec] = [
        # ------------------------------ clean cases: 灵川县 ------------------------------
        Spec("L-c1", L, "dibao", 3, "D", "rebuild_in_place", head_year=1958),
        Spec(
            "L-c2",
            L,
            "monitoring",
            4,
            "D",
            "rebuild_in_place",
            head_year=1962,
            structure="brick_wood",
            year_built=1979,
        ),
        Spec("L-c3", L, "tekun", 1, "C", "reinforce", head_year=1944, floor_area="36"),
        Spec(
            "L-c4",
            L,
            "dibao_marginal",
            2,
            "C",
            "reinforce",
            head_year=1950,
            structure="brick_wood",
            floor_area="48.5",
        ),
        Spec("L-c5", L, "monitoring", 5, "D", "rebuild_in_place", head_year=1957, means="none"),
        Spec(
            "L-c6",
            L,
            "dibao",
            2,
            None,
            "rebuild_in_place",
            head_year=1960,
            structure="other",
            year_built=None,
        ),
        Spec("L-c7", L, "severe_hardship", 3, "D", "rebuild_in_place", head_year=1966),
        Spec(
            "L-c8",
            L,
            "monitoring",
            4,
            "D",
            "rebuild_in_place",
            head_year=1961,
            near_miss="the son owns a tractor (拖拉机, registered 2016): a farm vehicle, not a car",
        ),
        Spec(
            "L-c9",
            L,
            "dibao",
            3,
            "C",
            "reinforce",
            head_year=1963,
            structure="brick_wood",
            floor_area="55",
            near_miss="the head ran a sole-proprietor shop (个体工商户) deregistered in 2017",
        ),
        Spec(
            "L-c10",
            L,
            "dibao",
            2,
            "D",
            "rebuild_in_place",
            head_year=1942,
            near_miss="the head died on 2022-11-25, after the subsidy was paid and the case closed",
        ),
        Spec(
            "L-c11",
            L,
            "dibao_marginal",
            3,
            "D",
            "rebuild_in_place",
            head_year=1959,
            stop="withdrawn",
            near_miss="withdrawn before the township review (went away to work)",
        ),
        Spec(
            "L-c12",
            L,
            "other_lifted",
            3,
            "D",
            "rebuild_in_place",
            head_year=1964,
            near_miss="other 脱贫户: no department list exists for this category",
        ),
        Spec(
            "L-c13",
            L,
            "monitoring",
            2,
            "D",
            "rebuild_in_place",
            head_year=1953,
            apply_on=D(2022, 6, 20),
            start_on=D(2022, 8, 25),
            build_days=107,
            accept_on=D(2022, 12, 20),
            stop="accepted",
            near_miss="accepted on 2022-12-20 and not yet paid on 2022-12-31 (11 days)",
        ),
        Spec(
            "L-c14", L, "dibao", 4, "D", "rebuild_in_place", head_year=1960, structure="brick_wood"
        ),
        # ------------------------------ clean cases: 全州县 ------------------------------
        Spec("Q-c1", Q, "dibao", 3, "D", "rebuild_in_place", head_year=1956),
        Spec(
            "Q-c2",
            Q,
            "monitoring",
            2,
            "C",
            "reinforce",
            head_year=1952,
            structure="brick_wood",
            floor_area="46",
        ),
        Spec("Q-c3", Q, "tekun", 1, "D", "rebuild_in_place", head_year=1947, head_male=False),
        Spec("Q-c4", Q, "monitoring", 3, "D", "rebuild_in_place", head_year=1965),
        Spec(
            "Q-c5",
            Q,
            "monitoring",
            3,
            "D",
            "rebuild_in_place",
            head_year=1978,
            near_miss="the head split from his parents' 户籍 household in 2009, thirteen years ago",
        ),
        Spec(
            "Q-c6",
            Q,
            "dibao",
            2,
            "C",
            "reinforce",
            head_year=1957,
            structure="brick_wood",
            floor_area="42",
            near_miss="the spouse had a car, scrapped and deregistered in 2018",
        ),
        Spec(
            "Q-c7",
            Q,
            "urban_dibao_rural_hukou",
            2,
            "D",
            "rebuild_in_place",
            head_year=1961,
            near_miss="on urban 低保 with rural 户籍: counts as rural 低保 (seed 004 §三(一))",
        ),
        Spec(
            "Q-c8",
            Q,
            "dibao_marginal",
            3,
            "C",
            "reinforce",
            head_year=1960,
            structure="brick_wood",
            floor_area="58",
            near_miss="the real-estate registry's only entry is the "
            "dilapidated house itself, in the village",
        ),
        Spec(
            "Q-c9",
            Q,
            "dibao",
            3,
            "D",
            "rebuild_in_place",
            head_year=1968,
            stop="rejected",
            near_miss="rejected by the township (income above the standard)",
        ),
        Spec(
            "Q-c10",
            Q,
            "dibao",
            1,
            None,
            "rebuild_in_place",
            head_year=1949,
            structure="other",
            year_built=None,
            means="none",
        ),
        Spec("Q-c11", Q, "monitoring", 4, "D", "rebuild_in_place", head_year=1963),
        Spec(
            "Q-c12",
            Q,
            "dibao",
            3,
            "D",
            "rebuild_in_place",
            head_year=1954,
            near_miss="the wife was a 事业单位 employee from 1998 to 2006, long before applying",
        ),
        # ------------------------------ clean cases: 兴安县 ------------------------------
        Spec(
            "X-c1",
            X,
            "monitoring",
            3,
            "D",
            "rebuild_in_place",
            head_year=1962,
            unified_payee=BUILDER,
            near_miss="统建: paid to the agreed builder's account, which two households share",
        ),
        Spec(
            "X-c2",
            X,
            "dibao",
            2,
            "D",
            "rebuild_in_place",
            head_year=1955,
            unified_payee=BUILDER,
            near_miss="统建: paid to the agreed builder's account, which two households share",
        ),
        Spec("X-c3", X, "tekun", 1, "C", "reinforce", head_year=1946, floor_area="30"),
        Spec("X-c4", X, "dibao_marginal", 4, "D", "rebuild_in_place", head_year=1961),
        Spec(
            "X-c5",
            X,
            "dibao",
            3,
            "D",
            "rebuild_in_place",
            head_year=1958,
            near_miss="left 低保 on 2022-09-30, after certification and county approval",
        ),
        Spec(
            "X-c6",
            X,
            "monitoring",
            2,
            "C",
            "reinforce",
            head_year=1951,
            structure="brick_wood",
            floor_area="44",
        ),
        Spec(
            "X-c7",
            X,
            "other_lifted",
            2,
            "C",
            "reinforce",
            head_year=1959,
            structure="brick_wood",
            floor_area="50",
        ),
        Spec(
            "X-c8",
            X,
            "monitoring",
            3,
            "D",
            "rebuild_in_place",
            head_year=1967,
            apply_on=D(2022, 7, 5),
            start_on=D(2022, 10, 20),
            stop="started",
            near_miss="house damaged in the June 2022 floods, added late; still being built",
        ),
        Spec("X-c9", X, "dibao", 3, "D", "rebuild_in_place", head_year=1957),
        Spec(
            "X-c10",
            X,
            "monitoring",
            4,
            "C",
            "reinforce",
            head_year=1960,
            structure="brick_wood",
            floor_area="64",
        ),
        # ------------------------------ irregular: 灵川县 ------------------------------
        Spec(
            "L-i1",
            L,
            "monitoring",
            4,
            "D",
            "rebuild_in_place",
            head_year=1960,
            pattern="car_owner",
            note="the son, a listed member, has owned a small "
            "passenger car (小型汽车) since 2021-03-08",
        ),
        Spec(
            "L-i2",
            L,
            "dibao",
            2,
            "D",
            "rebuild_in_place",
            head_year=1950,
            village="450323103204",
            pattern="official_relative_clerk",
            note="the village clerk who filed the application and "
            "held the review is the couple's son, "
            "registered in their 户籍 household but left off the application",
        ),
        Spec(
            "L-i3",
            L,
            "dibao",
            3,
            "D",
            "rebuild_in_place",
            head_year=1958,
            build_days=8,
            pattern="completed_implausibly_fast",
            note="old house demolished and a new 52 m² masonry house "
            "started and completed in 8 days",
        ),
        Spec(
            "L-i4",
            L,
            "monitoring",
            3,
            "D",
            "rebuild_in_place",
            head_year=1956,
            stop="paid",
            pattern="short_paid",
            note="approved 30,000; paid 27,600 (2,400 '辛苦费' withheld), the rest never paid",
        ),
        Spec(
            "L-i5",
            L,
            "dibao",
            3,
            "C",
            "reinforce",
            head_year=1962,
            structure="brick_wood",
            floor_area="52",
            pattern="not_on_certifying_list",
            note="certified as 农村低保 by civil affairs, but nobody of "
            "the household is on the 低保 list "
            "(nor any other list)",
        ),
        Spec(
            "L-i6",
            L,
            "dibao_marginal",
            2,
            "D",
            "rebuild_in_place",
            head_year=1953,
            apply_on=D(2022, 3, 2),
            start_on=D(2022, 4, 28),
            build_days=71,
            accept_on=D(2022, 7, 20),
            pattern="paid_long_after_acceptance",
            note="accepted 2022-07-20; payment requested 2022-11-21 and paid 2022-11-28 (131 days)",
        ),
        Spec(
            "L-i7",
            L,
            "dibao",
            3,
            "D",
            "rebuild_in_place",
            village="450323100201",
            head_year=1957,
            accept_on=D(2022, 10, 20),
            pattern="acceptance_many_townships_one_day",
            note="ci-450323 accepted 5 houses in 5 townships "
            "(灵川/大圩/定江/三街/潭下) on 2022-10-20",
        ),
        Spec(
            "L-i8",
            L,
            "monitoring",
            2,
            "C",
            "reinforce",
            village="450323101204",
            head_year=1955,
            structure="brick_wood",
            floor_area="45",
            accept_on=D(2022, 10, 20),
            pattern="acceptance_many_townships_one_day",
            note="ci-450323 accepted 5 houses in 5 townships on 2022-10-20",
        ),
        Spec(
            "L-i9",
            L,
            "dibao_marginal",
            3,
            "D",
            "rebuild_in_place",
            village="450323102201",
            head_year=1963,
            accept_on=D(2022, 10, 20),
            pattern="acceptance_many_townships_one_day",
            note="ci-450323 accepted 5 houses in 5 townships on 2022-10-20",
        ),
        Spec(
            "L-i10",
            L,
            "tekun",
            1,
            "C",
            "reinforce",
            village="450323103201",
            head_year=1945,
            floor_area="32",
            accept_on=D(2022, 10, 20),
            pattern="acceptance_many_townships_one_day",
            note="ci-450323 accepted 5 houses in 5 townships on 2022-10-20",
        ),
        Spec(
            "L-i11",
            L,
            "monitoring",
            4,
            "D",
            "rebuild_in_place",
            village="450323104204",
            head_year=1961,
            accept_on=D(2022, 10, 20),
            pattern="acceptance_many_townships_one_day",
            note="ci-450323 accepted 5 houses in 5 townships on 2022-10-20",
        ),
        Spec(
            "L-i12",
            L,
            "dibao",
            2,
            "D",
            "rebuild_in_place",
            head_year=1956,
            pattern="over_area",
            note="2-person household: 128 m² built and accepted (standard at most 60 m²)",
            extra={"built_area": "128"},
        ),
        # ------------------------------ irregular: 全州县 ------------------------------
        Spec(
            "Q-i1",
            Q,
            "dibao",
            2,
            "C",
            "reinforce",
            head_year=1966,
            structure="brick_wood",
            floor_area="54",
            pattern="company_owner",
            note="the head has been legal representative of a trading company since 2018-06-20",
        ),
        Spec(
            "Q-i2",
            Q,
            "dibao",
            1,
            "D",
            "rebuild_in_place",
            head_year=1950,
            head_male=False,
            pattern="official_relative_approver",
            note="the county officer ap-450324 who granted approval "
            "is her son (left her 户籍 household "
            "in 2001)",
        ),
        Spec(
            "Q-i3",
            Q,
            "monitoring",
            2,
            "D",
            "rebuild_in_place",
            head_year=1946,
            pattern="paid_to_deceased",
            note="the head died on 2022-06-18; acceptance 'agreed' "
            "by him and the subsidy paid into "
            "his own 一卡通 in October",
        ),
        Spec(
            "Q-i4",
            Q,
            "monitoring",
            3,
            "D",
            "rebuild_in_place",
            head_year=1986,
            apply_on=D(2022, 3, 10),
            pattern="household_split_before_applying",
            note="the head left his parents' 户籍 household on "
            "2022-01-12 and applied on 2022-03-10",
        ),
        Spec(
            "Q-i5",
            Q,
            "dibao",
            3,
            "D",
            "rebuild_in_place",
            head_year=1959,
            village="450324101201",
            pattern="shared_bank_account",
            note="same 一卡通 card number as an unrelated household in 庙头镇",
        ),
        Spec(
            "Q-i6",
            Q,
            "monitoring",
            2,
            "C",
            "reinforce",
            head_year=1954,
            village="450324102204",
            structure="brick_wood",
            floor_area="40",
            pattern="shared_bank_account",
            note="same 一卡通 card number as an unrelated household in 黄沙河镇",
        ),
        Spec(
            "Q-i8",
            Q,
            "monitoring",
            3,
            "D",
            "rebuild_in_place",
            head_year=1958,
            apply_on=D(2022, 3, 4),
            start_on=D(2022, 5, 5),
            build_days=92,
            accept_on=D(2022, 8, 18),
            stop="accepted",
            pattern="unpaid_long_after_acceptance",
            note="accepted 2022-08-18, no payment requested or made by 2022-12-31 (135 days)",
        ),
        Spec(
            "Q-i9",
            Q,
            "tekun",
            1,
            "C",
            "reinforce",
            head_year=1943,
            floor_area="28",
            pattern="tekun_concentrated_support",
            note="on the 特困 list as 集中供养 (lives in the 敬老院), "
            "filed as 分散供养 for a house grant",
        ),
        Spec(
            "X-i1",
            X,
            "dibao_marginal",
            5,
            "D",
            "rebuild_in_place",
            head_year=1955,
            pattern="owns_other_house",
            note="the daughter-in-law, a listed member, owns a 98.5 "
            "m² flat in 兴安镇 registered 2020",
        ),
        Spec(
            "X-i2",
            X,
            "monitoring",
            4,
            "D",
            "rebuild_in_place",
            head_year=1960,
            pattern="public_employee_in_household",
            note="the son, a listed member, has been a 事业单位 employee since 2014",
        ),
        Spec(
            "X-i3",
            X,
            "dibao",
            3,
            "D",
            "rebuild_in_place",
            head_year=1957,
            pattern="account_switched_after_approval",
            note="一卡通 changed after county approval to a card not in "
            "the household's name; paid there",
        ),
        Spec(
            "X-i4",
            X,
            "dibao",
            2,
            "C",
            "reinforce",
            head_year=1952,
            village="450325101201",
            structure="brick_wood",
            floor_area="38",
            pattern="shared_phone",
            note="same contact phone as an unrelated household in 界首镇",
        ),
        Spec(
            "X-i5",
            X,
            "monitoring",
            3,
            "D",
            "rebuild_in_place",
            head_year=1963,
            village="450325102204",
            pattern="shared_phone",
            note="same contact phone as an unrelated household in 湘漓镇",
        ),
        Spec(
            "X-i6",
            X,
            "dibao",
            3,
            "D",
            "rebuild_in_place",
            head_year=1959,
            village="450325103201",
            pattern="reused_photo",
            note="its completion photo is also filed as the completion photo of a house in 严关镇",
        ),
        Spec(
            "X-i7",
            X,
            "monitoring",
            2,
            "D",
            "rebuild_in_place",
            head_year=1956,
            village="450325104204",
            pattern="reused_photo",
            note="completion photo identical (same SHA-256) to that of a house in 高尚镇",
        ),
        Spec(
            "X-i8",
            X,
            "dibao",
            3,
            "D",
            "rebuild_in_place",
            head_year=1960,
            pattern="completion_photo_is_before_photo",
            note="the 'completed' photo is the application's 'before' photo: nothing was built",
        ),
        Spec(
            "X-i9",
            X,
            "monitoring",
            3,
            "D",
            "rebuild_in_place",
            head_year=1972,
            structure="reinforced_concrete",
            year_built=2016,
            storeys=2,
            floor_area="168",
            pattern="young_concrete_house_graded_d",
            note="a two-storey reinforced-concrete house built in "
            "2016 (168 m²) graded D and rebuilt",
        ),
        Spec(
            "X-i10",
            X,
            "dibao",
            3,
            "D",
            "rebuild_in_place",
            head_year=1958,
            stop="paid",
            pattern="old_house_not_demolished",
            note="rebuild paid in full; old house due for demolition "
            "by 2022-08-31, never demolished",
        ),
        Spec(
            "X-i11",
            X,
            "monitoring",
            2,
            "D",
            "rebuild_in_place",
            head_year=1952,
            village="450325100204",
            pattern="same_registered_household_twice",
            note="father's case; his son's family (same 户籍 "
            "household, not split) got a second case",
        ),
        Spec(
            "X-i12",
            X,
            "monitoring",
            3,
            "D",
            "rebuild_in_place",
            head_year=1978,
            village="450325100204",
            pattern="same_registered_household_twice",
            note="son's case; he is still in his father's 户籍 household, which has its own case",
        ),
    ]
    return s


# ----------------------------------------------------------------------------------------------
# Filling the households
# ----------------------------------------------------------------------------------------------

_index = [1000]


def fill(spec: Spec, ref_no: int) -> None:
    spec.ref = f"{spec.county}-2022-{ref_no:04d}"
    spec.people = household_people(spec.county, spec.size, spec.head_year, spec.head_male)
    _index[0] += 1
    spec.phone = phone(_index[0], SEED)
    bank = rng.choice(("广西农村信用社", "中国农业银行", "中国邮政储蓄银行", "桂林银行"))
    spec.account = {"bank": bank, "kind": "card", "number": bank_card(_index[0], SEED)}
    spec.household_no = f"{spec.village}{ref_no:04d}"
    spec.group = f"第{rng.randint(1, 9)}村民小组"
    if spec.floor_area is None and spec.grade is not None:
        spec.floor_area = str(rng.choice((38, 42, 45, 48, 52, 56, 60, 64, 70, 75)))


# ----------------------------------------------------------------------------------------------
# Commands
# ----------------------------------------------------------------------------------------------


@dataclass
class Cmd:
    on: date
    order: int
    step: int
    line: dict[str, Any]


def actor(staff_id: str) -> dict[str, str]:
    off = STAFF[staff_id]
    return {"id": off.staff_id, "role": off.role, "jurisdiction": off.jurisdiction}


class Case:
    def __init__(self, spec: Spec, order: int) -> None:
        self.s = spec
        self.order = order
        self.cmds: list[Cmd] = []

    def add(self, name: str, kind: str, staff_id: str, on: date, payload: dict[str, Any]) -> None:
        step = len(self.cmds) + 1
        self.cmds.append(
            Cmd(
                on,
                self.order,
                step,
                {
                    "command_id": f"{self.s.ref}/{step:02d}-{name}",
                    "type": kind,
                    "case_ref": self.s.ref,
                    "actor": actor(staff_id),
                    "occurred_on": on.isoformat(),
                    "payload": payload,
                },
            )
        )


ACCEPTANCE_DAYS: dict[str, set[date]] = {c: set() for c in COUNTIES}
GRADING_DAYS: dict[tuple[str, date], int] = {}
RESERVED_ACCEPTANCE = {("450323", D(2022, 10, 20))}


def free_acceptance_day(county: str, on: date) -> date:
    while on in ACCEPTANCE_DAYS[county] or (county, on) in RESERVED_ACCEPTANCE or on.weekday() == 6:
        on += timedelta(days=1)
    ACCEPTANCE_DAYS[county].add(on)
    return on


def free_grading_day(county: str, on: date) -> date:
    while GRADING_DAYS.get((county, on), 0) >= 2 or on.weekday() == 6:
        on += timedelta(days=1)
    GRADING_DAYS[(county, on)] = GRADING_DAYS.get((county, on), 0) + 1
    return on


def payment_dates(accepted: date) -> tuple[date, date]:
    """§四(八): the county submits by the 25th, finance pays by the 30th."""
    request = accepted + timedelta(days=4)
    if request.month != accepted.month or request.day > 25:
        first = (accepted.replace(day=1) + timedelta(days=32)).replace(day=1)
        request = first + timedelta(days=9)
    disburse = request + timedelta(days=5)
    return request, disburse


def build_case(case: Case) -> None:
    s = case.s
    c = s.county
    town = township_of(s.village)
    vc, tw = f"vc-{s.village}", f"tw-{town}"
    A = s.apply_on  # noqa: N806 (the application date, as the plan writes it)
    assert A is not None
    members = [
        {"name": p.name, "id_number": p.id_number, "relationship": p.rel_app} for p in s.people[1:]
    ]
    household = {
        "head": {"name": s.people[0].name, "id_number": s.people[0].id_number},
        "members": members,
        "size": s.size,
        "phone": s.phone,
        "account": s.account,
        "group": s.group,
    }
    before_photo = h(s.ref, "before")
    house: dict[str, Any] = {"structure": s.structure, "evidence": [before_photo]}
    if s.grade is not None:
        house.update(
            {"year_built": s.year_built, "storeys": s.storeys, "floor_area_m2": s.floor_area}
        )
    case.add(
        "apply",
        "submit_application",
        vc,
        A,
        {
            "programme_id": PROGRAMME,
            "village_code": s.village,
            "household": household,
            "category": s.category,
            "planned_mode": s.mode,
            "house": house,
        },
    )
    dept = CATEGORY_DEPARTMENT[s.category]
    certifier = f"ca-{c}" if dept == "civil_affairs" else f"rr-{c}"
    prefix = {"civil_affairs": "MZ", "rural_revitalization": "XZ"}[dept]
    case.add(
        "certify",
        "certify_category",
        certifier,
        A + timedelta(days=4),
        {"department": dept, "certificate_no": f"{prefix}-{s.ref}"},
    )
    if s.grade is None:
        graded = A + timedelta(days=9)
        case.add(
            "nohouse",
            "record_no_house",
            tw,
            graded,
            {"basis": "原住房已因灾倒塌，经入户核实无其他住房", "evidence": [h(s.ref, "nohouse")]},
        )
    else:
        graded = free_grading_day(c, A + timedelta(days=9))
        case.add(
            "grade",
            "grade_house",
            f"as-{c}",
            graded,
            {
                "grade": s.grade,
                "method": "overall_danger",
                "assessor": {
                    "name": f"{COUNTIES[c]['name']}住建局鉴定组",
                    "organisation": f"{COUNTIES[c]['name']}住房和城乡建设局",
                },
                "report_no": f"JD-{s.ref}",
                "evidence": [h(s.ref, "grading")],
            },
        )
    review = max(A + timedelta(days=14), graded + timedelta(days=2))
    eligible = 30 + int(s.village[-3:]) % 17
    attended = eligible - 2 - int(s.village[-2:]) % 3
    against = 1 if attended > 30 else 0
    case.add(
        "review",
        "hold_democratic_review",
        vc,
        review,
        {
            "votes": {
                "meeting_type": "representatives_meeting",
                "eligible": eligible,
                "attended": attended,
                "votes_for": attended - against - 1,
                "votes_against": against,
                "abstentions": 1,
            },
            "minutes": [h(s.ref, "minutes")],
        },
    )
    vpost = review + timedelta(days=1)
    case.add(
        "vnotice",
        "post_notice",
        vc,
        vpost,
        {
            "level": "village",
            "notice_no": f"GS-V-{s.ref}",
            "location": "村务公开栏",
            "planned_days": 7,
        },
    )
    vclose = vpost + timedelta(days=8)
    case.add("vclose", "close_notice", vc, vclose, {"level": "village"})
    if s.stop == "withdrawn":
        case.add(
            "withdraw",
            "withdraw_case",
            tw,
            vclose + timedelta(days=3),
            {"reason": "农户外出务工，自愿放弃本年度改造"},
        )
        return
    if s.stop == "rejected":
        case.add(
            "reject",
            "reject_case",
            tw,
            vclose + timedelta(days=2),
            {"level": "township", "reason": "入户核实家庭收入超出认定标准"},
        )
        return
    treview = vclose + timedelta(days=1)
    case.add(
        "treview",
        "review_at_township",
        tw,
        treview,
        {"decision": "approved", "home_visited": True, "opinion": "经入户核实，符合改造条件"},
    )
    if s.means:
        case.add(
            "means",
            "assess_means",
            tw,
            treview,
            {
                "self_funding": s.means,
                "basis": "户主年老多病，无劳动能力，无存款，亲属无力资助",
                "evidence": [h(s.ref, "means")],
            },
        )
    tpost = treview + timedelta(days=1)
    case.add(
        "tnotice",
        "post_notice",
        tw,
        tpost,
        {
            "level": "township",
            "notice_no": f"GS-T-{s.ref}",
            "location": "乡镇政务公开栏",
            "planned_days": 7,
        },
    )
    tclose = tpost + timedelta(days=8)
    case.add("tclose", "close_notice", tw, tclose, {"level": "township"})
    approved = tclose + timedelta(days=3)
    case.add("approve", "grant_county_approval", f"ap-{c}", approved, {})
    cpost = approved + timedelta(days=1)
    case.add(
        "cnotice",
        "post_notice",
        f"cc-{c}",
        cpost,
        {
            "level": "county",
            "notice_no": f"GS-C-{s.ref}",
            "location": "县住建局网站及村务公开栏",
            "planned_days": 5,
        },
    )
    cclose = cpost + timedelta(days=6)
    case.add("cclose", "close_notice", f"cc-{c}", cclose, {"level": "county"})
    agreed = cclose + timedelta(days=4)
    new_build = s.mode in ("rebuild_in_place", "relocate")
    demolish = new_build  # a collapsed house (no house) has its ruins cleared
    if s.start_on:
        start = s.start_on
        agreed = min(agreed, start - timedelta(days=6))
    else:
        start = max(
            min(agreed + timedelta(days=10 + rng.randint(0, 25)), D(2022, 7, 25)),
            agreed + timedelta(days=7),
        )
    agreement: dict[str, Any] = {
        "agreement_no": f"XY-{s.ref}",
        "renovation_mode": s.mode,
        "construction_mode": "unified_build" if s.unified_payee else "self_build",
        "deadline": "2022-10-31" if start < D(2022, 8, 1) else "2022-12-31",
        "seismic_requirements": "按6度抗震设防，设置圈梁、构造柱",
    }
    if s.unified_payee:
        agreement["payee"] = s.unified_payee
    if demolish:
        agreement["demolition_due"] = (
            "2022-08-31"
            if s.pattern == "old_house_not_demolished"
            else (start - timedelta(days=1)).isoformat()
        )
    case.add("agree", "sign_agreement", tw, agreed, agreement)
    if s.pattern == "account_switched_after_approval":
        case.add(
            "correct",
            "correct_data",
            tw,
            agreed + timedelta(days=3),
            {
                "field": "household.account",
                "new": {
                    "bank": "中国邮政储蓄银行",
                    "kind": "card",
                    "number": bank_card(770077, SEED),
                },
                "reason": "农户原银行卡遗失，更换收款账户",
                "approved_by": {"id": f"cc-{c}", "role": "county_officer"},
            },
        )
    if demolish and s.pattern != "old_house_not_demolished":
        case.add(
            "demolish",
            "record_demolition",
            tw,
            start - timedelta(days=3),
            {"evidence": [h(s.ref, "demolition")]},
        )
    builder = (
        {"name": s.unified_payee["name"], "licence": "JZ-450325-0031"}
        if s.unified_payee
        else {
            "name": f"{COUNTIES[c]['townships'][town]}建筑工匠",
            "licence": f"GJ-{town}-{int(s.village[-2:]):02d}",
        }
    )
    case.add(
        "start",
        "start_construction",
        tw,
        start,
        {"builder": builder, "evidence": [h(s.ref, "start")]},
    )
    if s.build_days is not None:
        days = s.build_days
    elif new_build:
        days = rng.randint(68, 95)
    else:
        days = rng.randint(28, 45)
    if s.accept_on:
        days = min(days, (s.accept_on - start).days - 5)
    if s.stop == "started":
        case.add(
            "progress",
            "report_progress",
            tw,
            start + timedelta(days=30),
            {
                "milestone": "基础完成，砌筑墙体",
                "percent_complete": 35,
                "evidence": [h(s.ref, "progress")],
            },
        )
        return
    case.add(
        "progress",
        "report_progress",
        tw,
        start + timedelta(days=max(days // 2, 4)),
        {
            "milestone": "主体结构完成" if new_build else "墙体加固完成",
            "percent_complete": 60 if new_build else 50,
            "evidence": [h(s.ref, "progress")],
        },
    )
    completed = start + timedelta(days=days)
    if new_build:
        area = s.extra.get("built_area") or str(
            rng.randint(min_area(s.size) + 2, max(min_area(s.size) + 3, max_area(s.size) - 4))
        )
        structure = "masonry"
    else:
        area, structure = s.floor_area, s.structure
    photo = h(s.ref, "completed")
    if s.pattern == "completion_photo_is_before_photo":
        photo = before_photo
    if s.key == "X-i7":
        photo = h(SPEC_BY_KEY["X-i6"].ref, "completed")
    case.add(
        "complete",
        "complete_construction",
        tw,
        completed,
        {"built_area_m2": area, "structure": structure, "evidence": [photo]},
    )
    if s.accept_on:
        accepted = s.accept_on
    else:
        accepted = free_acceptance_day(c, completed + timedelta(days=6 + rng.randint(0, 8)))
    if s.pattern == "acceptance_many_townships_one_day":
        lead, team = f"ci-{c}", [f"ci-{c}", f"ck-{c}"]
    else:
        lead = rng.choice((f"ci-{c}", f"cj-{c}"))
        team = [lead, f"ck-{c}" if lead == f"ci-{c}" else f"ci-{c}"]
    case.add(
        "accept",
        "record_county_acceptance",
        lead,
        accepted,
        {
            "result": {
                "passed": True,
                "measured_area_m2": area,
                "safety_rating": "A" if new_build else "B",
                "household_agrees": True,
                "team": [{"id": t, "role": "county_inspector"} for t in team],
                "evidence": [
                    photo
                    if s.pattern == "completion_photo_is_before_photo"
                    else h(s.ref, "acceptance")
                ],
            }
        },
    )
    if s.stop == "accepted":
        return
    if s.pattern == "paid_long_after_acceptance":
        request, disburse = D(2022, 11, 21), D(2022, 11, 28)
    else:
        request, disburse = payment_dates(accepted)
    amounts = subsidy(s.category, s.size, s.means, s.mode)
    if s.pattern == "short_paid":
        amounts["central_regional"] -= 2400
    case.add(
        "request",
        "request_payment",
        f"cc-{c}",
        request,
        {
            "request_no": f"BF-{s.ref}",
            "tranche": "final",
            "amounts": {"by_source": amounts},
            "channel": "builder_account" if s.unified_payee else "one_card",
        },
    )
    case.add(
        "disburse",
        "disburse_payment",
        f"fi-{c}",
        disburse,
        {"request_no": f"BF-{s.ref}", "voucher_no": f"PZ-{s.ref}"},
    )
    if s.stop == "paid":
        return
    case.add("close", "close_case", f"cc-{c}", disburse + timedelta(days=3), {})


# ----------------------------------------------------------------------------------------------
# Registries
# ----------------------------------------------------------------------------------------------


def registry_rows(all_specs: list[Spec]) -> dict[str, tuple[list[str], list[list[str]]]]:
    dibao: list[list[str]] = []
    tekun: list[list[str]] = []
    marginal: list[list[str]] = []
    monitoring: list[list[str]] = []
    hukou: list[list[str]] = []
    vehicles: list[list[str]] = []
    companies: list[list[str]] = []
    estate: list[list[str]] = []
    employees: list[list[str]] = []

    def iso(d: date | None) -> str:
        return d.isoformat() if d else ""

    for s in all_specs:
        head = s.people[0]
        established = date(max(head.born.year + 24, 1975), rng.randint(1, 12), rng.randint(1, 28))
        for p in s.people:
            if p.joined_on is None:
                p.joined_on = (
                    established
                    if p.rel_reg in ("户主", "配偶", "儿媳")
                    else max(p.born, established)
                )
        # --- 户籍 ---
        if s.key == "Q-i4":  # split off his parents' household on 2022-01-12
            split_day = D(2022, 1, 12)
            parents = household_people(s.county, 2, s.head_year - 27)
            parent_no = f"{s.village}P{s.ref[-4:]}"
            for p in parents:
                hukou.append(
                    [
                        p.id_number,
                        p.name,
                        s.village,
                        parent_no,
                        p.rel_reg,
                        iso(date(1978, 3, 2)),
                        "",
                        "",
                        "",
                    ]
                )
            hukou.append(
                [
                    head.id_number,
                    head.name,
                    s.village,
                    parent_no,
                    "子",
                    iso(head.born),
                    iso(split_day),
                    "",
                    "",
                ]
            )
            for p in s.people:
                joined = split_day if p is head or p.rel_reg == "配偶" else max(p.born, split_day)
                hukou.append(
                    [
                        p.id_number,
                        p.name,
                        s.village,
                        s.household_no,
                        p.rel_reg,
                        iso(joined),
                        "",
                        "",
                        parent_no if p is head else "",
                    ]
                )
            for p in parents:
                monitoring.append([p.id_number, s.village, "2021-05-10", "", "脱贫不稳定户"])
        elif s.key == "Q-c5":  # split off long ago (2009)
            split_day = D(2009, 3, 15)
            parents = household_people(s.county, 2, s.head_year - 26)
            parent_no = f"{s.village}P{s.ref[-4:]}"
            for p in parents:
                hukou.append(
                    [
                        p.id_number,
                        p.name,
                        s.village,
                        parent_no,
                        p.rel_reg,
                        iso(date(1976, 9, 1)),
                        "",
                        "",
                        "",
                    ]
                )
            hukou.append(
                [
                    head.id_number,
                    head.name,
                    s.village,
                    parent_no,
                    "子",
                    iso(head.born),
                    iso(split_day),
                    "",
                    "",
                ]
            )
            for p in s.people:
                joined = split_day if p is head else max(p.born, D(2009, 10, 1))
                hukou.append(
                    [
                        p.id_number,
                        p.name,
                        s.village,
                        s.household_no,
                        p.rel_reg,
                        iso(joined),
                        "",
                        "",
                        parent_no if p is head else "",
                    ]
                )
        elif s.key == "X-i12":  # the son's family, still in the father's household (X-i11)
            father = SPEC_BY_KEY["X-i11"]
            for p in s.people:
                rel = {"户主": "子", "配偶": "儿媳", "子": "孙子", "女": "孙女"}[p.rel_reg]
                hukou.append(
                    [
                        p.id_number,
                        p.name,
                        s.village,
                        father.household_no,
                        rel,
                        iso(max(p.born, established)),
                        "",
                        "",
                        "",
                    ]
                )
        else:
            for p in s.people:
                deceased = ""
                if s.key == "Q-i3" and p is head:
                    deceased = "2022-06-18"
                if s.key == "L-c10" and p is head:
                    deceased = "2022-11-25"
                hukou.append(
                    [
                        p.id_number,
                        p.name,
                        s.village,
                        s.household_no,
                        p.rel_reg,
                        iso(p.joined_on),
                        "",
                        deceased,
                        "",
                    ]
                )
            if s.key == "L-i2":  # the village clerk is the couple's son, in their household
                clerk = STAFF[f"vc-{s.village}"]
                hukou.append(
                    [
                        clerk.id_number,
                        clerk.name,
                        s.village,
                        s.household_no,
                        "子",
                        iso(clerk.born),
                        "",
                        "",
                        "",
                    ]
                )
            if s.key == "Q-i2":  # the approver left his mother's household in 2001
                approver = STAFF["ap-450324"]
                hukou.append(
                    [
                        approver.id_number,
                        approver.name,
                        s.village,
                        s.household_no,
                        "子",
                        iso(approver.born),
                        "2001-10-01",
                        "",
                        "",
                    ]
                )
        # --- the certifying lists ---
        listed = list(s.people)
        if s.key == "X-i12":
            listed = []  # listed with the father's household below
        if s.key == "X-i11":
            listed = s.people + SPEC_BY_KEY["X-i12"].people
        start = D(2019 + rng.randint(0, 2), rng.randint(1, 12), 1)
        if s.pattern == "not_on_certifying_list" or s.category == "other_lifted":
            listed = []
        for p in listed:
            if s.category == "dibao":
                until = "2022-09-30" if s.key == "X-c5" else ""
                dibao.append([p.id_number, p.name, s.village, iso(start), until, "农村"])
            elif s.category == "urban_dibao_rural_hukou":
                dibao.append(
                    [p.id_number, p.name, town_community(s.county), iso(start), "", "城市"]
                )
            elif s.category == "tekun":
                mode = "集中供养" if s.pattern == "tekun_concentrated_support" else "分散供养"
                tekun.append([p.id_number, s.village, iso(start), "", mode])
            elif s.category == "dibao_marginal":
                marginal.append([p.id_number, s.village, iso(start)])
            elif s.category in ("monitoring", "severe_hardship"):
                kind = (
                    "突发严重困难户"
                    if s.category == "severe_hardship"
                    else rng.choice(("脱贫不稳定户", "边缘易致贫户"))
                )
                since = D(2022, 1, 20) if s.category == "severe_hardship" else start
                monitoring.append([p.id_number, s.village, iso(since), "", kind])
        # --- other departments ---
        if s.key == "L-i1":
            vehicles.append([s.people[2].id_number, "小型汽车", "2021-03-08", "", jur(s.county)])
        if s.key == "L-c8":
            vehicles.append([s.people[2].id_number, "拖拉机", "2016-04-12", "", jur(s.county)])
        if s.key == "Q-c6":
            vehicles.append(
                [s.people[1].id_number, "小型汽车", "2008-05-20", "2018-06-30", jur(s.county)]
            )
        if s.key == "Q-i1":
            companies.append([head.id_number, "法定代表人", "2018-06-20", "", jur(s.county)])
        if s.key == "L-c9":
            companies.append([head.id_number, "经营者", "2011-04-02", "2017-03-01", jur(s.county)])
        if s.key == "X-i1":
            estate.append(
                [s.people[3].id_number, "住宅", "2020-08-15", "", "98.5", town_community(s.county)]
            )
        if s.key == "Q-c8":
            estate.append([head.id_number, "住宅", "2019-09-20", "", s.floor_area, s.village])
        if s.key == "X-i2":
            employees.append([s.people[2].id_number, "事业单位", "2014-09-01", "", jur(s.county)])
        if s.key == "Q-c12":
            employees.append(
                [s.people[1].id_number, "事业单位", "1998-09-01", "2006-07-31", jur(s.county)]
            )

    # officials: their own households, and the payroll (village clerks are not on it)
    for off in STAFF.values():
        region = off.id_number[:6]
        home = town_community(region) if region in COUNTIES else "450302001001"
        clerk_of_i2 = off.staff_id == f"vc-{SPEC_BY_KEY['L-i2'].village}"
        if not clerk_of_i2:
            if off.staff_id == "ap-450324":
                hukou.append(
                    [
                        off.id_number,
                        off.name,
                        home,
                        f"G{off.id_number[-8:]}",
                        "户主",
                        "2001-10-01",
                        "",
                        "",
                        SPEC_BY_KEY["Q-i2"].household_no,
                    ]
                )
            else:
                hukou.append(
                    [
                        off.id_number,
                        off.name,
                        home,
                        f"G{off.id_number[-8:]}",
                        "户主",
                        iso(date(off.born.year + 25, 6, 1)),
                        "",
                        "",
                        "",
                    ]
                )
        if off.role != "village_clerk":
            kind = "事业单位" if off.role == "assessor" else "机关"
            employees.append(
                [off.id_number, kind, iso(date(off.born.year + 22, 7, 1)), "", jur(region)]
            )
            if rng.random() < 0.4:
                vehicles.append(
                    [
                        off.id_number,
                        "小型汽车",
                        iso(date(2015 + rng.randint(0, 6), 5, 10)),
                        "",
                        jur(region),
                    ]
                )

    # other residents of the three counties: people with cars, shops, flats and jobs, none of
    # them applicants
    for k in range(40):
        county = rng.choice(list(COUNTIES))
        p = person(county, rng.randint(1965, 1995), rng.random() < 0.6, "户主", "户主")
        village = rng.choice(villages_of(county))
        hukou.append(
            [
                p.id_number,
                p.name,
                village,
                f"R{county}{k:04d}",
                "户主",
                iso(date(p.born.year + 24, 3, 1)),
                "",
                "",
                "",
            ]
        )
        roll = k % 5
        if roll == 0:
            vehicles.append(
                [p.id_number, "小型汽车", iso(date(2016 + k % 6, 4, 18)), "", jur(county)]
            )
        elif roll == 1:
            companies.append(
                [
                    p.id_number,
                    rng.choice(("法定代表人", "股东")),
                    iso(date(2012 + k % 9, 8, 3)),
                    "",
                    jur(county),
                ]
            )
        elif roll == 2:
            estate.append(
                [
                    p.id_number,
                    "住宅",
                    iso(date(2017 + k % 5, 11, 11)),
                    "",
                    str(80 + k),
                    town_community(county),
                ]
            )
        elif roll == 3:
            employees.append(
                [
                    p.id_number,
                    rng.choice(("事业单位", "机关", "国有企业")),
                    iso(date(2010 + k % 10, 9, 1)),
                    "",
                    jur(county),
                ]
            )
        else:
            dibao.append([p.id_number, p.name, village, iso(date(2020, 1 + k % 12, 1)), "", "农村"])
    builder_rep = person("450325", 1975, True, "户主", "户主")
    companies.append([builder_rep.id_number, "法定代表人", "2010-05-06", "", jur("450325")])

    return {
        "dibao": (
            ["身份证号", "姓名", "户籍地区划代码", "起始日期", "终止日期", "城乡类别"],
            dibao,
        ),
        "tekun": (["身份证号", "行政区划代码", "起始日期", "终止日期", "供养方式"], tekun),
        "dibao_marginal": (["id_number", "division_code", "valid_from"], marginal),
        "monitoring": (
            ["id_number", "division_code", "valid_from", "valid_until", "monitoring_type"],
            monitoring,
        ),
        "household_registration": (
            [
                "公民身份号码",
                "姓名",
                "户籍地区划代码",
                "户号",
                "与户主关系",
                "入户日期",
                "迁出日期",
                "死亡日期",
                "原户号",
            ],
            hukou,
        ),
        "vehicles": (
            ["身份证号", "车辆类型", "注册登记日期", "注销日期", "登记地区划代码"],
            vehicles,
        ),
        "companies": (["身份证号", "人员类型", "成立日期", "注销日期", "住所区划代码"], companies),
        "real_estate": (
            ["身份证号", "用途", "登记日期", "注销日期", "建筑面积", "坐落区划代码"],
            estate,
        ),
        "public_employees": (
            ["身份证号", "单位类别", "入职日期", "离职日期", "单位区划代码"],
            employees,
        ),
    }


DEPARTMENTS = {
    "dibao": "桂林市民政局",
    "tekun": "桂林市民政局",
    "dibao_marginal": "桂林市民政局",
    "monitoring": "桂林市乡村振兴局",
    "household_registration": "桂林市公安局",
    "vehicles": "桂林市公安局交通警察支队",
    "companies": "桂林市市场监督管理局",
    "real_estate": "桂林市自然资源局",
    "public_employees": "桂林市财政局",
}

# ----------------------------------------------------------------------------------------------

SPEC_BY_KEY: dict[str, Spec] = {}


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    build_staff()
    all_specs = specs()
    # case references in a shuffled order, so that a reference says nothing about the case
    order = list(range(len(all_specs)))
    rng.shuffle(order)
    per_county: dict[str, int] = dict.fromkeys(COUNTIES, 0)
    cursor = dict.fromkeys(COUNTIES, 0)
    day = {c: D(2022, 3, 1) for c in COUNTIES}
    for i in order:
        s = all_specs[i]
        per_county[s.county] += 1
        if s.village is None:
            vs = villages_of(s.county)
            s.village = vs[cursor[s.county] % len(vs)]
            cursor[s.county] += 3
        if s.apply_on is None:
            s.apply_on = day[s.county]
            day[s.county] += timedelta(days=rng.choice((1, 2, 2, 3)))
            if s.apply_on.weekday() == 6:
                s.apply_on += timedelta(days=1)
        fill(s, per_county[s.county])
        SPEC_BY_KEY[s.key] = s
    # shared numbers
    SPEC_BY_KEY["Q-i6"].account = dict(SPEC_BY_KEY["Q-i5"].account)
    SPEC_BY_KEY["X-i5"].phone = SPEC_BY_KEY["X-i4"].phone

    # relatives share a surname
    clerk = STAFF[f"vc-{SPEC_BY_KEY['L-i2'].village}"]
    clerk.name = SPEC_BY_KEY["L-i2"].people[0].name[0] + clerk.name[1:]
    son = SPEC_BY_KEY["X-i12"].people[0]
    son.name = SPEC_BY_KEY["X-i11"].people[0].name[0] + son.name[1:]
    for s in all_specs:
        if s.accept_on:
            ACCEPTANCE_DAYS[s.county].add(s.accept_on)

    cases = [Case(all_specs[i], n) for n, i in enumerate(order)]
    # build X-i6 before X-i7 (its photo is reused), every case in apply-date order otherwise
    for case in sorted(cases, key=lambda c: (c.s.apply_on, c.order)):
        build_case(case)
    commands = sorted(
        (cmd for case in cases for cmd in case.cmds), key=lambda c: (c.on, c.order, c.step)
    )
    last = max(c.on for c in commands)
    assert last <= D(2022, 12, 31), last

    (out / "cases.jsonl").write_text(
        "".join(
            json.dumps(c.line, ensure_ascii=False, separators=(",", ":")) + "\n" for c in commands
        ),
        encoding="utf-8",
    )

    staff_rows = [
        [o.staff_id, o.name, o.role, o.jurisdiction, "2022-01-01", "", o.id_number]
        for o in STAFF.values()
    ]
    (out / "staff.csv").write_text(
        csv_text(
            ["staff_id", "name", "role", "jurisdiction", "valid_from", "valid_until", "id_number"],
            staff_rows,
        ),
        encoding="utf-8",
    )

    registries = registry_rows([all_specs[i] for i in order])
    files = {}
    for kind, (header, rows) in registries.items():
        name = f"registry-{kind}.csv"
        (out / name).write_text(csv_text(header, rows), encoding="utf-8")
        files[kind] = {"file": name, "department": DEPARTMENTS[kind], "rows": len(rows)}

    expected = sorted(
        ([s.ref, s.pattern, s.note] for s in all_specs if s.pattern), key=lambda r: r[0]
    )
    (out / "expected.csv").write_text(
        csv_text(["case_ref", "pattern", "note"], expected), encoding="utf-8"
    )
    near = sorted(
        ([s.ref, s.near_miss] for s in all_specs if s.near_miss and not s.pattern),
        key=lambda r: r[0],
    )
    (out / "near_misses.csv").write_text(
        csv_text(["case_ref", "why_it_is_not_irregular"], near), encoding="utf-8"
    )

    programme = {
        "programme_id": PROGRAMME,
        "policy": "guilin-2022",
        "open_on": "2022-01-04",
        "manager": "pm-4503",
        "registries_as_of": SNAPSHOT,
        "score_as_of": SCORE_AS_OF,
        "registries": files,
        "cases": len(all_specs),
        "irregular_cases": len(expected),
        "commands": len(commands),
        "steps": [
            "renovation users import staff.csv",
            "renovation users passwd pm-4503 --password-stdin",
            "renovation login pm-4503 --password-stdin",
            "renovation programme open guilin-2022 --policy guilin-2022 --on 2022-01-04",
            "renovation registry import KIND registry-KIND.csv "
            "--as-of 2022-12-15 --department DEPT  (each)",
            "renovation import cases.jsonl",
            "renovation findings score expected.csv --as-of 2022-12-31 --json",
        ],
    }
    (out / "programme.json").write_text(
        json.dumps(programme, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(
        f"{len(all_specs)} cases ({len(expected)} irregular), {len(commands)} commands, "
        f"{len(STAFF)} officials -> {out}"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "data")
