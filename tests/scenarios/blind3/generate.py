#!/usr/bin/env python3
"""Blind scenario 3: Guilin 2022 cases in 永福县, 灌阳县, 平乐县 and 恭城瑶族自治县.

Written from the plans (docs/seeds/, above all 004 — the Guilin 2022 plan), the domain
research's audit patterns and the documented input formats only (docs/import-format.md,
docs/registries.md, docs/identity.md, docs/subsidy.md), without the product's detection rules.

Writes, into data/ beside this file:

- staff.csv                the staff directory (docs/identity.md, `renovation users import`)
- cases.jsonl              the command file (docs/import-format.md, `renovation import`)
- <kind>.csv               the nine department registries as of 2022-12-15 (docs/registries.md)
- expected.csv             case_ref,pattern,note — every irregular case, one row each

Deterministic: the same seed gives byte-identical files. Standard library only.

    python tests/scenarios/blind3/generate.py
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parent / "data"
SEED = 20221215_3
PROGRAMME = "guilin-2022"
AS_OF = date(2022, 12, 15)
STAFF_FROM = "2022-01-01"
MANAGER = "pm3-4503"

rng = random.Random(SEED)

# ---------------------------------------------------------------------------------------------
# Divisions (invented townships and villages under four real county codes)

COUNTIES: dict[str, tuple[str, dict[str, tuple[str, dict[str, str]]]]] = {
    "450326": ("永福县", {
        "101": ("永福镇", {"201": "崇山村", "202": "凤山村", "203": "城北村"}),
        "104": ("罗锦镇", {"201": "罗锦村", "202": "下村村", "203": "山北村"}),
    }),
    "450327": ("灌阳县", {
        "102": ("新圩乡", {"201": "新圩村", "202": "小龙村", "203": "合力村"}),
        "105": ("水车乡", {"201": "水车村", "202": "夏云村", "203": "德里村"}),
    }),
    "450330": ("平乐县", {
        "101": ("平乐镇", {"201": "长滩村", "202": "榕津村", "203": "沙江村"}),
        "106": ("沙子镇", {"201": "沙子村", "202": "古檀村", "203": "保安村"}),
    }),
    "450332": ("恭城瑶族自治县", {
        "101": ("恭城镇", {"201": "社山村", "202": "黄岭村", "203": "乐湾村"}),
        "104": ("莲花镇", {"201": "门等村", "202": "红岩村", "203": "势江村"}),
    }),
}
TOWN_COMMUNITY = {"450326": "450326101001", "450327": "450327102001",
                  "450330": "450330101001", "450332": "450332101001"}  # 县城社区 (urban flats)


def villages(county: str) -> list[str]:
    return [f"{county}{t}{v}" for t, (_, vs) in COUNTIES[county][1].items() for v in vs]


def county_of(code: str) -> str:
    return code[:6] + "000000"


def village_name(village: str) -> str:
    c = COUNTIES[village[:6]]
    t = c[1][village[6:9]]
    return c[0] + t[0] + t[1][village[9:]]


# ---------------------------------------------------------------------------------------------
# Personal data: names, GB 11643 ID numbers, Luhn card numbers, phones

SURNAMES = ["黄", "莫", "蒋", "唐", "李", "陈", "周", "廖", "秦", "赵", "邓", "何", "文", "盘",
            "奉", "龙", "欧阳", "钟", "谢", "梁", "蒙", "全", "毛", "阳", "刘", "胡", "曾", "覃"]
MALE = ["建华", "国荣", "志强", "永福", "德明", "桂生", "光明", "有才", "金保", "春生", "顺发",
        "家旺", "福贵", "天保", "石生", "远山", "荣华", "成林", "玉林", "海清", "长寿", "新民",
        "红军", "爱国", "卫东", "振兴", "水生", "木生", "文才", "庆丰"]
FEMALE = ["秀英", "桂芳", "玉兰", "美凤", "翠莲", "春梅", "月娥", "小红", "丽华", "金花", "凤英",
          "桂英", "玉梅", "冬梅", "秋菊", "满妹", "三妹", "彩云", "海燕", "巧玲", "艳萍", "桂香"]

USED_IDS: set[str] = set()
USED_ACCOUNTS: set[str] = set()
USED_PHONES: set[str] = set()
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def check_digit(body: str) -> str:
    return "10X98765432"[sum(int(c) * w for c, w in zip(body, W, strict=True)) % 11]


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str
    birth: date
    male: bool


def person(region: str, year: int, male: bool, surname: str | None = None,
           month_day: tuple[int, int] | None = None) -> Person:
    if month_day:
        birth = date(year, *month_day)
    else:
        birth = date(year, 1, 1) + timedelta(days=rng.randrange(0, 364))
    while True:
        seq = rng.randrange(1, 998)
        seq = seq - seq % 2 + (1 if male else 0)
        body = f"{region}{birth:%Y%m%d}{seq:03d}"
        number = body + check_digit(body)
        if number not in USED_IDS:
            USED_IDS.add(number)
            break
    name = (surname or rng.choice(SURNAMES)) + rng.choice(MALE if male else FEMALE)
    return Person(name, number, birth, male)


def luhn_complete(body: str) -> str:
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


BANKS = [("中国农业银行", "622848"), ("中国邮政储蓄银行", "621799"),
         ("广西农村信用社", "623525"), ("桂林银行", "621456")]


def account(kind: str = "card") -> dict[str, str]:
    bank, prefix = rng.choice(BANKS)
    while True:
        number = luhn_complete(prefix + "".join(rng.choice("0123456789") for _ in range(12)))
        if number not in USED_ACCOUNTS:
            USED_ACCOUNTS.add(number)
            return {"bank": bank, "kind": kind, "number": number}


def phone() -> str:
    while True:
        number = rng.choice(["13", "15", "18", "17"]) + rng.choice("3456789") + "".join(
            rng.choice("0123456789") for _ in range(8))
        if number not in USED_PHONES:
            USED_PHONES.add(number)
            return number


def evidence(*parts: object) -> str:
    return hashlib.sha256("blind3/".join(str(p) for p in parts).encode()).hexdigest()


# ---------------------------------------------------------------------------------------------
# Staff directory

@dataclass
class Staff:
    staff_id: str
    name: str
    role: str
    jurisdiction: str
    person: Person


STAFF: list[Staff] = []
STAFF_BY_ID: dict[str, Staff] = {}


def add_staff(staff_id: str, role: str, jurisdiction: str, who: Person) -> Staff:
    s = Staff(staff_id, who.name, role, jurisdiction, who)
    STAFF.append(s)
    STAFF_BY_ID[staff_id] = s
    return s


def build_staff() -> None:
    city = "450300000000"
    add_staff(MANAGER, "programme_manager", city, person("450302", 1978, True))
    add_staff("sj-4503", "city_inspector", city, person("450305", 1981, False))
    add_staff("zz-45", "provincial_inspector", "450000000000", person("450103", 1976, True))
    for county in COUNTIES:
        cc = county + "000000"
        for prefix, role in [("mz", "civil_affairs_officer"),
                             ("xc", "rural_revitalization_officer"),
                             ("jd", "assessor"), ("sp", "county_officer"),
                             ("bf", "county_officer"), ("ys1", "county_inspector"),
                             ("ys2", "county_inspector"), ("cz", "finance_officer")]:
            add_staff(f"{prefix}-{county}", role, cc,
                      person(county, rng.randrange(1968, 1992), rng.random() < 0.6))
        for t in COUNTIES[county][1]:
            tc = f"{county}{t}000"
            add_staff(f"xz-{county}{t}", "township_officer", tc,
                      person(county, rng.randrange(1970, 1990), rng.random() < 0.7))
        for v in villages(county):
            add_staff(f"vk-{v}", "village_clerk", v,
                      person(county, rng.randrange(1962, 1985), rng.random() < 0.75))


def clerk(v: str) -> str:
    return f"vk-{v}"


def tw(v: str) -> str:
    return f"xz-{v[:9]}"


# ---------------------------------------------------------------------------------------------
# Registries (rows collected while cases are built)

REG: dict[str, list[dict[str, str]]] = {k: [] for k in [
    "dibao", "tekun", "dibao_marginal", "monitoring", "household_registration", "vehicles",
    "companies", "real_estate", "public_employees"]}
REG_COLUMNS = {
    "dibao": ["id_number", "姓名", "division_code", "valid_from", "valid_until", "area"],
    "tekun": ["id_number", "姓名", "division_code", "valid_from", "valid_until", "support_mode"],
    "dibao_marginal": ["id_number", "姓名", "division_code", "valid_from", "valid_until"],
    "monitoring": ["id_number", "姓名", "division_code", "valid_from", "valid_until",
                   "monitoring_type"],
    "household_registration": ["id_number", "姓名", "division_code", "household_no",
                               "relationship", "joined_on", "left_on", "deceased_on",
                               "previous_household_no"],
    "vehicles": ["id_number", "vehicle_type", "registered_on", "deregistered_on",
                 "division_code"],
    "companies": ["id_number", "role", "registered_on", "deregistered_on", "division_code"],
    "real_estate": ["id_number", "use", "registered_on", "cancelled_on", "floor_area_m2",
                    "division_code"],
    "public_employees": ["id_number", "employer_kind", "from", "until", "division_code"],
}
HH_SEQ: dict[str, int] = {}


def d(x: date | None) -> str:
    return x.isoformat() if x else ""


def new_household_no(division: str) -> str:
    HH_SEQ[division] = HH_SEQ.get(division, 0) + 1
    return f"{division[:9]}{division[9:]}{HH_SEQ[division]:03d}"


def reg(kind: str, who: Person, **cols: object) -> None:
    row = {"id_number": who.id_number, "姓名": who.name}
    for k, v in cols.items():
        row[k] = d(v) if isinstance(v, date) else ("" if v is None else str(v))
    REG[kind].append(row)


def joined(p: Person, established: date) -> date:
    return max(p.birth, established)


def register_household(division: str, head: Person, members: list[tuple[Person, str]],
                       established: date | None = None, previous: str | None = None,
                       household_no: str | None = None,
                       extra: list[tuple[Person, str, dict[str, object]]] = ()) -> str:
    """户籍 rows for a household: the head and members as they stand in the 户口簿."""
    no = household_no or new_household_no(division)
    est = established or max(head.birth + timedelta(days=365 * 20), date(1984, 6, 1))
    reg("household_registration", head, division_code=division, household_no=no,
        relationship="户主", joined_on=joined(head, est), previous_household_no=previous)
    for p, rel in members:
        reg("household_registration", p, division_code=division, household_no=no,
            relationship=rel, joined_on=joined(p, est))
    for p, rel, cols in extra:
        row = {"division_code": division, "household_no": no, "relationship": rel,
               "joined_on": joined(p, est)}
        row.update(cols)
        reg("household_registration", p, **row)
    return no


# ---------------------------------------------------------------------------------------------
# Households

REL_SPOUSE = "配偶"


def family(region: str, size: int, head_year: int | None = None, head_male: bool = True,
           surname: str | None = None) -> tuple[Person, list[tuple[Person, str]]]:
    """A plausible household of `size` people: head, spouse, children, grandchildren."""
    sn = surname or rng.choice(SURNAMES)
    hy = head_year or rng.randrange(1945, 1980)
    head = person(region, hy, head_male, sn)
    members: list[tuple[Person, str]] = []
    left = size - 1
    if left and hy < 1962 and size == 2 and rng.random() < 0.3:
        # widow(er) raising a grandchild
        grandchild = person(region, rng.randrange(2008, 2016), rng.random() < 0.5, sn)
        members.append((grandchild, "孙子女"))
        return head, members
    if left:
        members.append((person(region, hy + rng.randrange(-3, 4), not head_male), REL_SPOUSE))
        left -= 1
    child_year = hy + rng.randrange(22, 30)
    children = []
    grandchildren_from = max(hy + 46, 2000)
    while left and (len(children) < 3 or grandchildren_from > 2018):
        male = rng.random() < 0.55
        c = person(region, min(child_year, 2018), male, sn if head_male else None)
        children.append(c)
        members.append((c, "子" if male else "女"))
        child_year += rng.randrange(2, 5)
        left -= 1
    while left:
        members.append((person(region, rng.randrange(grandchildren_from, 2019),
                               rng.random() < 0.5, sn), "孙子女"))
        left -= 1
    return head, members


# ---------------------------------------------------------------------------------------------
# Cases

DEPT = {"monitoring": "rural_revitalization", "severe_hardship": "rural_revitalization",
        "other_lifted": "rural_revitalization", "dibao": "civil_affairs",
        "tekun": "civil_affairs", "dibao_marginal": "civil_affairs",
        "urban_dibao_rural_hukou": "civil_affairs"}
STANDARD = {"civil_affairs": {"central_regional": 15000, "city": 1500, "county": 2000},
            "rural_revitalization": {"central_regional": 26500, "city": 1500, "county": 2000}}


def min_area(size: int) -> int:
    return {1: 20, 2: 30, 3: 40}.get(size, 13 * size)


def subsidy(dept: str, size: int, means: str | None, mode: str) -> dict[str, int]:
    split = dict(STANDARD[dept])
    if means == "none" and mode in ("rebuild_in_place", "relocate"):
        full = min_area(size) * 1200
        total = sum(split.values())
        if full > total:
            split["county"] += full - total
    return split


@dataclass
class Case:
    ref: str
    village: str
    head: Person
    members: list[tuple[Person, str]]
    category: str
    kind: str                      # clean | near | irregular
    pattern: str = ""
    note: str = ""
    mode: str = "rebuild_in_place"
    structure: str = "earth"
    year_built: int = 1985
    storeys: int = 1
    floor_area: str = "60.00"
    grade: str | None = "D"       # None: no house (record_no_house)
    method: str = "overall_danger"
    means: str | None = None
    construction: str = "self_build"
    payee: dict[str, str] | None = None
    built_area: str = ""
    size: int = 0
    phone: str = ""
    account: dict[str, str] | None = None
    channel: str = "household"
    on_behalf_reason: str | None = None
    prior_support: list[dict[str, object]] = field(default_factory=list)
    reentry_reason: str | None = None
    d0: date = date(2022, 3, 10)
    start: date | None = None
    dates: dict[str, date] = field(default_factory=dict)
    until: str = "closed"          # closed | paid | accepted | approved | rejected | withdrawn
    province: bool = False
    steps: list[dict[str, object]] = field(default_factory=list)
    mutate: list[Callable[[Case], None]] = field(default_factory=list)

    @property
    def county(self) -> str:
        return self.village[:6]

    @property
    def dept(self) -> str:
        return DEPT[self.category]


CASES: list[Case] = []
COUNTER: dict[str, int] = {}


def next_ref(county: str) -> str:
    COUNTER[county] = COUNTER.get(county, 0) + 1
    return f"{county}-2022-{COUNTER[county]:04d}"


def gap(lo: int, hi: int) -> timedelta:
    return timedelta(days=rng.randint(lo, hi))


def month_end(x: date) -> date:
    return date(x.year, x.month, 30) if x.month != 2 else date(x.year, 2, 28)


def actor(staff_id: str) -> dict[str, str]:
    s = STAFF_BY_ID[staff_id]
    return {"id": s.staff_id, "role": s.role, "jurisdiction": s.jurisdiction}


def build_steps(c: Case) -> None:
    """The documented procedure, step by step, with dates (c.dates overrides any step)."""
    v, county = c.village, c.county
    cc = county
    steps: list[dict[str, object]] = []
    when = {"t": c.d0}

    def at(name: str, default: date) -> date:
        x = c.dates.get(name, default)
        when["t"] = x
        return x

    def add(name: str, typ: str, who: str, on: date, payload: dict[str, object]) -> None:
        steps.append({"step": name, "type": typ, "actor": who, "occurred_on": on,
                      "payload": payload})

    size = c.size or 1 + len(c.members)
    c.size = size
    house_ev = [evidence(c.ref, "house-before")]
    household: dict[str, object] = {
        "head": {"name": c.head.name, "id_number": c.head.id_number},
        "members": [{"name": p.name, "id_number": p.id_number, "relationship": r}
                    for p, r in c.members],
        "size": size,
        "phone": c.phone,
        "account": c.account,
        "group": f"第{rng.randint(1, 9)}村民小组",
    }
    house: dict[str, object] = {"structure": c.structure, "year_built": c.year_built,
                                "storeys": c.storeys, "evidence": house_ev}
    if c.grade is not None:
        house["floor_area_m2"] = c.floor_area
    payload: dict[str, object] = {
        "programme_id": PROGRAMME, "village_code": v, "household": household,
        "category": c.category, "planned_mode": c.mode, "house": house}
    if c.channel != "household":
        payload["channel"] = c.channel
        payload["on_behalf_reason"] = c.on_behalf_reason
    if c.prior_support:
        payload["prior_support"] = c.prior_support
    if c.reentry_reason:
        payload["reentry_reason"] = c.reentry_reason
    add("apply", "submit_application", clerk(v), at("apply", c.d0), payload)

    certifier = f"mz-{cc}" if c.dept == "civil_affairs" else f"xc-{cc}"
    add("certify", "certify_category", certifier, at("certify", when["t"] + gap(3, 7)),
        {"department": c.dept,
         "certificate_no": f"RD-{cc}-2022-{c.ref[-4:]}"})
    if c.grade is not None:
        add("grade", "grade_house", f"jd-{cc}", at("grade", when["t"] + gap(3, 8)),
            {"grade": c.grade, "method": c.method,
             "assessor": {"name": f"{COUNTIES[cc][0]}住建局鉴定组",
                          "organisation": f"{COUNTIES[cc][0]}住房和城乡建设局",
                          "qualification": f"JD-{cc}"},
             "report_no": f"JD-{cc}-2022-{c.ref[-4:]}",
             "evidence": [evidence(c.ref, "grading")]})
    else:
        add("grade", "record_no_house", tw(v), at("grade", when["t"] + gap(3, 8)),
            {"basis": "原住房已倒塌拆除，经入户核实无其他住房，现借住亲属家",
             "evidence": [evidence(c.ref, "no-house")]})
    eligible = rng.randint(28, 45)
    attended = eligible - rng.randint(0, eligible // 4)
    against = rng.randint(0, 2)
    abst = rng.randint(0, 1)
    add("review", "hold_democratic_review", clerk(v), at("review", when["t"] + gap(4, 9)),
        {"votes": {"meeting_type": "representatives_meeting", "eligible": eligible,
                   "attended": attended, "votes_for": attended - against - abst,
                   "votes_against": against, "abstentions": abst},
         "minutes": [evidence(c.ref, "minutes")]})
    vpost = at("vnotice", when["t"] + gap(1, 2))
    add("vnotice", "post_notice", clerk(v), vpost,
        {"level": "village", "notice_no": f"GS-V-{c.ref}", "location": "村务公开栏",
         "planned_days": 7})
    add("vclose", "close_notice", clerk(v), at("vclose", vpost + timedelta(days=7)),
        {"level": "village"})
    add("twreview", "review_at_township", tw(v), at("twreview", when["t"] + gap(1, 3)),
        {"decision": "approved", "home_visited": True, "opinion": "经入户核实，符合改造条件",
         "evidence": [evidence(c.ref, "home-visit")]})
    if c.until == "rejected":
        add("reject", "reject_case", tw(v), at("reject", when["t"] + gap(0, 0)),
            {"level": "township", "reason": "入户核实发现家庭拥有小型汽车，不符合补助条件"})
        steps[-2]["payload"] = {"decision": "returned", "home_visited": True,
                                "opinion": "需进一步核实家庭财产"}
        c.steps = steps
        return
    if c.means:
        basis = {"none": "户主年老体弱，无劳动能力，无存款，亲属无力资助",
                 "weak": "家庭收入低，仅能投工投劳，无力筹措建房资金",
                 "ordinary": "家中有劳动力外出务工，可筹措部分资金"}[c.means]
        add("means", "assess_means", tw(v), at("means", when["t"] + gap(1, 2)),
            {"self_funding": c.means, "basis": basis,
             "evidence": [evidence(c.ref, "means")]})
    tpost = at("tnotice", when["t"] + gap(1, 2))
    add("tnotice", "post_notice", tw(v), tpost,
        {"level": "township", "notice_no": f"GS-T-{c.ref}", "location": "乡镇政务公开栏",
         "planned_days": 7})
    add("tclose", "close_notice", tw(v), at("tclose", tpost + timedelta(days=7)),
        {"level": "township"})
    if c.until == "withdrawn":
        add("withdraw", "withdraw_case", tw(v), at("withdraw", when["t"] + gap(2, 5)),
            {"reason": "户主随子女进城居住，自愿放弃本年度改造"})
        c.steps = steps
        return
    add("approve", "grant_county_approval", f"sp-{cc}", at("approve", when["t"] + gap(1, 3)),
        {})
    cpost = at("cnotice", when["t"] + gap(1, 2))
    add("cnotice", "post_notice", f"bf-{cc}", cpost,
        {"level": "county", "notice_no": f"GS-C-{c.ref}", "location": "县政府门户网站及村务公开栏",
         "planned_days": 5})
    add("cclose", "close_notice", f"bf-{cc}", at("cclose", cpost + timedelta(days=5)),
        {"level": "county"})
    if c.until == "approved":
        c.steps = steps
        return
    agreed = at("agree", when["t"] + gap(2, 6))
    agreement: dict[str, object] = {
        "agreement_no": f"XY-{c.ref}", "renovation_mode": c.mode,
        "construction_mode": c.construction, "deadline": "2022-10-31",
        "seismic_requirements": "按6度设防，设置圈梁和构造柱，屋面整体性连接"}
    if c.payee:
        agreement["payee"] = c.payee
    if c.mode in ("rebuild_in_place", "relocate") and c.grade is not None:
        agreement["demolition_due"] = "2022-11-30"
    add("agree", "sign_agreement", tw(v), agreed, agreement)
    start = c.dates.get("start") or c.start or max(
        agreed + gap(8, 20), date(2022, 6, 20) + gap(0, 35))
    if c.mode == "rebuild_in_place" and c.grade is not None:
        add("demolish", "record_demolition", tw(v),
            at("demolish", max(agreed + timedelta(days=1), start - gap(3, 7))),
            {"evidence": [evidence(c.ref, "demolition")]})
    add("start", "start_construction", tw(v), at("start", start),
        {"builder": {"name": rng.choice(["本村建筑工匠", "乡村建设工匠队", "县农房建设工匠"]),
                     "licence": f"GJ-{cc}-{rng.randint(100, 999)}"},
         "evidence": [evidence(c.ref, "start")]})
    add("progress", "report_progress", tw(v), at("progress", when["t"] + gap(20, 30)),
        {"milestone": "主体结构完成" if c.mode != "reinforce" else "墙体加固完成",
         "percent_complete": 60, "evidence": [evidence(c.ref, "progress")]})
    done = at("complete", when["t"] + gap(25, 50))
    built = c.built_area or c.floor_area
    add("complete", "complete_construction", tw(v), done,
        {"built_area_m2": built,
         "structure": "masonry" if c.mode != "reinforce" else c.structure,
         "evidence": [evidence(c.ref, "completed")]})
    accepted = when["t"] + gap(4, 12)
    if accepted.day > 20:  # keep ordinary cases clear of the 25th: accepted early next month
        accepted = date(accepted.year, accepted.month % 12 + 1, 1) + gap(0, 4)
    accepted = at("accept", accepted)
    add("accept", "record_county_acceptance", f"ys1-{cc}", accepted,
        {"result": {"passed": True, "measured_area_m2": built,
                    "safety_rating": "A" if c.mode != "reinforce" else "B",
                    "household_agrees": True,
                    "team": [{"id": f"ys1-{cc}", "role": "county_inspector"},
                             {"id": f"ys2-{cc}", "role": "county_inspector"}],
                    "evidence": [evidence(c.ref, "acceptance")]}})
    if c.province:
        add("province", "record_provincial_acceptance", "zz-45",
            at("province", when["t"] + gap(0, 1)),
            {"passed": True, "findings": ["档案资料齐全，房屋主体安全"],
             "evidence": [evidence(c.ref, "province")]})
    if c.until == "accepted":
        c.steps = steps
        return
    # payment: submitted to finance by the 25th, paid by the 30th of the month (§四(八))
    base = accepted
    if base.day <= 20:
        rq_default = base + gap(1, min(5, 25 - base.day))
    else:
        nxt = date(base.year + (base.month == 12), base.month % 12 + 1, 1)
        rq_default = nxt + gap(5, 15)
    rq = at("request", max(rq_default, when["t"]))
    full = subsidy(c.dept, c.size, c.means, c.mode)
    channel = "builder_account" if c.construction != "self_build" else "one_card"
    add("request", "request_payment", f"bf-{cc}", rq,
        {"request_no": f"BF-{c.ref}-2", "tranche": "final", "amounts": {"by_source": full},
         "channel": channel})
    add("pay", "disburse_payment", f"cz-{cc}",
        at("pay", min(rq + gap(2, 5), month_end(rq))),
        {"request_no": f"BF-{c.ref}-2", "voucher_no": f"PZ-{c.ref}-2"})
    if c.until == "paid":
        c.steps = steps
        return
    if c.mode == "relocate":  # 建新拆旧: the old house comes down once the new one is lived in
        add("demolish", "record_demolition", tw(v), at("demolish", when["t"] + gap(1, 3)),
            {"evidence": [evidence(c.ref, "demolition")]})
    add("close", "close_case", f"bf-{cc}", at("close", when["t"] + gap(1, 4)), {})
    c.steps = steps


def step(c: Case, name: str) -> dict[str, object]:
    for s in c.steps:
        if s["step"] == name:
            return s
    raise KeyError((c.ref, name))


def drop(c: Case, *names: str) -> None:
    c.steps = [s for s in c.steps if s["step"] not in names]


# ---------------------------------------------------------------------------------------------
# Scenario

def mk(county: str, vi: int, category: str, kind: str = "clean", size: int | None = None,
       head_year: int | None = None, head_male: bool = True,
       household: tuple[Person, list[tuple[Person, str]]] | None = None,
       **kw: object) -> Case:
    v = villages(county)[vi]
    if household:
        head, members = household
        size = size or 1 + len(members)
    else:
        if size is None:
            size = rng.choice([1, 2, 2, 3, 3, 4, 5]) if category != "tekun" else 1
        head, members = family(county, size, head_year, head_male)
    c = Case(ref="", village=v, head=head, members=members, category=category,
             kind=kind, phone=phone(), account=account(), **kw)  # type: ignore[arg-type]
    c.d0 = kw.get("d0") or date(2022, 3, 1) + gap(0, 60)  # type: ignore[assignment]
    hi = {1: 40, 2: 55, 3: 60}.get(size, 16 * size)  # within the 40–60 band, 18 m² a person
    if not c.built_area and c.mode in ("rebuild_in_place", "relocate"):
        whole = rng.randint(min_area(size) + 2, hi)
        c.built_area = f"{whole}.{rng.choice(['00', '50', '20', '80'])}"
    if c.floor_area == "60.00":
        c.floor_area = f"{rng.randint(min_area(size) + 3, hi)}.{rng.choice(['00', '50'])}"
    CASES.append(c)
    return c


def registers_in_category(c: Case, since: date | None = None, until: date | None = None,
                          **extra: object) -> None:
    """The household as the certifying department's registry lists it."""
    since = since or date(rng.randint(2017, 2021), rng.randint(1, 12), 1)
    people = [c.head] + [p for p, _ in c.members]
    if c.category in ("dibao", "urban_dibao_rural_hukou"):
        area = "urban" if c.category == "urban_dibao_rural_hukou" else "rural"
        area = str(extra.get("area", area))
        for p in people:
            reg("dibao", p, division_code=c.village, valid_from=since, valid_until=until,
                area=area)
    elif c.category == "tekun":
        reg("tekun", c.head, division_code=c.village, valid_from=since, valid_until=until,
            support_mode=extra.get("support_mode", "dispersed"))
    elif c.category == "dibao_marginal":
        for p in people:
            reg("dibao_marginal", p, division_code=c.village, valid_from=since,
                valid_until=until)
    elif c.category in ("monitoring", "severe_hardship"):
        mt = "sudden_hardship" if c.category == "severe_hardship" else rng.choice(
            ["unstable_lifted", "marginal"])
        for p in people:
            reg("monitoring", p, division_code=c.village, valid_from=since, valid_until=until,
                monitoring_type=mt)
    # other_lifted (其他脱贫户): no registry kind lists 脱贫户


