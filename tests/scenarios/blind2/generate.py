"""Blind scenario 2: the Guilin 2022 programme in 阳朔县, 临桂区 and 荔浦市, written from the
procedure (seed 004) and the audit patterns in the domain research only, without reading the
product's irregularity rules.

Run: .venv/bin/python tests/scenarios/blind2/generate.py

Writes into tests/scenarios/blind2/data/:
  staff.csv            the officials the cases name (for `renovation users import`)
  cases.jsonl          the cases, one command per line, in business-date order
  <kind>.csv           the departments' registries as of 2022-12-15 (docs/registries.md)
  expected.csv         case_ref,pattern,note — one row per irregular case

Everything is deterministic: the same file bytes on every run.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from stdnum.cn import ric

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "src"))

from renovation.simulation.people import GIVEN, SURNAMES, bank_card, phone  # noqa: E402

DATA = HERE / "data"
PROGRAMME = "guilin-2022"
SNAPSHOT = date(2022, 12, 15)
SEED = 48022  # our own seed for cards and phones

# ---------------------------------------------------------------------------------------------
# Places. County code -> (name, townships -> villages). The ID-number region of people born
# before a county's code changed is the old code (临桂县 450322 until 2013, 荔浦县 450331 until
# 2018), as on real identity cards.

COUNTIES = {
    "450321": {"name": "阳朔县", "old": [("450321", date(1900, 1, 1))],
               "townships": {"101": ["201", "203"], "102": ["201", "204"], "103": ["202", "205"]}},
    "450312": {"name": "临桂区",
               "old": [("450322", date(2013, 2, 1)), ("450312", date(1900, 1, 1))],
               "townships": {"101": ["202", "206"], "103": ["201", "203"], "105": ["204", "207"]}},
    "450381": {"name": "荔浦市",
               "old": [("450331", date(2018, 8, 1)), ("450381", date(1900, 1, 1))],
               "townships": {"101": ["201", "205"], "102": ["203", "208"], "104": ["201", "206"]}},
}


def region_for(county: str, born: date) -> str:
    """The ID-number region code a person born in `county` on `born` was given."""
    codes = COUNTIES[county]["old"]
    if len(codes) == 1:
        return codes[0][0]
    old, until = codes[0]
    return old if born < until else codes[1][0]


def village(county: str, township: str, v: str) -> str:
    return f"{county}{township}{v}"


def township_of(village_code: str) -> str:
    return village_code[:9] + "000"


def county_of(code: str) -> str:
    return code[:6] + "000000"


# ---------------------------------------------------------------------------------------------
# People

RNG = random.Random(20221215)
_used_ids: set[str] = set()
_card_index = 0


def make_id(region: str, born: date, male: bool) -> str:
    seq = 11 if male else 12
    while True:
        body = f"{region}{born:%Y%m%d}{seq:03d}"
        number = body + ric.calc_check_digit(body + "0")
        if number not in _used_ids:
            _used_ids.add(number)
            return number
        seq += 2


def given_name() -> str:
    return "".join(RNG.choice(GIVEN) for _ in range(RNG.choice((1, 2, 2))))


@dataclass
class Person:
    name: str
    id: str
    male: bool
    born: date


def person(county: str, born_year: int, male: bool, surname: str | None = None) -> Person:
    born = date(min(born_year, 2021), RNG.randint(1, 12), RNG.randint(1, 28))
    name = (surname or RNG.choice(SURNAMES)) + given_name()
    return Person(name, make_id(region_for(county, born), born, male), male, born)


def next_card() -> str:
    global _card_index
    _card_index += 1
    return bank_card(_card_index, SEED)


def next_phone() -> str:
    global _card_index
    _card_index += 1
    return phone(_card_index, SEED)


BANKS = ("广西农村信用社", "中国农业银行", "中国邮政储蓄银行", "桂林银行")


def sha(*parts: Any) -> str:
    return hashlib.sha256("/".join(str(p) for p in ("blind2", *parts)).encode()).hexdigest()


# ---------------------------------------------------------------------------------------------
# Registries, filled as the scenarios are written

REG: dict[str, list[dict[str, Any]]] = {k: [] for k in (
    "dibao", "tekun", "dibao_marginal", "monitoring", "household_registration", "vehicles",
    "companies", "real_estate", "public_employees")}
_household_seq = 0


def new_household_no(village_code: str) -> str:
    global _household_seq
    _household_seq += 1
    return f"{village_code[:6]}{_household_seq:06d}"


def register(hh_no: str, division: str, p: Person, rel: str, joined: date,
             left: date | None = None, deceased: date | None = None,
             previous: str | None = None) -> None:
    REG["household_registration"].append({
        "id_number": p.id, "division_code": division, "household_no": hh_no,
        "relationship": rel, "joined_on": joined.isoformat(),
        "left_on": left.isoformat() if left else "",
        "deceased_on": deceased.isoformat() if deceased else "",
        "previous_household_no": previous or "",
    })


def joined_date(p: Person, rel: str, head: Person) -> date:
    if rel in ("子", "女", "孙子", "孙女"):
        return p.born + timedelta(days=30)
    if rel in ("配偶", "儿媳"):
        return date(max(p.born.year + 22, head.born.year + 22), 3, 1)
    return date(1985, 4, 1)


# ---------------------------------------------------------------------------------------------
# Families

REL_REG = {"户主": "户主", "配偶": "配偶", "子": "子", "女": "女", "孙子": "孙子", "孙女": "孙女",
           "母亲": "母亲", "父亲": "父亲", "儿媳": "儿媳"}


@dataclass
class Family:
    county: str
    village: str
    head: Person
    members: list[tuple[Person, str]]
    household_no: str
    phone: str
    account: dict[str, str]
    group: str

    @property
    def size(self) -> int:
        return 1 + len(self.members)

    def payload(self) -> dict[str, Any]:
        return {
            "head": {"name": self.head.name, "id_number": self.head.id},
            "members": [{"name": p.name, "id_number": p.id, "relationship": rel}
                        for p, rel in self.members],
            "size": self.size,
            "phone": self.phone,
            "account": dict(self.account),
            "group": self.group,
        }

    def everyone(self) -> list[Person]:
        return [self.head, *[p for p, _ in self.members]]


def family(county: str, village_code: str, size: int, head_year: int | None = None,
           head_male: bool = True, register_it: bool = True,
           surname: str | None = None) -> Family:
    head_year = head_year or RNG.randint(1942, 1972)
    head = person(county, head_year, head_male, surname)
    surname = head.name[0] if head_male else RNG.choice(SURNAMES)
    members: list[tuple[Person, str]] = []
    plan = ["配偶", "子", "女", "孙子", "母亲", "孙女"]
    if size >= 4:
        plan = ["配偶", "子", "儿媳", "孙子", "孙女", "女"]
    for rel in plan[: size - 1]:
        if rel == "配偶":
            members.append((person(county, head_year + RNG.randint(-3, 3), not head_male), rel))
        elif rel in ("子", "女"):
            members.append((person(county, head_year + RNG.randint(22, 30), rel == "子",
                                   surname), rel))
        elif rel == "儿媳":
            members.append((person(county, head_year + RNG.randint(23, 30), False), rel))
        elif rel in ("孙子", "孙女"):
            members.append((person(county, head_year + RNG.randint(46, 55), rel == "孙子",
                                   surname), rel))
        elif rel == "母亲":
            members.append((person(county, head_year - RNG.randint(20, 26), False), rel))
    fam = Family(
        county=county, village=village_code, head=head, members=members,
        household_no=new_household_no(village_code), phone=next_phone(),
        account={"bank": RNG.choice(BANKS), "kind": "card", "number": next_card()},
        group=f"第{RNG.randint(1, 9)}村民小组",
    )
    if register_it:
        register_family(fam)
    return fam


def register_family(fam: Family, skip: tuple[str, ...] = ()) -> None:
    register(fam.household_no, fam.village, fam.head, "户主",
             date(max(fam.head.born.year + 20, 1980), 4, 1))
    for p, rel in fam.members:
        if p.id in skip:
            continue
        register(fam.household_no, fam.village, p, REL_REG.get(rel, "其他"),
                 joined_date(p, rel, fam.head))


CERTIFYING = {
    "dibao": "civil_affairs", "tekun": "civil_affairs", "dibao_marginal": "civil_affairs",
    "urban_dibao_rural_hukou": "civil_affairs", "monitoring": "rural_revitalization",
    "severe_hardship": "rural_revitalization", "other_lifted": "rural_revitalization",
}


def put_on_list(fam: Family, category: str, since: date | None = None,
                until: date | None = None, **extra: str) -> None:
    """The certifying department's list for the household's category (everyone in it)."""
    since = since or date(RNG.randint(2016, 2021), RNG.randint(1, 12), 1)
    kind = {"dibao": "dibao", "urban_dibao_rural_hukou": "dibao", "tekun": "tekun",
            "dibao_marginal": "dibao_marginal", "monitoring": "monitoring",
            "severe_hardship": "monitoring"}.get(category)
    if kind is None:
        return  # 其他脱贫户: no list among the registries
    people = [fam.head] if kind == "tekun" else fam.everyone()
    for p in people:
        row = {"id_number": p.id, "division_code": fam.village, "valid_from": since.isoformat(),
               "valid_until": until.isoformat() if until else ""}
        if kind == "dibao":
            row["area"] = "urban" if category == "urban_dibao_rural_hukou" else "rural"
        if kind == "tekun":
            row["support_mode"] = extra.get("support_mode", "dispersed")
        if kind == "monitoring":
            row["monitoring_type"] = extra.get(
                "monitoring_type",
                "sudden_hardship" if category == "severe_hardship" else "unstable_lifted")
        REG[kind].append(row)


# ---------------------------------------------------------------------------------------------
# Staff

STAFF: list[dict[str, str]] = []
STAFF_PEOPLE: dict[str, Person] = {}


def staff(staff_id: str, role: str, jurisdiction: str, county: str,
          who: Person | None = None) -> Person:
    if staff_id in STAFF_PEOPLE and who is None:
        who = STAFF_PEOPLE[staff_id]
    who = who or person(county, RNG.randint(1965, 1992), RNG.random() < 0.7)
    STAFF_PEOPLE[staff_id] = who
    STAFF.append({"staff_id": staff_id, "name": who.name, "role": role,
                  "jurisdiction": jurisdiction, "valid_from": "2022-01-01", "valid_until": "",
                  "id_number": who.id})
    return who


def actor(staff_id: str, role: str, jurisdiction: str) -> dict[str, str]:
    return {"id": staff_id, "role": role, "jurisdiction": jurisdiction}


def vc(village_code: str) -> dict[str, str]:
    return actor(f"vc-{village_code}", "village_clerk", village_code)


def tw(village_code: str) -> dict[str, str]:
    t = township_of(village_code)
    return actor(f"tw-{t[:9]}", "township_officer", t)


def county_actor(prefix: str, role: str, code: str) -> dict[str, str]:
    c = county_of(code)
    return actor(f"{prefix}-{c[:6]}", role, c)


def build_staff() -> None:
    for county, info in COUNTIES.items():
        c = county + "000000"
        for t, villages in info["townships"].items():
            tcode = f"{county}{t}000"
            staff(f"tw-{county}{t}", "township_officer", tcode, county)
            for v in villages:
                vcode = village(county, t, v)
                staff(f"vc-{vcode}", "village_clerk", vcode, county)
        staff(f"ca-{county}", "civil_affairs_officer", c, county)
        staff(f"rr-{county}", "rural_revitalization_officer", c, county)
        staff(f"as-{county}", "assessor", c, county)
        staff(f"ap-{county}", "county_officer", c, county)
        staff(f"cc-{county}", "county_officer", c, county)
        staff(f"ci-{county}", "county_inspector", c, county)
        staff(f"cj-{county}", "county_inspector", c, county)
        staff(f"fi-{county}", "finance_officer", c, county)
    staff("cy-4503", "city_inspector", "450300000000", "450321")
    staff("pv-45", "provincial_inspector", "450000000000", "450321")
    staff("pm-4503", "programme_manager", "450300000000", "450321")
    # Every official's own household is on the public-security register too.
    for sid, who in list(STAFF_PEOPLE.items()):
        if sid.startswith(("vc-", "tw-", "as-", "ci-", "cj-", "ap-")) and sid not in SPECIAL_STAFF:
            code = sid.split("-", 1)[1]
            div = {12: code, 9: code + "201"}.get(len(code), code[:6] + "100001")
            hh = new_household_no(div)
            register(hh, div, who, "户主", date(max(who.born.year + 22, 1990), 5, 1))


# officials whose own registration a scenario writes itself
SPECIAL_STAFF: set[str] = {"vc-450321103205", "tw-450312103"}

# ---------------------------------------------------------------------------------------------
# The case builder

MIN_AREA = {1: 20, 2: 30, 3: 40}


def min_area(size: int) -> int:
    return MIN_AREA.get(size, 13 * size)


def normal_area(size: int) -> str:
    return {1: "36", 2: "48", 3: "56", 4: "64", 5: "78", 6: "96"}.get(size, str(14 * size))


def split_for(category: str, means: str | None = None, size: int = 1,
              mode: str = "rebuild_in_place") -> dict[str, int]:
    if CERTIFYING[category] == "rural_revitalization":
        std = {"central_regional": 26500, "city": 1500, "county": 2000}
    else:
        std = {"central_regional": 15000, "city": 1500, "county": 2000}
    if means == "none" and mode in ("rebuild_in_place", "relocate"):
        full = min_area(size) * 1200
        if full > sum(std.values()):
            std = dict(std, county=full - std["central_regional"] - std["city"])
    return std


ORDER = ["apply", "certify", "grade", "review", "vnotice", "township", "tnotice", "approve",
         "cnotice", "agree", "start", "complete", "accept", "pay", "close"]


@dataclass
class Case:
    ref: str
    fam: Family
    category: str
    mode: str
    d0: date
    until: str = "close"
    grade: str | None = "D"          # None: no house (record_no_house)
    house: dict[str, Any] | None = None
    o: dict[str, Any] = field(default_factory=dict)   # overrides
    lines: list[dict[str, Any]] = field(default_factory=list)

    def add(self, kind: str, on: date, payload: dict[str, Any], who: dict[str, str] | None,
            tag: str | None = None) -> None:
        n = len(self.lines) + 1
        line = {"command_id": f"{self.ref}/{n:02d}-{tag or kind}", "type": kind,
                "case_ref": self.ref}
        if who is not None:
            line["actor"] = who
        line["occurred_on"] = on.isoformat()
        line["payload"] = payload
        self.lines.append(line)


def reached(case: Case, step: str) -> bool:
    return ORDER.index(case.until) >= ORDER.index(step) if case.until in ORDER else False


def build(case: Case) -> list[dict[str, Any]]:
    """Every command of the case, from the application to `case.until`."""
    o, fam, v = case.o, case.fam, case.fam.village
    ref = case.ref
    cty = county_of(v)
    d = case.d0
    house = case.house or {"structure": "earth", "year_built": RNG.randint(1958, 1988),
                           "floor_area_m2": str(RNG.choice((42, 48, 55, 60, 66))),
                           "evidence": [sha(ref, "before")]}
    app = {"programme_id": PROGRAMME, "village_code": v, "household": fam.payload(),
           "category": case.category, "planned_mode": case.mode, "house": house}
    if o.get("on_behalf"):
        app["channel"] = "village_committee_on_behalf"
        app["on_behalf_reason"] = o["on_behalf"]
    if o.get("prior_support"):
        app["prior_support"] = o["prior_support"]
        app["reentry_reason"] = o.get("reentry_reason")
    case.add("submit_application", d, app, vc(v), "apply")
    if case.until == "apply":
        return case.lines

    d += timedelta(days=o.get("certify_after", 5))
    dept = CERTIFYING[case.category]
    officer = ("ca", "civil_affairs_officer") if dept == "civil_affairs" else (
        "rr", "rural_revitalization_officer")
    case.add("certify_category", d, {"department": dept,
                                     "certificate_no": f"RD-{ref}"},
             county_actor(officer[0], officer[1], v), "certify")
    if case.until == "certify":
        return case.lines

    d += timedelta(days=o.get("grade_after", 6))
    if case.grade is None:
        case.add("record_no_house", d, {
            "basis": o.get("no_house_basis", "原住房已倒塌，经入户核实无其他住房"),
            "evidence": [sha(ref, "no-house")]}, tw(v), "no-house")
    else:
        assessor = o.get("assessor", county_actor("as", "assessor", v))
        case.add("grade_house", d, {
            "grade": case.grade, "method": "overall_danger",
            "assessor": {"name": "县住建局危房鉴定组", "organisation": "县住房和城乡建设局"},
            "report_no": f"JD-{ref}", "evidence": [o.get("grade_photo", sha(ref, "grading"))]},
            assessor, "grade")
    if o.get("means"):
        case.add("assess_means", d + timedelta(days=1), {
            "self_funding": o["means"], "basis": o.get("means_basis", "入户核实家庭收入和劳力情况"),
            "evidence": [sha(ref, "means")]}, tw(v), "means")
    if case.until == "grade":
        return case.lines

    # 民主评议, village notice, township review (possibly returned once)
    rounds = 2 if o.get("returned") else 1
    for r in range(rounds):
        d += timedelta(days=o.get("review_after", 7) if r == 0 else 5)
        votes = o.get("votes", {"meeting_type": "representatives_meeting", "eligible": 33,
                                "attended": 29, "votes_for": 27, "votes_against": 1,
                                "abstentions": 1})
        case.add("hold_democratic_review", d, {"votes": votes,
                                               "minutes": [sha(ref, "minutes", r)]}, vc(v),
                 f"review{r}")
        d += timedelta(days=1)
        case.add("post_notice", d, {"level": "village", "notice_no": f"GS-V{r}-{ref}",
                                    "location": "村委会公示栏", "planned_days": 7}, vc(v),
                 f"vnotice{r}")
        d += timedelta(days=o.get("village_notice_days", 7))
        close = {"level": "village"}
        if o.get("objections") and r == rounds - 1:
            close.update(o["objections"])
        case.add("close_notice", d, close, vc(v), f"vclose{r}")
        if case.until == "vnotice":
            return case.lines
        d += timedelta(days=o.get("township_after", 2))
        if r < rounds - 1:
            case.add("review_at_township", d, {
                "decision": "returned", "home_visited": True,
                "opinion": "评议材料不全，退回村重新评议公示"}, tw(v), "township-return")
            continue
        if o.get("reject_at") == "township":
            case.add("reject_case", d, {"level": "township",
                                        "reason": o.get("reject_reason", "不符合条件")},
                     tw(v), "reject")
            return case.lines
        case.add("review_at_township", d, {
            "decision": "approved", "home_visited": o.get("home_visited", True),
            "opinion": o.get("opinion", "经入户核实，住房确属危房，符合补助条件")},
            tw(v), "township")
    if case.until == "township":
        return case.lines

    d += timedelta(days=1)
    case.add("post_notice", d, {"level": "township", "notice_no": f"GS-T-{ref}",
                                "location": "乡镇政府公示栏", "planned_days": 7}, tw(v), "tnotice")
    d += timedelta(days=7)
    case.add("close_notice", d, {"level": "township"}, tw(v), "tclose")
    if case.until == "tnotice":
        return case.lines

    for when, step in o.get("before_approval", []):
        step(case, d + timedelta(days=when))

    d += timedelta(days=o.get("approve_after", 4))
    approval: dict[str, Any] = {}
    if o.get("approved_mode"):
        approval["approved_mode"] = o["approved_mode"]
    case.add("grant_county_approval", d, approval, county_actor("ap", "county_officer", v),
             "approve")
    approved_on = d
    if case.until == "approve":
        return case.lines

    d += timedelta(days=1)
    case.add("post_notice", d, {"level": "county", "notice_no": f"GS-C-{ref}",
                                "location": "县住建局门户网站及乡镇公示栏", "planned_days": 5},
             county_actor("cc", "county_officer", v), "cnotice")
    d += timedelta(days=5)
    case.add("close_notice", d, {"level": "county"}, county_actor("cc", "county_officer", v),
             "cclose")
    for when, step in o.get("after_approval", []):
        step(case, approved_on + timedelta(days=when))
    if case.until == "cnotice":
        return case.lines

    # 改造协议
    d += timedelta(days=o.get("agree_after", 6))
    mode = o.get("approved_mode", case.mode)
    new_build = mode in ("rebuild_in_place", "relocate")
    agreement = {"agreement_no": f"XY-{ref}", "renovation_mode": mode,
                 "construction_mode": o.get("construction_mode", "self_build"),
                 "deadline": o.get("deadline", "2022-10-31"),
                 "seismic_requirements": "按6度抗震设防，设置圈梁、构造柱"}
    if new_build:
        agreement["demolition_due"] = o.get("demolition_due", "2022-11-30")
    if o.get("payee"):
        agreement["payee"] = o["payee"]
    case.add("sign_agreement", d, agreement, tw(v), "agree")
    if case.until == "agree":
        return case.lines

    # 拆旧 (in place: before building) and 开工
    if mode == "rebuild_in_place" and not o.get("no_demolition"):
        d += timedelta(days=o.get("demolish_after", 8))
        case.add("record_demolition", d, {"evidence": [sha(ref, "demolished")]}, tw(v),
                 "demolish")
    d += timedelta(days=o.get("start_after", 7))
    builder = o.get("builder", {"name": "本村培训合格建筑工匠", "licence": f"GJ-{ref[-4:]}"})
    case.add("start_construction", d, {"builder": builder,
                                       "evidence": [sha(ref, "start")]}, tw(v), "start")
    start = d
    build_days = o.get("build_days", 95)
    if case.until == "start" and "progress_at" not in o:
        return case.lines
    progress_at = o.get("progress_at", build_days // 2)
    case.add("report_progress", start + timedelta(days=progress_at), {
        "milestone": o.get("milestone", "主体结构完成" if new_build else "加固墙体完成"),
        "percent_complete": o.get("percent", 60),
        "evidence": [sha(ref, "progress")]}, tw(v), "progress")
    if case.until == "start":
        return case.lines
    d = start + timedelta(days=build_days)
    built = o.get("built_area", normal_area(fam.size) if new_build else
                  house.get("floor_area_m2", "48"))
    case.add("complete_construction", d, {
        "built_area_m2": built, "structure": o.get("built_structure",
                                                   "masonry" if new_build else
                                                   house["structure"]),
        "evidence": o.get("completion_photos", [sha(ref, "after")])}, tw(v), "complete")
    completed = d
    for when, step in o.get("after_completion", []):
        step(case, completed + timedelta(days=when))
    if mode == "relocate" and not o.get("no_demolition"):
        case.add("record_demolition", d + timedelta(days=o.get("demolish_after", 9)),
                 {"evidence": [sha(ref, "demolished")]}, tw(v), "demolish")
    if case.until == "complete":
        return case.lines

    d += timedelta(days=o.get("accept_after", 12))
    result = {"passed": True, "measured_area_m2": o.get("measured_area", built),
              "safety_rating": o.get("safety_rating", "A"),
              "household_agrees": o.get("household_agrees", True),
              "team": o.get("team", [{"id": f"ci-{cty[:6]}", "role": "county_inspector"},
                                     {"id": f"cj-{cty[:6]}", "role": "county_inspector"}]),
              "evidence": o.get("acceptance_photos", [sha(ref, "acceptance")])}
    case.add("record_county_acceptance", d, {"result": result},
             county_actor("ci", "county_inspector", v), "accept")
    accepted = d
    if o.get("spot_check"):
        case.add("record_city_spot_check", d + timedelta(days=6), {
            "passed": True, "draw_ref": f"CJ-4503-2022-{d.month:02d}", "findings": [],
            "evidence": [sha(ref, "city")]}, actor("cy-4503", "city_inspector", "450300000000"),
            "city-check")
    if o.get("province_check"):
        case.add("record_provincial_acceptance", d + timedelta(days=15), {
            "passed": True, "findings": ["档案资料齐全"], "evidence": [sha(ref, "province")]},
            actor("pv-45", "provincial_inspector", "450000000000"), "province-check")
    for when, step in o.get("after_acceptance", []):
        step(case, accepted + timedelta(days=when))
    if case.until == "accept":
        return case.lines

    # 拨付: the county submits by the 25th, finance pays by the 30th (seed 004 §四(八))
    approved = split_for(case.category, o.get("means"), fam.size, mode)
    final = o.get("final_amounts", approved)
    d = accepted + timedelta(days=o.get("request_after", 6))
    case.add("request_payment", d, {"request_no": f"BF-{ref}-2", "tranche": "final",
                                    "amounts": {"by_source": final},
                                    "channel": o.get("channel", "one_card")},
             county_actor("cc", "county_officer", v), "pay")
    d += timedelta(days=o.get("disburse_after", 5))
    case.add("disburse_payment", d, {"request_no": f"BF-{ref}-2",
                                     "voucher_no": f"PZ-{ref}-2"},
             county_actor("fi", "finance_officer", v), "disburse")
    if case.until == "pay":
        return case.lines
    d += timedelta(days=o.get("close_after", 4))
    case.add("close_case", d, {}, county_actor("cc", "county_officer", v), "close")
    return case.lines


# ---------------------------------------------------------------------------------------------
# The scenarios

CASES: list[Case] = []
EXPECTED: list[tuple[Case, str, str]] = []
_pending = 0


def ref_for(county: str) -> str:
    """A placeholder; `number_cases` gives the real reference once every case exists."""
    global _pending
    _pending += 1
    return f"{county}-pending-{_pending}"


def number_cases() -> None:
    """案件编号 in filing order per county (ties in a fixed shuffled order), as a county's
    register numbers them, starting at 0101 after earlier batches."""
    order = list(range(len(CASES)))
    random.Random(7).shuffle(order)
    rank = {i: r for r, i in enumerate(order)}
    counters: dict[str, int] = {}
    for i in sorted(range(len(CASES)), key=lambda i: (CASES[i].d0, rank[i])):
        c = CASES[i]
        county = c.fam.village[:6]
        counters[county] = counters.get(county, 100) + 1
        c.ref = f"{county}-2022-{counters[county]:04d}"


def vil(county: str, township: str, v: str) -> str:
    return village(county, township, v)


def new_case(county: str, vcode: str, category: str, mode: str, d0: date, size: int,
             *, until: str = "close", grade: str | None = "D", list_it: bool = True,
             fam: Family | None = None, house: dict[str, Any] | None = None,
             **o: Any) -> Case:
    fam = fam or family(county, vcode, size)
    if list_it:
        put_on_list(fam, category)
    c = Case(ref_for(county), fam, category, mode, d0, until, grade, house, o)
    CASES.append(c)
    return c


def irregular(c: Case, pattern: str, note: str) -> Case:
    EXPECTED.append((c, pattern, note))
    return c


def correction(field_: str, new: Any, reason: str, county: str):
    def step(case: Case, on: date) -> None:
        case.add("correct_data", on, {
            "field": field_, "new": new, "reason": reason,
            "approved_by": {"id": f"cc-{county}", "role": "county_officer"}},
            tw(case.fam.village), f"correct-{field_.split('.')[-1]}")
    return step


YS, LG, LP = "450321", "450312", "450381"  # 阳朔县, 临桂区, 荔浦市
D = date


def scenarios() -> None:
    """One long list of cases, read top to bottom."""

    # ---------------- clean, ordinary cases: the full procedure, closed ----------------
    plain = [
        (YS, vil(YS, "101", "201"), "dibao", "rebuild_in_place", D(2022, 3, 7), 2, "D"),
        (YS, vil(YS, "101", "203"), "monitoring", "rebuild_in_place", D(2022, 3, 9), 4, "D"),
        (YS, vil(YS, "102", "201"), "tekun", "reinforce", D(2022, 3, 14), 1, "C"),
        (YS, vil(YS, "102", "204"), "dibao_marginal", "rebuild_in_place", D(2022, 3, 16), 3, "D"),
        (YS, vil(YS, "103", "202"), "severe_hardship", "reinforce", D(2022, 4, 6), 3, "C"),
        (LG, vil(LG, "101", "206"), "monitoring", "rebuild_in_place", D(2022, 3, 10), 5, "D"),
        (LG, vil(LG, "103", "203"), "other_lifted", "rebuild_in_place", D(2022, 4, 11), 4, "D"),
        (LG, vil(LG, "105", "204"), "tekun", "rebuild_in_place", D(2022, 3, 23), 1, "D"),
        (LP, vil(LP, "101", "201"), "dibao", "rebuild_in_place", D(2022, 3, 7), 3, "D"),
        (LP, vil(LP, "102", "203"), "dibao_marginal", "relocate", D(2022, 3, 17), 2, "D"),
    ]
    for i, (cty, vcode, cat, mode, d0, size, grade) in enumerate(plain):
        house = None
        if mode == "reinforce":
            house = {"structure": "brick_wood", "year_built": 1983 + i,
                     "floor_area_m2": str(max(min_area(size) + 8, 46)),
                     "evidence": [sha("plain", i, "before")]}
        new_case(cty, vcode, cat, mode, d0, size, grade=grade, house=house,
                 spot_check=(i % 3 == 0), province_check=(i % 5 == 0),
                 build_days=80 + 3 * i, accept_after=8 + i % 6)

    # one no-house household: the old house collapsed in the 2021 rains; its ruins are
    # cleared before the new house is built (recorded as the demolition)
    new_case(YS, vil(YS, "103", "205"), "dibao", "rebuild_in_place", D(2022, 3, 28), 2,
             grade=None, house={"structure": "earth", "year_built": 1966,
                                "floor_area_m2": "0", "evidence": [sha("nohouse", "site")]},
             spot_check=True)

    # --------- clean, still under way at the year end (later batch, deadlines in 2023) ---------
    new_case(YS, vil(YS, "102", "201"), "dibao", "rebuild_in_place", D(2022, 8, 15), 3,
             until="start", deadline="2023-04-30", demolition_due="2023-05-31",
             progress_at=45, percent=40)
    new_case(LG, vil(LG, "103", "201"), "monitoring", "rebuild_in_place", D(2022, 8, 22), 2,
             until="start", deadline="2023-04-30", demolition_due="2023-05-31",
             progress_at=30, percent=30)
    new_case(LP, vil(LP, "102", "208"), "tekun", "reinforce", D(2022, 9, 5), 1, grade="C",
             until="agree", deadline="2023-03-31",
             house={"structure": "wood", "year_built": 1979, "floor_area_m2": "40",
                    "evidence": [sha("late-lp", "before")]})
    new_case(YS, vil(YS, "101", "203"), "dibao_marginal", "rebuild_in_place", D(2022, 11, 14), 3,
             until="certify")
    new_case(LG, vil(LG, "101", "206"), "dibao", "rebuild_in_place", D(2022, 11, 21), 2,
             until="grade")
    new_case(LP, vil(LP, "101", "205"), "monitoring", "rebuild_in_place", D(2022, 10, 10), 4,
             until="cnotice", deadline="2023-05-31", demolition_due="2023-06-30")

    # ---------------- clean near misses ----------------
    # monitoring household whose risk was removed in September, after its approval
    c = new_case(YS, vil(YS, "103", "202"), "monitoring", "rebuild_in_place", D(2022, 3, 11), 3,
                 list_it=False, spot_check=True)
    put_on_list(c.fam, "monitoring", since=D(2021, 4, 1), until=D(2022, 9, 30),
                monitoring_type="marginal")
    # rural-registered household on urban 低保 (counts as rural 低保, seed 004 §三(一))
    c = new_case(LG, vil(LG, "105", "204"), "urban_dibao_rural_hukou", "rebuild_in_place",
                 D(2022, 3, 24), 2)
    # a three-wheeled farm vehicle and a motorcycle: working tools, not 小汽车
    c = new_case(LP, vil(LP, "102", "203"), "dibao", "rebuild_in_place", D(2022, 3, 18), 4)
    REG["vehicles"].append({"id_number": c.fam.head.id, "vehicle_type": "agricultural",
                            "registered_on": "2016-05-20", "deregistered_on": "",
                            "division_code": county_of(c.fam.village)})
    REG["vehicles"].append({"id_number": c.fam.members[1][0].id, "vehicle_type": "motorcycle",
                            "registered_on": "2019-11-02", "deregistered_on": "",
                            "division_code": county_of(c.fam.village)})
    # a car scrapped years before the application
    c = new_case(YS, vil(YS, "102", "204"), "monitoring", "rebuild_in_place", D(2022, 3, 22), 3)
    REG["vehicles"].append({"id_number": c.fam.members[1][0].id, "vehicle_type": "car",
                            "registered_on": "2009-07-15", "deregistered_on": "2018-03-30",
                            "division_code": county_of(c.fam.village)})
    # a village shop (个体工商户) closed in 2016
    c = new_case(LG, vil(LG, "103", "203"), "dibao_marginal", "reinforce", D(2022, 4, 7), 2,
                 grade="C", house={"structure": "brick_wood", "year_built": 1990,
                                   "floor_area_m2": "52", "evidence": [sha("shop", "before")]})
    REG["companies"].append({"id_number": c.fam.head.id, "role": "owner",
                             "registered_on": "2011-04-18", "deregistered_on": "2016-09-01",
                             "division_code": county_of(c.fam.village)})
    # the dilapidated village house itself is on the real-estate register
    c = new_case(LP, vil(LP, "104", "201"), "tekun", "rebuild_in_place", D(2022, 3, 30), 1,
                 house={"structure": "earth", "year_built": 1974, "floor_area_m2": "44",
                        "evidence": [sha("own-house", "before")]})
    REG["real_estate"].append({"id_number": c.fam.head.id, "use": "residential",
                               "registered_on": "2015-06-10", "cancelled_on": "",
                               "floor_area_m2": "44", "division_code": c.fam.village})
    # a laid-off state-owned-enterprise worker (下岗 2003)
    c = new_case(YS, vil(YS, "101", "201"), "dibao", "rebuild_in_place", D(2022, 4, 8), 2,
                 spot_check=True)
    REG["public_employees"].append({"id_number": c.fam.head.id,
                                    "employer_kind": "state_owned_enterprise",
                                    "from": "1985-09-01", "until": "2003-06-30",
                                    "division_code": "450300000000"})
    # renovated in 2012, damaged again by the June 2021 flood (small disaster: may re-enter)
    new_case(LG, vil(LG, "101", "202"), "monitoring", "rebuild_in_place", D(2022, 3, 15), 3,
             prior_support=[{"kind": "dilapidated_renovation", "year": 2012}],
             reentry_reason="small_natural_disaster", province_check=True)
    # 统建: three households of one cluster built by one contractor, paid to its account
    contractor = {"name": "荔浦市宏建建筑工程有限公司", "bank": "桂林银行", "kind": "card",
                  "account": next_card()}
    for j, (vcode, size) in enumerate([(vil(LP, "102", "208"), 1), (vil(LP, "102", "208"), 2),
                                       (vil(LP, "102", "203"), 2)]):
        new_case(LP, vcode, "tekun" if size == 1 else "dibao", "rebuild_in_place",
                 D(2022, 3, 21 + j), size, construction_mode="unified_build", payee=contractor,
                 channel="builder_account",
                 builder={"name": contractor["name"], "licence": "JZ-4503-2018-117"},
                 spot_check=(j == 0))
    # an elderly woman with dementia: the village committee applied for her
    new_case(YS, vil(YS, "103", "205"), "tekun", "rebuild_in_place", D(2022, 3, 25), 1,
             on_behalf="户主年老失智，无法自行申请，由村委会代为提出申请",
             fam=family(YS, vil(YS, "103", "205"), 1, head_year=1936, head_male=False))
    # withdrawn (wanted to move the site), then applied again with the new site
    fam_w = family(LG, vil(LG, "105", "207"), 3)
    put_on_list(fam_w, "dibao")
    c = Case(ref_for(LG), fam_w, "dibao", "rebuild_in_place", D(2022, 3, 9), "vnotice")
    CASES.append(c)
    c.o["after_village_withdraw"] = True
    new_case(LG, vil(LG, "105", "207"), "dibao", "relocate", D(2022, 5, 9), 3, fam=fam_w,
             list_it=False, demolition_due="2022-12-31")
    # 兜底: no means of her own, a new build paid at the full minimum cost (seed 004 §三(三))
    new_case(LP, vil(LP, "101", "201"), "dibao", "rebuild_in_place", D(2022, 3, 10), 3,
             means="none", means_basis="户主患重病，配偶残疾，无劳动能力，无存款")
    # accepted on 12 December: not yet paid at the year end, still inside the month cycle
    new_case(YS, vil(YS, "102", "201"), "dibao_marginal", "rebuild_in_place", D(2022, 6, 6), 2,
             until="accept", build_days=108, accept_after=14, deadline="2022-12-31",
             demolition_due="2022-12-31")
    # reinforcement done in 24 days (walls and roof only)
    new_case(LG, vil(LG, "103", "203"), "dibao", "reinforce", D(2022, 4, 13), 2, grade="C",
             house={"structure": "brick_wood", "year_built": 1986, "floor_area_m2": "50",
                    "evidence": [sha("fast-reinforce", "before")]}, build_days=24)
    # a new phone number after approval; a replacement card before approval
    c = new_case(LP, vil(LP, "104", "206"), "monitoring", "rebuild_in_place", D(2022, 3, 14), 3)
    c.o["after_approval"] = [(20, correction("household.phone", next_phone(),
                                             "户主更换手机号码", LP))]
    c.o["before_approval"] = [(1, correction(
        "household.account", {"bank": "广西农村信用社", "kind": "card", "number": next_card()},
        "原一卡通遗失，已挂失补办新卡", LP))]
    # a daughter-in-law married in 2020 whose 户口 is still in her parents' village
    vcode = vil(LP, "104", "206")
    f = family(LP, vcode, 3, head_year=1958)
    dil = person(LP, 1996, False)
    in_laws = family(LP, vil(LP, "101", "201"), 2, head_year=1968)
    register(in_laws.household_no, in_laws.village, dil, "女", dil.born + timedelta(days=30))
    f.members.append((dil, "儿媳"))
    new_case(LP, vcode, "monitoring", "rebuild_in_place", D(2022, 4, 11), 4, fam=f)
    # a six-person household, 96 m² (within 13–18 m² a person)
    new_case(YS, vil(YS, "101", "203"), "monitoring", "rebuild_in_place", D(2022, 3, 23), 6,
             built_area="100")
    # split from the parents' household in 2009, long before; parents not in the programme
    fam_s = family(LG, vil(LG, "101", "202"), 3, register_it=False)
    parents = family(LG, vil(LG, "101", "202"), 2, head_year=1940)
    register(fam_s.household_no, fam_s.village, fam_s.head, "户主", D(2009, 6, 1),
             previous=parents.household_no)
    REG["household_registration"].append({
        "id_number": fam_s.head.id, "division_code": fam_s.village,
        "household_no": parents.household_no, "relationship": "子",
        "joined_on": (fam_s.head.born + timedelta(days=30)).isoformat(),
        "left_on": "2009-06-01", "deceased_on": "", "previous_household_no": ""})
    for p, rel in fam_s.members:
        register(fam_s.household_no, fam_s.village, p, REL_REG[rel],
                 joined_date(p, rel, fam_s.head))
    new_case(LG, vil(LG, "101", "202"), "dibao", "rebuild_in_place", D(2022, 3, 28), 3,
             fam=fam_s)
    # a 2006 brick house cracked by a 2021 landslide: graded C, reinforced
    new_case(LP, vil(LP, "101", "205"), "dibao_marginal", "reinforce", D(2022, 4, 6), 3,
             grade="C", house={"structure": "masonry", "year_built": 2006, "storeys": 1,
                               "floor_area_m2": "62", "evidence": [sha("landslide", "before")]})
    # returned once by the township (评议材料不全), reviewed and noticed again
    new_case(YS, vil(YS, "103", "202"), "dibao", "rebuild_in_place", D(2022, 3, 8), 2,
             returned=True)
    # two objections at the village notice, both examined and not upheld
    new_case(LG, vil(LG, "105", "204"), "monitoring", "rebuild_in_place", D(2022, 3, 16), 4,
             objections={"objections_received": 2, "objections_upheld": 0})
    # rejected by the township: family income above the standard
    new_case(LP, vil(LP, "102", "203"), "dibao_marginal", "rebuild_in_place", D(2022, 4, 11), 3,
             until="township", reject_at="township",
             reject_reason="入户核实家庭收入超出认定标准")
    # the head died in December, after the case was closed
    c = new_case(YS, vil(YS, "101", "201"), "tekun", "reinforce", D(2022, 3, 15), 1, grade="C",
                 fam=family(YS, vil(YS, "101", "201"), 1, head_year=1937, register_it=False),
                 house={"structure": "brick_wood", "year_built": 1978, "floor_area_m2": "38",
                        "evidence": [sha("late-death", "before")]})
    register(c.fam.household_no, c.fam.village, c.fam.head, "户主", D(1960, 5, 1),
             deceased=D(2022, 12, 2))

    # =========================== irregular cases ===========================
    # -- two households paid into one card (顶名: a cadre holds the cards)
    f1 = family(LG, vil(LG, "103", "201"), 2)
    f2 = family(LG, vil(LG, "103", "201"), 1, head_year=1945)
    f2.account = dict(f1.account)
    for f in (f1, f2):
        c = new_case(LG, f.village, "dibao", "rebuild_in_place", D(2022, 3, 17), f.size, fam=f)
        irregular(c, "shared_account", "两户一卡通账号相同，资金打入同一账户")

    # -- the head died in June; the house was 'completed' and 'accepted' with his consent
    f = family(LP, vil(LP, "101", "205"), 1, head_year=1939, register_it=False)
    register(f.household_no, f.village, f.head, "户主", D(1962, 3, 1), deceased=D(2022, 6, 20))
    c = new_case(LP, f.village, "tekun", "rebuild_in_place", D(2022, 3, 9), 1, fam=f)
    irregular(c, "deceased_beneficiary",
              "户主2022-06-20死亡，之后仍验收（农户同意）并拨款到其一卡通")

    # -- an application for a man who had died the previous November
    f = family(YS, vil(YS, "102", "204"), 1, head_year=1941, register_it=False)
    register(f.household_no, f.village, f.head, "户主", D(1963, 3, 1), deceased=D(2021, 11, 3))
    c = new_case(YS, f.village, "dibao", "rebuild_in_place", D(2022, 3, 10), 1, fam=f)
    irregular(c, "deceased_applicant", "户主2021-11-03已死亡，2022年仍以其名义申请并拨款")

    # -- a car bought in 2020
    c = new_case(YS, vil(YS, "101", "203"), "dibao", "rebuild_in_place", D(2022, 3, 18), 3)
    REG["vehicles"].append({"id_number": c.fam.head.id, "vehicle_type": "小型汽车",
                            "registered_on": "2020-05-12", "deregistered_on": "",
                            "division_code": county_of(c.fam.village)})
    irregular(c, "owns_car", "户主名下2020年登记小型汽车，未注销")

    # -- the son is the legal representative of a trading company
    c = new_case(LG, vil(LG, "105", "207"), "monitoring", "rebuild_in_place", D(2022, 3, 22), 4)
    REG["companies"].append({"id_number": c.fam.members[1][0].id, "role": "法定代表人",
                             "registered_on": "2019-04-02", "deregistered_on": "",
                             "division_code": county_of(c.fam.village)})
    irregular(c, "company_owner", "家庭成员（子）为存续企业法定代表人")

    # -- a flat in the county town
    c = new_case(LP, vil(LP, "104", "206"), "dibao_marginal", "rebuild_in_place", D(2022, 3, 24), 3)
    REG["real_estate"].append({"id_number": c.fam.head.id, "use": "住宅",
                               "registered_on": "2019-08-20", "cancelled_on": "",
                               "floor_area_m2": "98.5", "division_code": "450381100001"})
    irregular(c, "other_house", "户主在县城另有98.5㎡商品住房，危房并非唯一住房")

    # -- the wife is a schoolteacher (事业单位)
    c = new_case(YS, vil(YS, "102", "201"), "dibao_marginal", "rebuild_in_place", D(2022, 3, 21), 3)
    REG["public_employees"].append({"id_number": c.fam.members[0][0].id,
                                    "employer_kind": "public_institution",
                                    "from": "2001-09-01", "until": "",
                                    "division_code": "450321000000"})
    irregular(c, "public_employee", "配偶为在职事业单位（教师）财政供养人员")

    # -- a son on the township payroll, left off the application but on the same 户口簿
    f = family(LP, vil(LP, "102", "208"), 2, head_year=1955)
    son = person(LP, 1984, True, f.head.name[0])
    register(f.household_no, f.village, son, "子", son.born + timedelta(days=30))
    REG["public_employees"].append({"id_number": son.id, "employer_kind": "government",
                                    "from": "2015-07-01", "until": "",
                                    "division_code": "450381000000"})
    c = new_case(LP, f.village, "monitoring", "rebuild_in_place", D(2022, 3, 28), 2, fam=f)
    irregular(c, "hidden_member_public_employee",
              "户籍同户的儿子为在编公务员，申请时未列入家庭成员")

    # -- the village clerk's parents (the clerk is still on their 户口簿), clerk did every step
    vcode = vil(YS, "103", "205")
    clerk = STAFF_PEOPLE[f"vc-{vcode}"]
    f = family(YS, vcode, 2, head_year=clerk.born.year - 27, surname=clerk.name[0])
    register(f.household_no, vcode, clerk, "子", clerk.born + timedelta(days=30))
    c = new_case(YS, vcode, "dibao", "rebuild_in_place", D(2022, 3, 14), 2, fam=f)
    irregular(c, "official_relative",
              "村文书（本村申请受理、评议、公示经办人）的父母户，村文书户籍在该户")

    # -- the township officer's mother; he split from her household in 2012 and reviewed her case
    tcode = "450312103"
    officer = STAFF_PEOPLE[f"tw-{tcode}"]
    f = family(LG, vil(LG, "103", "203"), 1, head_year=officer.born.year - 26, head_male=False)
    off_hh = new_household_no(f.village)
    register(off_hh, f.village, officer, "户主", D(2012, 10, 8), previous=f.household_no)
    REG["household_registration"].append({
        "id_number": officer.id, "division_code": f.village, "household_no": f.household_no,
        "relationship": "子", "joined_on": (officer.born + timedelta(days=30)).isoformat(),
        "left_on": "2012-10-08", "deceased_on": "", "previous_household_no": ""})
    c = new_case(LG, f.village, "tekun", "rebuild_in_place", D(2022, 3, 29), 1, fam=f)
    irregular(c, "official_relative", "乡镇审核人为户主之子（2012年从该户分户）")

    # -- the assessor who graded the house D is the applicant's brother
    acode = "450381102000"
    f = family(LP, vil(LP, "102", "203"), 3, register_it=False)
    father = person(LP, f.head.born.year - 28, True, f.head.name[0])
    father_hh = new_household_no(f.village)
    register(father_hh, f.village, father, "户主", D(1958, 1, 1), deceased=D(2015, 4, 2))
    brother = person(LP, f.head.born.year + 4, True, f.head.name[0])
    staff("as-450381102", "assessor", acode, LP, who=brother)
    SPECIAL_STAFF.add("as-450381102")
    for p, hh, left in ((f.head, father_hh, D(2001, 3, 1)), (brother, father_hh, D(2008, 6, 1))):
        REG["household_registration"].append({
            "id_number": p.id, "division_code": f.village, "household_no": hh,
            "relationship": "子", "joined_on": (p.born + timedelta(days=30)).isoformat(),
            "left_on": left.isoformat(), "deceased_on": "", "previous_household_no": ""})
    register(f.household_no, f.village, f.head, "户主", D(2001, 3, 1), previous=father_hh)
    for p, rel in f.members:
        register(f.household_no, f.village, p, REL_REG[rel], joined_date(p, rel, f.head))
    brother_hh = new_household_no(f.village)
    register(brother_hh, f.village, brother, "户主", D(2008, 6, 1), previous=father_hh)
    c = new_case(LP, f.village, "dibao", "rebuild_in_place", D(2022, 4, 7), 3, fam=f,
                 assessor=actor("as-450381102", "assessor", acode))
    irregular(c, "official_relative", "危房鉴定人为户主胞弟（同出一户分户），鉴定为D级")

    # -- 低保 certified but on no list of 民政
    c = new_case(YS, vil(YS, "102", "204"), "dibao", "rebuild_in_place", D(2022, 3, 28), 2,
                 list_it=False)
    irregular(c, "not_on_certified_list", "认定为农村低保户，民政低保名单中无此户")

    # -- certified as 监测对象 (30,000) although only on the 低保 list (18,500)
    c = new_case(LG, vil(LG, "101", "206"), "monitoring", "rebuild_in_place", D(2022, 3, 25), 3,
                 list_it=False)
    put_on_list(c.fam, "dibao")
    irregular(c, "wrong_category",
              "按监测对象认定补助3万元，乡村振兴监测名单无此户（仅在低保名单）")

    # -- monitoring risk removed in June 2021, certified as monitoring in 2022
    c = new_case(LP, vil(LP, "104", "201"), "monitoring", "rebuild_in_place", D(2022, 3, 16), 2,
                 list_it=False)
    put_on_list(c.fam, "monitoring", since=D(2019, 5, 1), until=D(2021, 6, 30),
                monitoring_type="unstable_lifted")
    irregular(c, "not_on_certified_list", "监测对象风险已于2021-06-30消除，2022年仍按监测对象认定")

    # -- 特困 in a care home (集中供养): not a 分散供养 person the plan covers
    c = new_case(YS, vil(YS, "103", "202"), "tekun", "rebuild_in_place", D(2022, 4, 1), 1,
                 list_it=False)
    put_on_list(c.fam, "tekun", since=D(2018, 1, 1), support_mode="concentrated")
    irregular(c, "ineligible_category", "特困人员为集中供养（敬老院），不属分散供养对象")

    # -- split from the parents' household weeks before applying: two subsidies for one home
    vcode = vil(LP, "101", "201")
    parents = family(LP, vcode, 2, head_year=1948)
    son_f = family(LP, vcode, 2, head_year=1975, register_it=False,
                   surname=parents.head.name[0])
    REG["household_registration"].append({
        "id_number": son_f.head.id, "division_code": vcode, "household_no": parents.household_no,
        "relationship": "子", "joined_on": (son_f.head.born + timedelta(days=30)).isoformat(),
        "left_on": "2022-02-15", "deceased_on": "", "previous_household_no": ""})
    wife = son_f.members[0][0]
    REG["household_registration"].append({
        "id_number": wife.id, "division_code": vcode, "household_no": parents.household_no,
        "relationship": "儿媳", "joined_on": "1999-10-01", "left_on": "2022-02-15",
        "deceased_on": "", "previous_household_no": ""})
    register(son_f.household_no, vcode, son_f.head, "户主", D(2022, 2, 15),
             previous=parents.household_no)
    register(son_f.household_no, vcode, wife, "配偶", D(2022, 2, 15),
             previous=parents.household_no)
    c1 = new_case(LP, vcode, "dibao", "rebuild_in_place", D(2022, 3, 14), 2, fam=parents)
    c2 = new_case(LP, vcode, "dibao", "rebuild_in_place", D(2022, 3, 15), 2, fam=son_f,
                  list_it=False)
    put_on_list(son_f, "dibao", since=D(2022, 3, 1))
    for c in (c1, c2):
        irregular(c, "household_split_double_claim",
                  "儿子一家2022-02-15从父母户分户后两户同年分别申请，同一住房两份补助")

    # -- the grandmother listed in two sons' households
    granny = person(YS, 1938, False)
    fa = family(YS, vil(YS, "101", "201"), 2, head_year=1963)
    fb = family(LP, vil(LP, "101", "205"), 2, head_year=1966, surname=fa.head.name[0])
    put_on_list(fb, "dibao")
    register(fa.household_no, fa.village, granny, "母亲", D(1990, 1, 1))
    fa.members.append((granny, "母亲"))
    fb.members.append((granny, "母亲"))
    put_on_list(fa, "dibao")
    for f, cty in ((fa, YS), (fb, LP)):
        c = new_case(cty, f.village, "dibao", "rebuild_in_place", D(2022, 3, 22), 3, fam=f,
                     list_it=False)
        irregular(c, "duplicate_member", "同一老人同时列为两个申请户的家庭成员，重复计人口")

    # -- one completion photo in two cases of two counties
    photo = sha("reused", "completion-photo")
    for cty, vcode, d0 in ((YS, vil(YS, "103", "205"), D(2022, 3, 17)),
                           (LG, vil(LG, "105", "204"), D(2022, 3, 31))):
        c = new_case(cty, vcode, "dibao", "rebuild_in_place", d0, 2, completion_photos=[photo])
        irregular(c, "reused_photo", "两户竣工照片完全相同（同一哈希）")

    # -- the completion photo is the 'before' photo of the application: nothing was built
    c = new_case(LP, vil(LP, "104", "206"), "dibao", "rebuild_in_place", D(2022, 3, 29), 2)
    c.house = {"structure": "brick_wood", "year_built": 1981, "floor_area_m2": "52",
               "evidence": [sha(c.ref, "before")]}
    c.o["completion_photos"] = [sha(c.ref, "before")]
    irregular(c, "fake_completion_photo", "竣工照片即申请时的旧房照片")

    # -- a 70 m² new house built in six days
    c = new_case(YS, vil(YS, "102", "204"), "monitoring", "rebuild_in_place", D(2022, 4, 12), 4,
                 build_days=6, progress_at=3, percent=70)
    irregular(c, "implausibly_fast", "拆除重建从开工到竣工仅6天")

    # -- a two-person household built 168 m² over three storeys
    c = new_case(LG, vil(LG, "103", "203"), "dibao", "rebuild_in_place", D(2022, 3, 30), 2,
                 built_area="168", build_days=118)
    irregular(c, "oversize", "2人户建成168㎡，远超面积上限")

    # -- moved into the new house; the old one still stands after the agreed date
    c = new_case(YS, vil(YS, "101", "203"), "dibao", "relocate", D(2022, 3, 24), 3,
                 no_demolition=True, until="pay", demolition_due="2022-10-31")
    irregular(c, "old_house_not_demolished", "异地新建已验收拨款，约定2022-10-31拆旧，至年底未拆")

    # -- the city and county shares never paid: 3,500 of 18,500 withheld
    c = new_case(LP, vil(LP, "102", "208"), "dibao", "rebuild_in_place", D(2022, 3, 18), 3,
                 until="pay", final_amounts={"central_regional": 15000})
    irregular(c, "underpaid", "核定18500元只拨付15000元，市县配套3500元未拨付")

    # -- accepted in July, paid in December
    c = new_case(LG, vil(LG, "101", "202"), "tekun", "rebuild_in_place", D(2022, 3, 7), 1,
                 build_days=60, request_after=127, disburse_after=7)
    irregular(c, "late_payment", "7月下旬验收，11月底才申请、12月初才拨付，滞留四个多月")

    # -- the name and card changed after acceptance, paid to the new card days later
    c = new_case(YS, vil(YS, "103", "202"), "dibao", "rebuild_in_place", D(2022, 3, 29), 2,
                 request_after=9)
    c.o["after_acceptance"] = [
        (2, correction("household.head.name", RNG.choice(SURNAMES) + given_name(),
                       "户主姓名登记错误", YS)),
        (3, correction("household.account", {"bank": "中国农业银行", "kind": "card",
                                             "number": next_card()},
                       "改用新卡领取补助", YS))]
    irregular(c, "payee_changed_after_acceptance",
              "验收后更改户主姓名和一卡通账号，随即拨款到新账户（冒名领取）")

    # -- the township approved without visiting the home
    c = new_case(LG, vil(LG, "105", "207"), "dibao", "rebuild_in_place", D(2022, 4, 5), 2,
                 home_visited=False, opinion="根据村委会上报材料审核通过")
    irregular(c, "no_home_visit", "乡镇审核未入户核实")

    # -- a two-storey brick house finished in 2021 graded D
    c = new_case(LP, vil(LP, "101", "201"), "monitoring", "rebuild_in_place", D(2022, 3, 23), 3,
                 house={"structure": "masonry", "year_built": 2021, "storeys": 2,
                        "floor_area_m2": "126", "evidence": [sha("already-built", "before")]})
    irregular(c, "already_built", "申请时住房为2021年新建两层砖混房，仍鉴定为D级申报改造")

    # -- a 2013 reinforced-concrete house graded D
    c = new_case(YS, vil(YS, "102", "201"), "dibao_marginal", "rebuild_in_place", D(2022, 4, 13), 4,
                 house={"structure": "reinforced_concrete", "year_built": 2013, "storeys": 3,
                        "floor_area_m2": "180", "evidence": [sha("rc", "before")]})
    irregular(c, "grade_inflated", "2013年建三层钢筋混凝土房被鉴定为D级危房")

    # -- 兜底 paid by household size: a couple lists three people of a neighbouring household
    vcode = vil(LG, "103", "201")
    f = family(LG, vcode, 2, head_year=1950)
    neighbours = family(LG, vcode, 5, head_year=1962)
    f.members += [(neighbours.members[1][0], "子"), (neighbours.members[2][0], "儿媳"),
                  (neighbours.members[3][0], "孙子")]
    put_on_list(neighbours, "dibao_marginal")
    c = new_case(LG, vcode, "dibao", "rebuild_in_place", D(2022, 3, 31), 5, fam=f,
                 list_it=False, means="none", means_basis="老两口无劳动能力，无积蓄")
    put_on_list(Family(LG, vcode, f.head, f.members[:1], f.household_no, "", {}, ""), "dibao")
    irregular(c, "inflated_household",
              "申报5人户按兜底65㎡全额补助，其中3人户籍在邻户（虚增人口）")

    # -- rebuilt after the 2019 flood with 因灾倒损农房恢复重建 money, now 'small disaster' re-entry
    c = new_case(LP, vil(LP, "104", "201"), "dibao", "rebuild_in_place", D(2022, 4, 6), 2,
                 prior_support=[{"kind": "disaster_reconstruction", "year": 2019}],
                 reentry_reason="small_natural_disaster")
    irregular(c, "repeat_benefit", "2019年已享受因灾倒损农房恢复重建，以小型自然灾害为由再次纳入")


def withdraw_steps(case: Case) -> None:
    """The first application of the withdrawn-and-refiled household: withdrawn after its
    village notice (the household chose another site)."""
    last = date.fromisoformat(case.lines[-1]["occurred_on"])
    case.add("withdraw_case", last + timedelta(days=3), {
        "reason": "农户决定改为异地迁建，撤回原址翻建申请",
        "evidence": [sha(case.ref, "withdraw")]}, vc(case.fam.village), "withdraw")


# ---------------------------------------------------------------------------------------------


def write_csv(path: Path, header: list[str], rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: r.get(k, "") for k in header})


def fillers() -> None:
    """Other people on the departments' lists: the lists cover everyone, not our cases."""
    for county in COUNTIES:
        for t, villages in COUNTIES[county]["townships"].items():
            for vv in villages:
                vcode = village(county, t, vv)
                for _ in range(3):
                    f = family(county, vcode, RNG.choice((1, 2, 3, 4)))
                    kind = RNG.choice(("dibao", "dibao_marginal", "monitoring", "tekun", None))
                    if kind:
                        put_on_list(f, kind)
                    roll = RNG.random()
                    if roll < 0.25:
                        REG["vehicles"].append({
                            "id_number": f.head.id, "vehicle_type": RNG.choice(
                                ("car", "truck", "motorcycle", "agricultural")),
                            "registered_on": date(RNG.randint(2010, 2021), RNG.randint(1, 12),
                                                  RNG.randint(1, 28)).isoformat(),
                            "deregistered_on": "", "division_code": county + "000000"})
                    elif roll < 0.35:
                        REG["companies"].append({
                            "id_number": f.head.id, "role": RNG.choice(
                                ("legal_representative", "shareholder", "owner")),
                            "registered_on": date(RNG.randint(2008, 2021), RNG.randint(1, 12),
                                                  RNG.randint(1, 28)).isoformat(),
                            "deregistered_on": "", "division_code": county + "000000"})
                    elif roll < 0.5:
                        REG["real_estate"].append({
                            "id_number": f.head.id, "use": "residential",
                            "registered_on": date(RNG.randint(2005, 2021), RNG.randint(1, 12),
                                                  RNG.randint(1, 28)).isoformat(),
                            "cancelled_on": "", "floor_area_m2": str(RNG.randint(60, 140)),
                            "division_code": vcode})
                    elif roll < 0.6:
                        REG["public_employees"].append({
                            "id_number": f.head.id, "employer_kind": RNG.choice(
                                ("government", "public_institution")),
                            "from": date(RNG.randint(1995, 2020), 9, 1).isoformat(),
                            "until": "", "division_code": county + "000000"})
    # Officials are on the public payroll (as they are in life).
    for sid, who in STAFF_PEOPLE.items():
        if sid.startswith(("tw-", "ca-", "rr-", "as-", "ap-", "cc-", "ci-", "cj-", "fi-", "cy-",
                           "pv-", "pm-")):
            REG["public_employees"].append({
                "id_number": who.id, "employer_kind": "government",
                "from": date(RNG.randint(2005, 2018), 7, 1).isoformat(), "until": "",
                "division_code": "450300000000"})