def registers_household(c: Case, **kw: object) -> str:
    return register_household(c.village, c.head, c.members, **kw)  # type: ignore[arg-type]


def plain(county: str, vi: int, category: str, **kw: object) -> Case:
    """A clean case: registries agree with the application."""
    c = mk(county, vi, category, **kw)
    registers_in_category(c)
    registers_household(c)
    return c


def build_cases() -> None:  # one scenario, read top to bottom
    # 永福县, 灌阳县, 平乐县, 恭城瑶族自治县
    yf, gy, pl, gc = "450326", "450327", "450330", "450332"

    # ---- clean, ordinary cases --------------------------------------------------------------
    plain(yf, 0, "dibao", structure="earth", year_built=1978, grade="D")
    plain(yf, 1, "tekun", structure="wood", year_built=1972, grade="D", means="none")
    plain(yf, 2, "monitoring", structure="brick_wood", year_built=1988, grade="C",
          mode="reinforce")
    plain(yf, 3, "dibao_marginal", structure="earth", year_built=1982, grade="D")
    plain(yf, 4, "severe_hardship", structure="earth", year_built=1980, grade="D",
          province=True)
    plain(yf, 5, "dibao", structure="brick_wood", year_built=1990, grade="C", mode="reinforce")
    plain(gy, 0, "tekun", structure="earth", year_built=1968, grade="D")
    plain(gy, 1, "monitoring", structure="earth", year_built=1979, grade="D", means="weak")
    plain(gy, 2, "dibao", structure="wood", year_built=1975, grade="D", mode="relocate")
    plain(gy, 3, "severe_hardship", structure="brick_wood", year_built=1986, grade="C",
          mode="reinforce")
    plain(gy, 4, "dibao_marginal", structure="earth", year_built=1983, grade="D")
    plain(gy, 5, "dibao", structure="earth", year_built=1981, grade="D", means="ordinary")
    plain(pl, 0, "monitoring", structure="earth", year_built=1977, grade="D")
    plain(pl, 1, "dibao", structure="earth", year_built=1984, grade="D", province=True)
    plain(pl, 2, "tekun", structure="brick_wood", year_built=1985, grade="C", mode="reinforce")
    plain(pl, 3, "dibao_marginal", structure="wood", year_built=1970, grade="D")
    plain(pl, 4, "monitoring", structure="earth", year_built=1976, grade="D", mode="relocate")
    plain(gc, 0, "dibao", structure="earth", year_built=1980, grade="D")
    plain(gc, 1, "severe_hardship", structure="earth", year_built=1974, grade="D")
    plain(gc, 2, "tekun", structure="wood", year_built=1966, grade="D")
    plain(gc, 3, "dibao_marginal", structure="brick_wood", year_built=1989, grade="C",
          mode="reinforce")
    plain(gc, 4, "monitoring", structure="earth", year_built=1983, grade="D", means="weak")
    plain(gc, 5, "dibao", structure="earth", year_built=1979, grade="D")
    plain(pl, 5, "dibao", structure="earth", year_built=1979, grade=None)  # 无房户

    # ---- near misses: look suspicious, legitimate under the plan ---------------------------
    def near(county: str, vi: int, category: str, pattern: str, note: str, **kw: object) -> Case:
        return mk(county, vi, category, kind="near", pattern=pattern, note=note, **kw)

    # household split long ago from parents who own a car
    c = near(yf, 1, "dibao", "household_split_long_ago",
             "户主2006年即已分户，车辆登记在父母户名下，与本户无关", head_year=1978,
             structure="earth", year_built=1983)
    registers_in_category(c)
    father = person(yf, 1952, True, surname(c.head))
    mother = person(yf, 1954, False)
    parents = register_household(c.village, father, [(mother, "配偶")],
                                 established=date(1975, 3, 1),
                                 extra=[(c.head, "子", {"left_on": date(2006, 4, 10)})])
    registers_household(c, established=date(2006, 4, 10), previous=parents)
    reg("vehicles", father, vehicle_type="小型汽车", registered_on=date(2018, 5, 20),
        division_code=county_of(c.village))

    # a car deregistered (scrapped) two years before the application
    c = near(gy, 1, "monitoring", "vehicle_deregistered_before",
             "户主名下旧面包车已于2020年报废注销，申请时无车辆", structure="earth",
             year_built=1980)
    registers_in_category(c)
    registers_household(c)
    reg("vehicles", c.head, vehicle_type="car", registered_on=date(2011, 9, 2),
        deregistered_on=date(2020, 8, 14), division_code=county_of(c.village))

    # the son is a village clerk of another township, moved out long ago, no role in the case
    other = villages(pl)[4]
    son = STAFF_BY_ID[clerk(other)].person
    head = person(pl, son.birth.year - 27, True, surname(son))
    wife = person(pl, son.birth.year - 25, False)
    c = near(pl, 1, "dibao_marginal", "official_relative_other_village",
             "户主之子为邻乡另一村村干部，早已分户迁出，未经办本案任何环节",
             household=(head, [(wife, REL_SPOUSE)]), structure="earth", year_built=1979)
    registers_in_category(c)
    hh = registers_household(c, established=date(1978, 1, 1),
                             extra=[(son, "子", {"left_on": date(2010, 3, 18)})])
    register_household(other, son, [], established=date(2010, 3, 18), previous=hh)
    REGISTERED_STAFF.add(clerk(other))

    # paid 32 days after acceptance: accepted after the 25th, so next month's cycle
    c = near(gc, 1, "dibao", "payment_next_month_cycle",
             "8月27日验收已过当月25日报送截止，9月报财政、9月28日拨付，符合每月25日报送30日前拨付",
             structure="earth", year_built=1981,
             dates={"start": date(2022, 6, 24), "progress": date(2022, 7, 20),
                    "complete": date(2022, 8, 19), "accept": date(2022, 8, 27),
                    "request": date(2022, 9, 16), "pay": date(2022, 9, 28),
                    "close": date(2022, 9, 30)})
    registers_in_category(c)
    registers_household(c)

    # re-entry after a small natural disaster, permitted by seed 004 §三(一)
    c = near(yf, 2, "monitoring", "reentry_small_disaster_permitted",
             "2012年曾获危改补助，2022年6月洪灾致房屋再次成为危房，属方案允许再次纳入",
             structure="masonry", year_built=2012, floor_area="72.00",
             prior_support=[{"kind": "dilapidated_renovation", "year": 2012}],
             reentry_reason="small_natural_disaster", d0=date(2022, 6, 20),
             dates={"certify": date(2022, 6, 22), "grade": date(2022, 6, 24),
                    "review": date(2022, 6, 28), "vnotice": date(2022, 6, 29),
                    "vclose": date(2022, 7, 6), "twreview": date(2022, 7, 7),
                    "tnotice": date(2022, 7, 8), "tclose": date(2022, 7, 15),
                    "approve": date(2022, 7, 18), "cnotice": date(2022, 7, 19),
                    "cclose": date(2022, 7, 24), "agree": date(2022, 7, 27),
                    "demolish": date(2022, 8, 1), "start": date(2022, 8, 3),
                    "progress": date(2022, 8, 30), "complete": date(2022, 10, 12),
                    "accept": date(2022, 10, 19)})
    registers_in_category(c)
    registers_household(c)

    # a six-person household building 105 m² (17.5 m² a person)
    c = near(gy, 2, "dibao_marginal", "large_house_within_limit",
             "6人户建房105平方米，人均17.5平方米，未超人均18平方米", size=6, head_year=1958,
             structure="earth", year_built=1976, built_area="105.00")
    registers_in_category(c)
    registers_household(c)

    # rural hukou on urban 低保: counts as rural 低保 (seed 004 §三(一))
    c = near(pl, 2, "urban_dibao_rural_hukou", "urban_dibao_rural_hukou",
             "农村户籍人口享受城市低保，方案规定视为农村低保户", structure="wood",
             year_built=1972)
    for p in [c.head] + [m for m, _ in c.members]:
        reg("dibao", p, division_code=TOWN_COMMUNITY[pl], valid_from=date(2020, 7, 1),
            area="城市")
    registers_household(c)

    # left 低保 in September, after the county approval
    c = near(gc, 2, "dibao", "dibao_ended_after_approval",
             "县级审批时仍为低保户，9月底因子女就业退出低保，不影响已批准的补助",
             structure="earth", year_built=1984)
    registers_in_category(c, since=date(2019, 1, 1), until=date(2022, 9, 30))
    registers_household(c)

    # the registered rural house is the dilapidated house itself
    c = near(yf, 3, "dibao", "registered_house_is_the_renovated_one",
             "不动产登记的住宅即本次改造的唯一农房（同村、面积一致）", structure="earth",
             year_built=1986, floor_area="64.00")
    registers_in_category(c)
    registers_household(c)
    reg("real_estate", c.head, use="住宅", registered_on=date(2019, 11, 5),
        floor_area_m2="64.00", division_code=c.village)

    # a daughter taught as a 代课教师 until 2020
    hh = family(gy, 4, 1962)
    c = near(gy, 3, "monitoring", "public_employment_ended",
             "家庭成员曾为事业单位代课教师，2020年已离职，申请时非财政供养人员",
             household=hh, structure="brick_wood", year_built=1987)
    registers_in_category(c)
    registers_household(c)
    reg("public_employees", hh[1][-1][0], employer_kind="事业单位", **{
        "from": date(2015, 9, 1), "until": date(2020, 7, 31),
        "division_code": county_of(c.village)})

    # a motorcycle and a three-wheeler for farm work
    c = near(pl, 3, "dibao", "farm_vehicles_only", "仅有摩托车和农用三轮车，非小汽车",
             structure="earth", year_built=1980)
    registers_in_category(c)
    registers_household(c)
    reg("vehicles", c.head, vehicle_type="摩托车", registered_on=date(2019, 4, 3),
        division_code=county_of(c.village))
    reg("vehicles", c.head, vehicle_type="三轮汽车", registered_on=date(2017, 10, 9),
        division_code=county_of(c.village))

    # the wife died after the acceptance; paid to the head, who lives in the new house
    head = person(gc, 1944, True)
    wife = person(gc, 1946, False)
    c = near(gc, 3, "dibao", "member_died_after_acceptance",
             "配偶在验收后、拨付前去世，户主健在并入住，补助拨付至户主本人一卡通",
             household=(head, [(wife, REL_SPOUSE)]), structure="earth", year_built=1970,
             dates={"start": date(2022, 7, 4), "progress": date(2022, 7, 30),
                    "complete": date(2022, 9, 2), "accept": date(2022, 9, 9),
                    "request": date(2022, 9, 19), "pay": date(2022, 9, 27),
                    "close": date(2022, 9, 29)})
    registers_in_category(c)
    registers_household(c, extra=[])
    REG["household_registration"][-1]["deceased_on"] = "2022-09-14"

    # three households reviewed at one village meeting: one set of minutes
    meeting = date(2022, 4, 8)
    for i in range(3):
        c = near(yf, 4, ["dibao", "tekun", "monitoring"][i], "one_meeting_several_households",
                 "同村同一次村民代表会议评议多户，会议记录相同属正常", structure="earth",
                 year_built=1975 + i * 3, d0=date(2022, 3, 14) + timedelta(days=i * 2),
                 dates={"review": meeting})
        c.mutate.append(lambda c: step(c, "review")["payload"].__setitem__(
            "minutes", [evidence(c.village, "meeting", "2022-04-08")]))
        registers_in_category(c)
        registers_household(c)

    # filed by the village committee for an old man with dementia (seed 004 §四(一))
    c = near(gy, 4, "tekun", "filed_on_behalf_incapacitated",
             "户主失智，由村委会代为提出申请，方案允许", head_year=1936,
             channel="village_committee_on_behalf",
             on_behalf_reason="户主年逾八旬，患阿尔茨海默病（失智），无法自行提出申请",
             structure="earth", year_built=1965)
    registers_in_category(c)
    registers_household(c)

    # unified build paid to the village committee under an agreement (seed 004 §三(三))
    c = near(pl, 4, "tekun", "unified_build_paid_to_village_committee",
             "统建并签订协议，补助直接拨付村委会账户，方案允许", structure="earth",
             year_built=1969, construction="unified_build")
    c.payee = {"name": village_name(c.village) + "村民委员会", "bank": "广西农村信用社",
               "kind": "passbook", "account": account("passbook")["number"]}
    registers_in_category(c)
    registers_household(c)

    # 兜底: 5 people without means, 65 m² × 1,200 = 78,000 yuan
    c = near(gc, 4, "dibao", "full_cost_support",
             "无自筹能力5人户按最低面积65平方米×1200元兜底，补助7.8万元符合方案", size=5,
             head_year=1960, means="none", structure="earth", year_built=1973,
             built_area="66.00")
    registers_in_category(c)
    registers_household(c)

    # returned by the township once, reviewed and noticed again, then approved
    c = near(yf, 5, "dibao_marginal", "returned_then_approved",
             "乡镇首次审核退回补充材料，重新评议公示后审核通过", structure="wood",
             year_built=1977)
    c.mutate.append(returned_once)
    registers_in_category(c)
    registers_household(c)

    # a 13-year-old brick house graded C after a landslide, reinforced
    c = near(gy, 5, "severe_hardship", "young_house_graded_c",
             "2009年砖混房因山体滑坡开裂鉴定为C级，加固改造，非新房冒充危房",
             structure="masonry", year_built=2009, grade="C", mode="reinforce",
             floor_area="58.00", size=4)
    registers_in_category(c)
    registers_household(c)

    # owns a car, caught: returned and rejected by the township
    c = near(pl, 5, "monitoring", "ineligible_but_rejected",
             "户主有小汽车，乡镇审核已不予通过，程序发挥作用", until="rejected",
             structure="earth", year_built=1985)
    registers_in_category(c)
    registers_household(c)
    reg("vehicles", c.head, vehicle_type="car", registered_on=date(2020, 12, 1),
        division_code=county_of(c.village))

    # a flat in town, the case withdrawn before approval
    c = near(gc, 5, "dibao", "ineligible_but_withdrawn",
             "子女为其在县城购房，申请已在审批前撤回，未获补助", until="withdrawn",
             head_year=1950, structure="earth", year_built=1978)
    registers_in_category(c)
    registers_household(c)
    reg("real_estate", c.head, use="住宅", registered_on=date(2022, 5, 16),
        floor_area_m2="89.30", division_code=TOWN_COMMUNITY[gc])

    # ---- irregular ----------------------------------------------------------------------------
    def bad(county: str, vi: int, category: str, pattern: str, note: str, **kw: object) -> Case:
        return mk(county, vi, category, kind="irregular", pattern=pattern, note=note, **kw)

    c = bad(yf, 0, "dibao", "category_not_in_registry",
            "以农村低保户认定并获补助，但民政低保名单中查无此户", structure="earth",
            year_built=1982)
    registers_household(c)

    c = bad(gy, 0, "dibao", "category_ended_before_application",
            "低保已于2021年9月退出，申请时已非低保户，仍按低保户认定补助", structure="earth",
            year_built=1979)
    registers_in_category(c, since=date(2018, 3, 1), until=date(2021, 9, 30))
    registers_household(c)

    c = bad(pl, 0, "tekun", "tekun_concentrated_support",
            "特困人员在敬老院集中供养，不属分散供养特困人员，且已有安全住所", head_year=1940,
            structure="earth", year_built=1968)
    registers_in_category(c, since=date(2020, 5, 1), support_mode="集中供养")
    registers_household(c)

    c = bad(gc, 0, "monitoring", "category_inflated_for_higher_subsidy",
            "民政低保户（户均1.85万元）被认定为监测对象按3万元补助，监测名单无此户",
            structure="earth", year_built=1980)
    c.category = "dibao"
    registers_in_category(c)
    c.category = "monitoring"
    registers_household(c)

    c = bad(gy, 1, "monitoring", "car_owner", "户主名下有2021年登记的小型汽车",
            structure="earth", year_built=1983)
    registers_in_category(c)
    registers_household(c)
    reg("vehicles", c.head, vehicle_type="小型载客汽车", registered_on=date(2021, 5, 12),
        division_code=county_of(c.village))

    hh = family(pl, 4, 1958)
    sons = [p for p, r in hh[1] if r == "子"] or [hh[1][-1][0]]
    c = bad(pl, 1, "dibao_marginal", "member_company_legal_representative",
            "家庭成员（儿子）为存续企业法定代表人", household=hh, structure="earth",
            year_built=1978)
    registers_in_category(c)
    registers_household(c)
    reg("companies", sons[0], role="法定代表人", registered_on=date(2019, 3, 15),
        division_code=county_of(c.village))

    c = bad(gc, 1, "dibao", "other_house_in_town", "户主在县城另有住宅，危房非唯一住房",
            structure="earth", year_built=1981)
    registers_in_category(c)
    registers_household(c)
    reg("real_estate", c.head, use="住宅", registered_on=date(2019, 8, 20),
        floor_area_m2="98.60", division_code=TOWN_COMMUNITY[gc])

    c = bad(yf, 2, "monitoring", "no_house_claim_but_owns_house",
            "认定为无房户，但不动产登记其在邻村有两层住宅", grade=None)
    registers_in_category(c)
    registers_household(c)
    reg("real_estate", c.head, use="住宅", registered_on=date(2016, 10, 10),
        floor_area_m2="126.00", division_code=villages(yf)[1])

    hh = family(gy, 3, 1968)
    c = bad(gy, 2, "other_lifted", "public_employee_in_household",
            "配偶为在职事业单位人员（财政供养）", household=hh, structure="brick_wood",
            year_built=1985)
    registers_household(c)
    reg("public_employees", hh[1][0][0], employer_kind="事业单位", **{
        "from": date(2009, 9, 1), "division_code": county_of(c.village)})

    head = person(pl, 1956, True)
    wife = person(pl, 1957, False)
    son = person(pl, 1984, True, surname(head))
    c = bad(pl, 2, "dibao", "hidden_member_owns_car",
            "申请隐瞒同户籍儿子，该子名下有小型汽车", household=(head, [(wife, REL_SPOUSE)]),
            structure="earth", year_built=1977)
    registers_in_category(c)
    registers_household(c, extra=[(son, "子", {})])
    reg("vehicles", son, vehicle_type="car", registered_on=date(2020, 6, 30),
        division_code=county_of(c.village))

    c = bad(gc, 2, "dibao", "deceased_head_before_application",
            "户主2021年11月已死亡，2022年仍以其名义申请并领取补助", size=1, head_year=1938,
            structure="earth", year_built=1966)
    registers_in_category(c, since=date(2016, 1, 1), until=date(2021, 11, 30))
    registers_household(c)
    REG["household_registration"][-1]["deceased_on"] = "2021-11-05"

    c = bad(yf, 3, "tekun", "deceased_before_acceptance_paid",
            "特困户主8月施工期间死亡，9月验收仍记“农户同意”，补助拨入死者账户并销档",
            head_year=1937, structure="wood", year_built=1962,
            dates={"start": date(2022, 7, 5), "progress": date(2022, 7, 30),
                   "complete": date(2022, 9, 20), "accept": date(2022, 9, 28)})
    registers_in_category(c, since=date(2018, 1, 1), until=date(2022, 8, 20))
    registers_household(c)
    REG["household_registration"][-1]["deceased_on"] = "2022-08-20"

    head = person(gy, 1962, True)
    wife = person(gy, 1964, False)
    kid = person(gy, 2008, False, surname(head))
    mum = person(gy, 1934, False)
    c = bad(gy, 3, "dibao", "deceased_member_counted",
            "已于2020年死亡的母亲仍计入家庭人口，抬高兜底面积和补助",
            household=(head, [(wife, REL_SPOUSE), (kid, "女"), (mum, "母亲")]), means="none",
            structure="earth", year_built=1975, built_area="53.00")
    c.members, listed = c.members[:3], c.members  # the registries know the living three
    registers_in_category(c)
    registers_household(c, extra=[(mum, "母亲", {"deceased_on": date(2020, 6, 11)})])
    c.members = listed

    head = person(pl, 1966, True)
    wife = person(pl, 1968, False)
    ghosts = [person(pl, y, m, surname(head)) for y, m in [(1990, True), (1993, False),
                                                           (1996, True)]]
    c = bad(pl, 3, "dibao", "ghost_members_inflate_size",
            "申报的3名子女户籍分属他村他户，虚增家庭人口抬高兜底补助",
            household=(head, [(wife, REL_SPOUSE)] + [(g, "子" if g.male else "女")
                                                    for g in ghosts]),
            means="none", structure="earth", year_built=1976, built_area="66.00")
    c.members, listed = c.members[:1], c.members  # the registries know the couple only
    registers_in_category(c)
    registers_household(c)
    c.members = listed
    for g, vi in zip(ghosts, (0, 4, 5), strict=True):
        other_head, other_members = family(pl, 2, 1960)
        register_household(villages(pl)[vi], other_head, other_members,
                           extra=[(g, "其他", {"joined_on": date(2015, 3, 1)})])

    # split from wealthy parents two months before applying as a household without a house
    father = person(gc, 1962, True)
    mother = person(gc, 1964, False)
    appl = person(gc, 1990, True, surname(father))
    c = bad(gc, 3, "monitoring", "recent_split_to_qualify",
            "申请前两个月才从父母户分出单独立户，父母户有两层住宅和小汽车，拆户申请无房户补助",
            household=(appl, []), grade=None, d0=date(2022, 3, 21))
    parents = register_household(c.village, father, [(mother, REL_SPOUSE)],
                                 established=date(1986, 2, 1),
                                 extra=[(appl, "子", {"left_on": date(2022, 1, 18)})])
    registers_household(c, established=date(2022, 1, 18), previous=parents)
    reg("monitoring", appl, division_code=c.village, valid_from=date(2022, 2, 10),
        monitoring_type="marginal")
    reg("real_estate", father, use="住宅", registered_on=date(2015, 7, 1),
        floor_area_m2="182.00", division_code=c.village)
    reg("vehicles", father, vehicle_type="car", registered_on=date(2019, 3, 9),
        division_code=county_of(c.village))

    # the village clerk's son, in the clerk's 户口簿; the clerk filed and chaired the review
    v = villages(yf)[4]
    ck = STAFF_BY_ID[clerk(v)].person
    son = person(yf, min(ck.birth.year + 25, 2001), True, surname(ck))
    dil = person(yf, son.birth.year + 1, False)
    gk = person(yf, 2020, True, surname(ck))
    c = bad(yf, 4, "dibao_marginal", "village_clerk_relative",
            "申请人与经办村干部同一户口簿（村干部之子），村干部经办申请并主持评议，未回避",
            household=(son, [(dil, REL_SPOUSE), (gk, "子")]), structure="brick_wood",
            year_built=1986)
    registers_in_category(c)
    register_household(v, ck, [], established=date(1985, 1, 1),
                       extra=[(son, "子", {}), (dil, "儿媳", {}), (gk, "孙子", {})])
    REGISTERED_STAFF.add(clerk(v))
    clerk_son_case = c

    # the township reviewer is a member of the applicant's registered household
    v = villages(gy)[4]
    officer = STAFF_BY_ID[tw(v)].person
    head = person(gy, officer.birth.year - 26, True, surname(officer))
    wife = person(gy, officer.birth.year - 24, False)
    c = bad(gy, 4, "monitoring", "township_reviewer_in_household",
            "乡镇审核人员为申请户同户籍儿子，申请未列入，本人审核通过，未回避",
            household=(head, [(wife, REL_SPOUSE)]), structure="earth", year_built=1978)
    registers_in_category(c)
    registers_household(c, extra=[(officer, "子", {})])
    REGISTERED_STAFF.add(tw(v))

    # husband and wife of one 户口簿 file two cases
    husband = person(pl, 1955, True)
    wife = person(pl, 1957, False)
    grandchild = person(pl, 2011, False, surname(husband))
    a = bad(pl, 4, "dibao", "one_household_two_cases",
            "夫妻同一户籍拆成两户分别申请，同一家庭重复享受两份补助",
            household=(husband, []), structure="earth", year_built=1972)
    b = bad(pl, 4, "dibao", "one_household_two_cases",
            "夫妻同一户籍拆成两户分别申请，同一家庭重复享受两份补助",
            household=(wife, [(grandchild, "孙女")]), structure="earth", year_built=1972,
            floor_area="48.00")
    register_household(a.village, husband, [(wife, "妻"), (grandchild, "孙女")])
    for p in (husband, wife, grandchild):
        reg("dibao", p, division_code=a.village, valid_from=date(2019, 4, 1), area="rural")

    # the same son on his father's application and heading his own
    father = person(gc, 1950, True)
    mother = person(gc, 1952, False)
    son = person(gc, 1978, True, surname(father))
    sw = person(gc, 1980, False)
    a = bad(gc, 4, "dibao", "person_in_two_cases",
            "儿子已分户另行申请，又被列入父亲户申请，同一人重复计入两户",
            household=(father, [(mother, REL_SPOUSE), (son, "子")]), structure="earth",
            year_built=1970)
    b = bad(gc, 5, "dibao", "person_in_two_cases",
            "户主本人同时被列入其父亲户的申请，同一人重复计入两户",
            household=(son, [(sw, REL_SPOUSE)]), structure="earth", year_built=1988)
    parents = register_household(a.village, father, [(mother, REL_SPOUSE)],
                                 established=date(1972, 1, 1),
                                 extra=[(son, "子", {"left_on": date(2015, 5, 6)})])
    register_household(b.village, son, [(sw, REL_SPOUSE)], established=date(2015, 5, 6),
                       previous=parents)
    for p in (father, mother, son, sw):
        reg("dibao", p, division_code=a.village if p in (father, mother) else b.village,
            valid_from=date(2019, 6, 1), area="rural")

    c = bad(gc, 5, "other_lifted", "new_concrete_house_graded_d",
            "2016年建两层钢筋混凝土房（150平方米）被鉴定为D级危房并拆除重建，等级虚高",
            structure="reinforced_concrete", year_built=2016, storeys=2, floor_area="150.00")
    registers_household(c)

    c = bad(gy, 0, "dibao", "over_area", "2人户建房128平方米，远超面积标准",
            size=2, structure="earth", year_built=1974, built_area="128.00")
    registers_in_category(c)
    registers_household(c)

    c = bad(pl, 0, "dibao_marginal", "area_corrected_after_acceptance",
            "验收实测132平方米超标，验收后以“数据更正”改为58平方米掩盖超面积", size=3,
            structure="earth", year_built=1978, built_area="132.00")
    c.mutate.append(lambda c: insert_after(c, "accept", {
        "step": "correct-area", "type": "correct_data", "actor": tw(c.village),
        "occurred_on": step(c, "accept")["occurred_on"] + timedelta(days=2),
        "payload": {"field": "built_area_m2", "new": "58.00", "reason": "面积录入有误",
                    "approved_by": {"id": f"sp-{c.county}", "role": "county_officer"}}}))
    registers_in_category(c)
    registers_household(c)

    c = bad(gc, 0, "dibao", "relocated_old_house_not_demolished",
            "异地新建已验收拨款，拆旧期限11月30日已过，旧房未拆除", mode="relocate",
            structure="earth", year_built=1975, until="paid")
    registers_in_category(c)
    registers_household(c)

    c = bad(yf, 1, "dibao", "subsidy_skimmed",
            "核定1.85万元，只拨付1.55万元，3000元被截留", structure="earth",
            year_built=1980, until="paid")
    c.mutate.append(lambda c: step(c, "request")["payload"]["amounts"]["by_source"].__setitem__(
        "central_regional", 12000))
    registers_in_category(c)
    registers_household(c)

    c = bad(gy, 1, "monitoring", "payment_delayed",
            "7月18日验收合格，10月26日才拨付，超过当月30日前拨付的要求", structure="earth",
            year_built=1979,
            dates={"agree": date(2022, 5, 20), "start": date(2022, 5, 28),
                   "progress": date(2022, 6, 20), "complete": date(2022, 7, 10),
                   "accept": date(2022, 7, 18), "request": date(2022, 7, 22),
                   "pay": date(2022, 10, 26), "close": date(2022, 10, 28)},
            d0=date(2022, 3, 2))
    registers_in_category(c)
    registers_household(c)

    c = bad(pl, 1, "dibao", "accepted_never_paid",
            "9月验收合格，至年底仍未拨付补助资金（资金滞留）", structure="earth",
            year_built=1982, until="accepted")
    registers_in_category(c)
    registers_household(c)

    # the clerk of 恭城镇社山村: a personal card used as a builder's payee and an account change
    v = villages(gc)[0]
    ck = STAFF_BY_ID[clerk(v)]
    clerk_card = account("card")
    c = bad(gc, 0, "dibao", "payee_is_village_cadre",
            "代建协议收款人为本村村干部个人银行卡，而非乡镇、村委会或施工单位",
            structure="earth", year_built=1977, construction="commissioned_build")
    c.payee = {"name": ck.name, "bank": clerk_card["bank"], "kind": "card",
               "account": clerk_card["number"]}
    registers_in_category(c)
    registers_household(c)
    c = bad(gc, 0, "monitoring", "account_changed_to_cadre_card",
            "验收后将一卡通账号“更正”为本村村干部个人卡并拨付，补助被转走", structure="earth",
            year_built=1983)
    c.mutate.append(lambda c: insert_after(c, "accept", {
        "step": "correct-account", "type": "correct_data", "actor": tw(c.village),
        "occurred_on": step(c, "accept")["occurred_on"] + timedelta(days=1),
        "payload": {"field": "household.account", "new": dict(clerk_card),
                    "reason": "原账户挂失，更换账户",
                    "approved_by": {"id": f"sp-{c.county}", "role": "county_officer"}}}))
    registers_in_category(c)
    registers_household(c)

    shared = account("passbook")
    for _ in range(2):
        c = bad(yf, 2, "dibao", "shared_account_two_households",
                "两户不同家庭登记同一个一卡通存折账号，资金流向同一账户", structure="earth",
                year_built=1979)
        c.account = dict(shared)
        registers_in_category(c)
        registers_household(c)

    c = bad(gy, 2, "dibao", "payment_requested_and_paid_by_one_person",
            "拨付申请（住建）与财政拨付由同一人（两个账号、同一身份证号）完成",
            structure="earth", year_built=1976)
    c.mutate.append(lambda c: (step(c, "request").__setitem__("actor", f"bf2-{c.county}"),
                               step(c, "pay").__setitem__("actor", f"cz2-{c.county}")))
    registers_in_category(c)
    registers_household(c)

    c = bad(pl, 2, "dibao_marginal", "after_photo_is_before_photo",
            "竣工验收照片与申请时旧房照片为同一文件，未见实际改造", structure="earth",
            year_built=1980)
    c.mutate.append(lambda c: step(c, "accept")["payload"]["result"].__setitem__(
        "evidence", [evidence(c.ref, "house-before")]))
    registers_in_category(c)
    registers_household(c)

    c = bad(gc, 1, "dibao", "demolition_photo_is_before_photo",
            "拆旧凭证照片即申请时旧房照片（房屋仍在），拆旧不实", structure="earth",
            year_built=1978)
    c.mutate.append(lambda c: step(c, "demolish")["payload"].__setitem__(
        "evidence", [evidence(c.ref, "house-before")]))
    registers_in_category(c)
    registers_household(c)

    pair = []
    for vi in (2, 3):  # 永福镇城北村, 罗锦镇罗锦村
        c = bad(yf, vi, "dibao", "acceptance_photo_shared",
                "两户不同乡镇的竣工验收照片为同一文件，验收资料套用", structure="earth",
                year_built=1981)
        registers_in_category(c)
        registers_household(c)
        pair.append(c)
    shared_photo = evidence("blind3-shared-acceptance-photo")
    for c in pair:
        c.mutate.append(lambda c: step(c, "accept")["payload"]["result"].__setitem__(
            "evidence", [shared_photo]))

    c = bad(gy, 3, "dibao_marginal", "township_review_without_home_visit",
            "乡镇审核未入户核实即审核通过", structure="earth", year_built=1982)
    c.mutate.append(lambda c: step(c, "twreview")["payload"].update(
        {"home_visited": False, "opinion": "材料齐全，同意上报", "evidence": []}))
    registers_in_category(c)
    registers_household(c)

    c = bad(pl, 3, "monitoring", "filed_on_behalf_without_incapacity",
            "42岁户主外出务工，由村委会代为申请，不属方案规定的失能失智情形",
            head_year=1980, channel="village_committee_on_behalf",
            on_behalf_reason="户主长期在外务工，由村委会代为申请", structure="earth",
            year_built=1984)
    registers_in_category(c)
    registers_household(c)

    c = bad(gc, 3, "dibao", "review_minutes_copied_from_other_county",
            "民主评议会议记录与永福县另一村的会议记录为同一文件，评议造假", structure="earth",
            year_built=1980)
    c.mutate.append(lambda c: step(c, "review")["payload"].__setitem__(
        "minutes", [evidence(clerk_son_case.ref, "minutes")]))
    registers_in_category(c)
    registers_household(c)

    c = bad(yf, 4, "monitoring", "rebuild_completed_in_days",
            "原址拆除重建从开工到竣工仅6天、验收仅8天，不可能完成", structure="earth",
            year_built=1978,
            dates={"agree": date(2022, 6, 8), "demolish": date(2022, 6, 9),
                   "start": date(2022, 6, 10), "progress": date(2022, 6, 13),
                   "complete": date(2022, 6, 16), "accept": date(2022, 6, 18)},
            d0=date(2022, 3, 3))
    registers_in_category(c)
    registers_household(c)

    c = bad(pl, 4, "dibao", "paid_after_failed_provincial_check",
            "自治区核验不合格（圈梁缺失）后仍拨付补助", structure="earth",
            year_built=1979, province=True, until="paid")
    c.mutate.append(lambda c: step(c, "province")["payload"].update(
        {"passed": False, "findings": ["主体结构未设置圈梁构造柱，不满足抗震要求"]}))
    registers_in_category(c)
    registers_household(c)

    c = bad(gc, 4, "dibao", "acceptance_team_one_person",
            "验收组两名成员为同一人（两个账号、同一身份证号），实际一人验收", structure="earth",
            year_built=1976)
    c.mutate.append(lambda c: step(c, "accept")["payload"]["result"].__setitem__(
        "team", [{"id": f"ys1-{c.county}", "role": "county_inspector"},
                 {"id": f"ys3-{c.county}", "role": "county_inspector"}]))
    registers_in_category(c)
    registers_household(c)



def surname(p: Person) -> str:
    return p.name[:2] if p.name[:2] in SURNAMES else p.name[0]


def insert_after(c: Case, name: str, new: dict[str, object]) -> None:
    i = next(i for i, s in enumerate(c.steps) if s["step"] == name)
    c.steps.insert(i + 1, new)
    for s in c.steps[i + 2:]:  # nothing after it may be dated before it
        s["occurred_on"] = max(s["occurred_on"], new["occurred_on"])


def returned_once(c: Case) -> None:
    """Township returns the case; the village reviews and notices it again."""
    i = next(i for i, s in enumerate(c.steps) if s["step"] == "twreview")
    first = c.steps[i]
    first["payload"] = {"decision": "returned", "home_visited": True,
                        "opinion": "危房鉴定照片不清晰，退回补充材料"}
    t = first["occurred_on"]
    v = c.village
    again = [
        {"step": "review2", "type": "hold_democratic_review", "actor": clerk(v),
         "occurred_on": t + timedelta(days=5),
         "payload": {"votes": {"meeting_type": "villagers_meeting", "eligible": 120,
                               "attended": 82, "votes_for": 78, "votes_against": 2,
                               "abstentions": 2},
                     "minutes": [evidence(c.ref, "minutes-2")]}},
        {"step": "vnotice2", "type": "post_notice", "actor": clerk(v),
         "occurred_on": t + timedelta(days=6),
         "payload": {"level": "village", "notice_no": f"GS-V2-{c.ref}", "location": "村务公开栏",
                     "planned_days": 7}},
        {"step": "vclose2", "type": "close_notice", "actor": clerk(v),
         "occurred_on": t + timedelta(days=13), "payload": {"level": "village"}},
        {"step": "twreview2", "type": "review_at_township", "actor": tw(v),
         "occurred_on": t + timedelta(days=15),
         "payload": {"decision": "approved", "home_visited": True,
                     "opinion": "补充材料后复核，符合条件",
                     "evidence": [evidence(c.ref, "home-visit-2")]}},
    ]
    shift = timedelta(days=16)
    for s in c.steps[i + 1:]:
        s["occurred_on"] = s["occurred_on"] + shift
    c.steps[i + 1:i + 1] = again