HEADERS = {
    "dibao": ["id_number", "division_code", "valid_from", "valid_until", "area"],
    "tekun": ["身份证号", "行政区划代码", "起始日期", "终止日期", "供养方式"],
    "dibao_marginal": ["id_number", "division_code", "valid_from", "valid_until"],
    "monitoring": ["id_number", "division_code", "valid_from", "valid_until", "monitoring_type"],
    "household_registration": ["id_number", "division_code", "household_no", "relationship",
                               "joined_on", "left_on", "deceased_on", "previous_household_no"],
    "vehicles": ["id_number", "vehicle_type", "registered_on", "deregistered_on",
                 "division_code"],
    "companies": ["id_number", "role", "registered_on", "deregistered_on", "division_code"],
    "real_estate": ["id_number", "use", "registered_on", "cancelled_on", "floor_area_m2",
                    "division_code"],
    "public_employees": ["id_number", "employer_kind", "from", "until", "division_code"],
}
CHINESE = {"id_number": "身份证号", "division_code": "行政区划代码", "valid_from": "起始日期",
           "valid_until": "终止日期", "support_mode": "供养方式"}
TEKUN_MODE = {"dispersed": "分散供养", "concentrated": "集中供养"}


def main() -> None:
    build_staff_first()
    scenarios()
    fillers()
    number_cases()
    DATA.mkdir(parents=True, exist_ok=True)

    lines: list[dict[str, Any]] = []
    for case in CASES:
        if case.o.get("after_village_withdraw"):
            build(case)
            withdraw_steps(case)
        else:
            build(case)
        lines.extend(case.lines)
    # Interleave the cases as a county export would: by business date, stable within a case.
    lines.sort(key=lambda line: line["occurred_on"])
    with (DATA / "cases.jsonl").open("w", encoding="utf-8", newline="\n") as fh:
        for line in lines:
            fh.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")

    write_csv(DATA / "staff.csv", ["staff_id", "name", "role", "jurisdiction", "valid_from",
                                   "valid_until", "id_number"], STAFF)
    for kind, header in HEADERS.items():
        rows = REG[kind]
        if kind == "tekun":
            rows = [{"身份证号": r["id_number"], "行政区划代码": r["division_code"],
                     "起始日期": r["valid_from"], "终止日期": r["valid_until"],
                     "供养方式": TEKUN_MODE[r["support_mode"]]} for r in rows]
        write_csv(DATA / f"{kind}.csv", header, rows)
    with (DATA / "expected.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["case_ref", "pattern", "note"])
        for row in sorted((c.ref, pattern, note) for c, pattern, note in EXPECTED):
            w.writerow(row)
    n_irregular = len({c.ref for c, _, _ in EXPECTED})
    print(f"{len(CASES)} cases ({n_irregular} irregular), {len(lines)} commands, "
          f"{len(STAFF)} staff rows; registries: "
          + ", ".join(f"{k} {len(v)}" for k, v in REG.items()))


def build_staff_first() -> None:
    build_staff()


if __name__ == "__main__":
    main()