REGISTERED_STAFF: set[str] = set()


# ---------------------------------------------------------------------------------------------
# Background rows: the departments' lists hold many people who are not in any case

def background() -> None:
    for county in COUNTIES:
        vs = villages(county)
        for _ in range(6):
            v = rng.choice(vs)
            head, members = family(county, rng.choice([1, 2, 3, 4]))
            register_household(v, head, members)
            kind = rng.choice(["dibao", "dibao_marginal", "monitoring", "none", "none"])
            for p in [head] + [m for m, _ in members]:
                if kind == "dibao":
                    reg("dibao", p, division_code=v, valid_from=date(2020, 1, 1), area="rural")
                elif kind == "dibao_marginal":
                    reg("dibao_marginal", p, division_code=v, valid_from=date(2021, 7, 1))
                elif kind == "monitoring":
                    reg("monitoring", p, division_code=v, valid_from=date(2021, 4, 1),
                        monitoring_type="marginal")
        for _ in range(3):
            p = person(county, rng.randrange(1940, 1960), rng.random() < 0.5)
            reg("tekun", p, division_code=rng.choice(vs), valid_from=date(2019, 3, 1),
                support_mode=rng.choice(["dispersed", "concentrated"]))
        for _ in range(5):
            p = person(county, rng.randrange(1965, 2000), rng.random() < 0.7)
            reg("vehicles", p, vehicle_type=rng.choice(["car", "truck", "motorcycle"]),
                registered_on=date(rng.randint(2012, 2022), rng.randint(1, 11), 3),
                division_code=county + "000000")
        for _ in range(3):
            p = person(county, rng.randrange(1965, 1995), rng.random() < 0.7)
            reg("companies", p, role=rng.choice(["legal_representative", "owner", "shareholder"]),
                registered_on=date(rng.randint(2010, 2021), rng.randint(1, 12), 8),
                division_code=county + "000000")
        for _ in range(4):
            p = person(county, rng.randrange(1960, 1995), rng.random() < 0.5)
            reg("real_estate", p, use=rng.choice(["residential", "commercial"]),
                registered_on=date(rng.randint(2008, 2022), rng.randint(1, 11), 15),
                floor_area_m2=f"{rng.randint(60, 140)}.{rng.randint(0, 99):02d}",
                division_code=TOWN_COMMUNITY[county])
    # officials on the public payroll (village clerks are not), and their households
    people: set[str] = set()
    for s in STAFF:
        if s.person.id_number in people:  # a second account of one person
            continue
        people.add(s.person.id_number)
        if s.role != "village_clerk":
            div = s.jurisdiction[:6] + "000000" if s.jurisdiction[6:] != "000000" else (
                s.jurisdiction)
            reg("public_employees", s.person, employer_kind="机关", **{
                "from": date(max(s.person.birth.year + 22, 2000), 9, 1), "division_code": div})
        if s.staff_id in REGISTERED_STAFF or s.staff_id in {"sj-4503", "zz-45", MANAGER}:
            continue
        REGISTERED_STAFF.add(s.staff_id)
        place = s.jurisdiction if s.role == "village_clerk" else TOWN_COMMUNITY[s.jurisdiction[:6]]
        spouse = person(s.jurisdiction[:6], s.person.birth.year + rng.randint(-3, 3),
                        not s.person.male)
        register_household(place, s.person, [(spouse, REL_SPOUSE)])


# ---------------------------------------------------------------------------------------------
# Writing

def write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    for r in rows:
        w.writerow({k: r.get(k, "") for k in header})
    path.write_text(buf.getvalue(), encoding="utf-8")


def main() -> None:
    build_staff()
    # second accounts of one person (same ID number): a collusion pattern, not a new person
    for county, (acc, role, of) in {"450327": ("bf2", "county_officer", "cz"),
                                    "450332": ("ys3", "county_inspector", "ys1")}.items():
        orig = STAFF_BY_ID[f"{of}-{county}"]
        add_staff(f"{acc}-{county}", role, county + "000000", orig.person)
        if acc == "bf2":
            add_staff(f"cz2-{county}", "finance_officer", county + "000000", orig.person)
    build_cases()
    background()
    # case references in an order that says nothing about the case
    for county in COUNTIES:
        mine = [c for c in CASES if c.county == county]
        rng.shuffle(mine)
        for c in mine:
            c.ref = next_ref(county)
    for c in CASES:
        build_steps(c)
        for m in c.mutate:
            m(c)

    OUT.mkdir(parents=True, exist_ok=True)
    seen_staff: set[str] = set()
    staff_rows = []
    for s in STAFF:
        if s.staff_id in seen_staff:
            continue
        seen_staff.add(s.staff_id)
        staff_rows.append({"staff_id": s.staff_id, "name": s.name, "role": s.role,
                           "jurisdiction": s.jurisdiction, "valid_from": STAFF_FROM,
                           "valid_until": "", "id_number": s.person.id_number})
    write_csv(OUT / "staff.csv", ["staff_id", "name", "role", "jurisdiction", "valid_from",
                                  "valid_until", "id_number"], staff_rows)

    lines = []
    for ci, c in enumerate(CASES):
        for si, s in enumerate(c.steps):
            cmd = {"command_id": f"{c.ref}/{si + 1:02d}-{s['step']}", "type": s["type"],
                   "case_ref": c.ref, "actor": actor(str(s["actor"])),
                   "occurred_on": s["occurred_on"].isoformat(),  # type: ignore[union-attr]
                   "payload": s["payload"]}
            lines.append((s["occurred_on"], ci, si, cmd))
    for c in CASES:  # the procedure's order inside each case must hold for sorting by date
        ds = [s["occurred_on"] for s in c.steps]
        assert ds == sorted(ds), (c.ref, c.pattern, [(s["step"], s["occurred_on"].isoformat())
                                                      for s in c.steps])
        assert max(ds) <= date(2022, 12, 20), c.ref
    lines.sort(key=lambda x: (x[0], x[1], x[2]))
    with (OUT / "cases.jsonl").open("w", encoding="utf-8", newline="\n") as f:
        for *_, cmd in lines:
            f.write(json.dumps(cmd, ensure_ascii=False, separators=(",", ":")) + "\n")

    for kind, rows in REG.items():
        write_csv(OUT / f"{kind}.csv", REG_COLUMNS[kind], rows)

    write_csv(OUT / "expected.csv", ["case_ref", "pattern", "note"],
              [{"case_ref": c.ref, "pattern": c.pattern, "note": c.note}
               for c in CASES if c.kind == "irregular"])
    kinds = {k: sum(c.kind == k for c in CASES) for k in ("clean", "near", "irregular")}
    print(f"{len(CASES)} cases: {kinds['irregular']} irregular, "
          f"{kinds['clean'] + kinds['near']} clean ({kinds['near']} near misses); "
          f"{len(lines)} commands")


if __name__ == "__main__":
    main()
