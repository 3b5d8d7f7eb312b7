"""Blind scenario 4: Guilin 2022 cases of 资源县 (450329) and 龙胜各族自治县 (450328).

Written by a fourth writer who read only the plans (docs/seeds/), the domain research's audit
patterns and the documented input formats — never the product's irregularity rules.

Deterministic, standard library only. Writes data/: staff.csv, cases.jsonl, the nine registry
snapshots (as of 2022-12-15) and expected.csv (one row per irregular case).

    .venv/bin/python tests/scenarios/blind4/generate.py
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
from datetime import date, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parent / "data"
PROGRAMME = "guilin-2022"
AS_OF = date(2022, 12, 15)
RNG = random.Random(20220104)
ORDER = random.Random(450329)

# ---------------------------------------------------------------- identities

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


def id_number(region: str, born: date, seq: int) -> str:
    body = f"{region}{born:%Y%m%d}{seq % 1000:03d}"
    return body + CHECK[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11]


def luhn(prefix: str, length: int = 19) -> str:
    body = prefix + "".join(str(RNG.randrange(10)) for _ in range(length - len(prefix) - 1))
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


SURNAMES = "莫蒋唐邓蒙廖石潘粟杨龙吴侯韦黄李秦刘罗谢胡盘陆"
GIVEN = "秀桂春生福明兰芳华强军金玉发富贵才英成荣德海平勇丽梅林清云"
_seq = 100
_used_names: set[str] = set()


def person(region: str, year: int) -> tuple[str, str]:
    global _seq
    _seq += 7
    while True:
        name = RNG.choice(SURNAMES) + "".join(RNG.choice(GIVEN) for _ in range(RNG.choice((1, 2))))
        if name not in _used_names:
            _used_names.add(name)
            break
    born = date(year, RNG.randint(1, 12), RNG.randint(1, 28))
    return name, id_number(region, born, _seq)


def phone() -> str:
    return "1" + RNG.choice("3578") + "".join(str(RNG.randrange(10)) for _ in range(9))


def evidence(*parts: object) -> str:
    return hashlib.sha256("blind4/".join(str(p) for p in parts).encode()).hexdigest()


# ---------------------------------------------------------------- areas and staff

COUNTIES = {
    "450329": {"name": "资源县", "township": "450329102",
               "villages": ["450329102203", "450329102205"]},
    "450328": {"name": "龙胜各族自治县", "township": "450328101",
               "villages": ["450328101204", "450328101207"]},
}
BANKS = ["桂林银行", "广西农村信用社", "中国农业银行", "中国邮政储蓄银行"]

STAFF: list[dict[str, str]] = []
STAFF_IDS: dict[str, str] = {}  # staff id -> ID number


def staff(sid: str, role: str, jurisdiction: str, region: str) -> None:
    name, idn = person(region, RNG.randint(1970, 1992))
    STAFF.append({"staff_id": sid, "name": name, "role": role, "jurisdiction": jurisdiction,
                  "valid_from": "2021-01-01", "valid_until": "", "id_number": idn})
    STAFF_IDS[sid] = idn


for county, info in COUNTIES.items():
    cj = county + "000000"
    for village in info["villages"]:
        staff(f"vc-{village}", "village_clerk", village, county)
    staff(f"tw-{info['township']}", "township_officer", info["township"] + "000", county)
    for prefix, role in [("ca", "civil_affairs_officer"), ("rr", "rural_revitalization_officer"),
                         ("as", "assessor"), ("ap", "county_officer"), ("cc", "county_officer"),
                         ("ci", "county_inspector"), ("cj", "county_inspector"),
                         ("fi", "finance_officer")]:
        staff(f"{prefix}-{county}", role, cj, county)
staff("cy-4503", "city_inspector", "450300000000", "450302")
staff("pm-4503", "programme_manager", "450300000000", "450302")
staff("pv-45", "provincial_inspector", "450000000000", "450103")

# ---------------------------------------------------------------- registries

REG: dict[str, list[dict[str, str]]] = {k: [] for k in (
    "dibao", "tekun", "dibao_marginal", "monitoring", "household_registration", "vehicles",
    "companies", "real_estate", "public_employees")}
HEADERS = {
    "dibao": ["id_number", "division_code", "valid_from", "valid_until", "area"],
    "tekun": ["id_number", "division_code", "valid_from", "valid_until", "support_mode"],
    "dibao_marginal": ["id_number", "division_code", "valid_from", "valid_until"],
    "monitoring": ["id_number", "division_code", "valid_from", "valid_until", "monitoring_type"],
    "household_registration": ["id_number", "division_code", "household_no", "relationship",
                               "joined_on", "left_on", "deceased_on", "previous_household_no"],
    "vehicles": ["id_number", "vehicle_type", "registered_on", "deregistered_on", "division_code"],
    "companies": ["id_number", "role", "registered_on", "deregistered_on", "division_code"],
    "real_estate": ["id_number", "use", "registered_on", "cancelled_on", "floor_area_m2",
                    "division_code"],
    "public_employees": ["id_number", "employer_kind", "from", "until", "division_code"],
}

DEPARTMENT = {"dibao": "civil_affairs", "tekun": "civil_affairs", "dibao_marginal": "civil_affairs",
              "urban_dibao_rural_hukou": "civil_affairs", "monitoring": "rural_revitalization",
              "severe_hardship": "rural_revitalization", "other_lifted": "rural_revitalization"}
MIN_AREA = {1: 20, 2: 30, 3: 40}


def min_area(size: int) -> int:
    return MIN_AREA.get(size, 13 * size)


# ---------------------------------------------------------------- the cases
# Each spec: ref suffix, county, village index, options. `irregular` = (pattern, note).

SPECS: list[dict] = [
    # ----- clean, ordinary
    {"cat": "dibao", "size": 3},
    {"cat": "monitoring", "size": 4, "mtype": "unstable_lifted"},
    {"cat": "tekun", "size": 1, "mode": "reinforce", "grade": "C", "structure": "brick_wood"},
    {"cat": "dibao_marginal", "size": 2},
    {"cat": "other_lifted", "size": 5, "city_check": True},
    {"cat": "severe_hardship", "size": 3, "mtype": "sudden_hardship"},
    {"cat": "dibao", "size": 2, "mode": "reinforce", "grade": "C", "structure": "wood"},
    {"cat": "monitoring", "size": 3, "mtype": "marginal", "city_check": True},
    {"cat": "dibao", "size": 4},
    {"cat": "monitoring", "size": 2, "mtype": "unstable_lifted"},
    {"cat": "dibao", "size": 3, "province_check": True},
    {"cat": "tekun", "size": 1},
    {"cat": "dibao", "size": 6, "id": "split_parent_old"},
    # ----- clean, near misses
    {"cat": "dibao", "size": 3, "near": "只有摩托车和农用三轮车",
     "vehicles": [("motorcycle", "2018-04-02", ""), ("agricultural", "2016-09-12", "")]},
    {"cat": "monitoring", "size": 4, "mtype": "marginal", "near": "小汽车申请前已注销",
     "vehicles": [("car", "2014-06-01", "2019-05-20")]},
    {"cat": "dibao_marginal", "size": 3, "near": "曾任公司法定代表人，公司2020年已注销",
     "company": ("legal_representative", "2016-03-01", "2020-08-31")},
    {"cat": "dibao", "size": 2, "near": "县城住房2021年已转让注销",
     "estate": ("residential", "2015-05-10", "2021-03-18", "72.5", "450329100001")},
    {"cat": "monitoring", "size": 4, "mtype": "unstable_lifted",
     "near": "成员曾在国企工作，2016年离职",
     "employee": ("state_owned_enterprise", "2010-03-01", "2016-06-30")},
    {"cat": "dibao", "size": 3, "grade": "D", "near": "2011年改造过，2022年小型自然灾害再次成危房",
     "prior": [{"kind": "dilapidated_renovation", "year": 2011}],
     "reentry": "small_natural_disaster"},
    {"cat": "urban_dibao_rural_hukou", "size": 2, "near": "农村户籍享受城市低保，视为农村低保户",
     "dibao_area": "urban"},
    {"cat": "dibao", "size": 3, "near": "低保在批准后才退出", "dibao_until": "2022-09-30"},
    {"cat": "tekun", "size": 1, "means": "none", "near": "无自筹能力兜底，按最低面积全额补助"},
    {"cat": "tekun", "size": 1, "channel": "on_behalf", "near": "失能老人由村委会代为申请"},
    {"cat": "dibao", "size": 4, "built": "52", "near": "4人户建52平方米，恰为最低面积"},
    {"cat": "monitoring", "size": 3, "mtype": "marginal", "correct_phone": True,
     "near": "批准后更正电话号码，另一人审批"},
    {"cat": "dibao", "size": 2, "id": "split_child_old", "split_from": "split_parent_old",
     "split_on": "2009-10-15", "near": "2009年已分户，与原户各自申请"},
    {"cat": "monitoring", "size": 3, "mtype": "unstable_lifted", "mode": "relocate",
     "near": "异地迁建，按期拆除旧房"},
    {"cat": "dibao", "size": 4, "member_died": "2022-11-20",
     "near": "一名成员在验收拨款后病故，户主健在"},
    # ----- irregular
    {"cat": "dibao", "size": 3, "vehicles": [("car", "2021-05-01", "")], "veh_member": True,
     "irregular": ("member_owns_car", "家庭成员名下有2021年登记在用小汽车")},
    {"cat": "monitoring", "size": 4, "mtype": "marginal",
     "company": ("legal_representative", "2019-07-02", ""),
     "irregular": ("head_runs_company", "户主为在营公司法定代表人")},
    {"cat": "dibao", "size": 2, "estate": ("residential", "2020-11-11", "", "89.6", "450329100001"),
     "irregular": ("owns_other_house", "户主在县城另有住宅，非唯一住房")},
    {"cat": "dibao_marginal", "size": 3,
     "employee": ("public_institution", "2015-09-01", ""), "emp_member": True,
     "irregular": ("public_employee_member", "配偶为在职事业单位人员")},
    {"cat": "tekun", "size": 1, "deceased": "2021-11-20",
     "irregular": ("deceased_beneficiary", "户主2021年已死亡，仍以其名义申请并领款")},
    {"cat": "dibao", "size": 6, "id": "split_parent_new",
     "irregular": ("household_split_double_claim", "原户与刚分出的子女户同年各领一份补助")},
    {"cat": "dibao", "size": 2, "id": "split_child_new", "split_from": "split_parent_new",
     "split_on": "2022-02-10",
     "irregular": ("household_split_double_claim", "申请前一个月才分户，拆户重复享受")},
    {"cat": "monitoring", "size": 3, "mtype": "unstable_lifted", "clerk_family": True,
     "irregular": ("official_relative", "村文书本人登记在申请户户籍内，隐瞒未报")},
    {"cat": "dibao", "size": 3, "prior": [{"kind": "dilapidated_renovation", "year": 2017}],
     "irregular": ("repeat_benefit", "2017年已享受危改补助，无再次纳入理由")},
    {"cat": "dibao", "size": 2, "id": "shared_a", "shared_account": True,
     "irregular": ("shared_bank_account", "两户一卡通账号相同，资金入同一账户")},
    {"cat": "dibao_marginal", "size": 3, "id": "shared_b", "shared_account": True,
     "irregular": ("shared_bank_account", "两户一卡通账号相同，资金入同一账户")},
    {"cat": "dibao", "size": 3, "correct_account": True,
     "irregular": ("account_changed_after_approval", "县级审批后把一卡通账号改为他人账户")},
    {"cat": "monitoring", "size": 3, "mtype": "marginal", "payment": "before_acceptance",
     "irregular": ("paid_before_acceptance", "未验收先全额拨付")},
    {"cat": "dibao", "size": 3, "payment": "late", "early": True,
     "irregular": ("payment_delayed", "8月验收，12月中旬才拨付，资金滞留近4个月")},
    {"cat": "dibao", "size": 3, "payment": "underpaid",
     "irregular": ("underpaid_skimmed", "拨付1.55万元，少于核定1.85万元")},
    {"cat": "dibao_marginal", "size": 2, "payment": "builder_account",
     "irregular": ("funds_diverted", "农户自建却把补助拨到施工方账户")},
    {"cat": "dibao", "size": 4, "notice_close_after": 3,
     "irregular": ("notice_closed_early", "村级公示7天，第3天即结束")},
    {"cat": "tekun", "size": 1, "skip_review": True,
     "irregular": ("no_democratic_review", "未经民主评议")},
    {"cat": "dibao", "size": 4, "built": "40",
     "irregular": ("area_below_minimum", "4人户仅建40平方米，低于最低52平方米")},
    {"cat": "monitoring", "size": 3, "mtype": "marginal", "grade": "D",
     "structure": "reinforced_concrete", "year_built": 2016, "floor_area": "126.00",
     "irregular": ("grade_manipulation", "2016年钢筋混凝土房被评为D级危房")},
    {"cat": "dibao", "size": 3, "id": "prebuilt", "fast": True, "built": "96",
     "irregular": ("house_prebuilt", "签协议次日开工、4天竣工96平方米，房屋早已建好")},
    {"cat": "dibao", "size": 3, "reuse_evidence": "prebuilt",
     "irregular": ("reused_photos", "竣工和验收照片与另一户完全相同")},
    {"cat": "dibao", "size": 3, "no_registry": True,
     "irregular": ("category_not_registered", "自称低保户，民政低保名单无此人")},
    {"cat": "dibao", "size": 2, "dibao_until": "2021-06-30",
     "irregular": ("category_expired", "低保已于2021年6月退出，仍按低保户申请")},
    {"cat": "tekun", "size": 1, "tekun_mode": "concentrated",
     "irregular": ("tekun_concentrated", "集中供养特困人员不属改造对象")},
    {"cat": "monitoring", "size": 3, "in_dibao_only": True,
     "irregular": ("category_inflated", "实为低保户，虚报监测对象多领1.15万元")},
    {"cat": "monitoring", "size": 2, "mtype": "marginal", "skip_county_notice": True,
     "irregular": ("no_county_notice", "县级审批结果未公示即签协议施工")},
    {"cat": "dibao", "size": 3, "mode": "relocate", "no_demolition": True,
     "irregular": ("old_house_not_demolished", "异地新建，逾期未拆除旧房")},
    {"cat": "dibao", "size": 3, "means": "none", "vehicles": [("truck", "2021-03-15", "")],
     "irregular": ("false_no_means", "认定无自筹能力兜底4.8万元，名下却有货车")},
]

COMMANDS: list[dict] = []
EXPECTED: list[tuple[str, str, str]] = []
NEAR: list[tuple[str, str]] = []
SHARED_ACCOUNT = luhn("621795")
HOUSEHOLDS: dict[str, dict] = {}


def add(case_ref: str, step: str, ctype: str, actor: str | None, role: str, on: date,
        payload: dict) -> None:
    line = {"command_id": f"{case_ref}/{step}", "type": ctype, "case_ref": case_ref}
    if actor:
        line["actor"] = {"id": actor, "role": role}
    line["occurred_on"] = on.isoformat()
    line["payload"] = payload
    COMMANDS.append(line)


def month_payment(accepted: date) -> tuple[date, date]:
    """Submitted to finance by the 25th, paid by the 30th (seed 004 §四(八))."""
    req = accepted + timedelta(days=2)
    if req.day > 24:
        req = (req.replace(day=1) + timedelta(days=32)).replace(day=3)
    return req, req + timedelta(days=4)


def county_notice(ref: str, county: str, day: date) -> None:
    add(ref, "12-cnotice", "post_notice", f"cc-{county}", "county_officer", day,
        {"level": "county", "notice_no": f"GS-C-{ref}", "location": "县政府门户网站",
         "planned_days": 7})
    add(ref, "13-cclose", "close_notice", f"cc-{county}", "county_officer",
        day + timedelta(days=7), {"level": "county"})


def split(total: int, dept: str) -> dict[str, int]:
    cr = 26500 if dept == "rural_revitalization" else 15000
    return {"central_regional": cr, "city": 1500, "county": total - cr - 1500}


def build(i: int, spec: dict) -> None:
    county = "450329" if i % 2 == 0 else "450328"
    village = COUNTIES[county]["villages"][(i // 2) % 2]
    if spec.get("split_from"):  # a split household stays in its parents' village
        village = HOUSEHOLDS[spec["split_from"]]["village"]
        county = village[:6]
    info = COUNTIES[county]
    township = info["township"]
    ref = f"{county}-2022-{i + 1:04d}"
    if "id" in spec:
        case_refs[spec["id"]] = ref
    vc, tw = f"vc-{village}", f"tw-{township}"
    cat = spec["cat"]
    dept = DEPARTMENT[cat]
    size = spec["size"]

    # household
    head_year = RNG.randint(1978, 1988) if spec.get("split_from") else RNG.randint(1940, 1962)
    head_name, head_id = person(county, head_year)
    members = []
    rels = ["配偶", "子", "女", "孙子", "孙女", "母亲"]
    for k in range(size - 1):
        rel = rels[k]
        offset = {"配偶": -2, "子": 24, "女": 27, "孙子": 48, "孙女": 51, "母亲": -24}[rel]
        nm, idn = person(county, min(head_year + offset + RNG.randint(0, 4), 2015))
        members.append({"name": nm, "id_number": idn, "relationship": rel})
    account_no = SHARED_ACCOUNT if spec.get("shared_account") else luhn("621795")
    hh = {"head": {"name": head_name, "id_number": head_id}, "members": members, "size": size,
          "phone": phone(),
          "account": {"bank": RNG.choice(BANKS), "kind": "card", "number": account_no},
          "group": f"第{RNG.randint(1, 9)}村民小组"}
    HOUSEHOLDS[spec.get("id", ref)] = {"head_id": head_id, "village": village,
                                        "household_no": f"{village[6:]}-{i + 1:03d}"}

    # household registration
    hno = HOUSEHOLDS[spec.get("id", ref)]["household_no"]
    joined = "1998-05-01"
    prev = ""
    if spec.get("split_from"):
        joined = spec["split_on"]
        parent = HOUSEHOLDS[spec["split_from"]]
        prev = parent["household_no"]
        # the head's earlier row in the parent household
        REG["household_registration"].append({
            "id_number": head_id, "division_code": parent["village"], "household_no": prev,
            "relationship": "子", "joined_on": f"{head_id[6:10]}-{head_id[10:12]}-{head_id[12:14]}",
            "left_on": joined,
            "deceased_on": "", "previous_household_no": ""})
    REG["household_registration"].append({
        "id_number": head_id, "division_code": village, "household_no": hno,
        "relationship": "户主", "joined_on": joined, "left_on": "",
        "deceased_on": spec.get("deceased", ""), "previous_household_no": prev})
    for m in members:
        born = f"{m['id_number'][6:10]}-{m['id_number'][10:12]}-{m['id_number'][12:14]}"
        REG["household_registration"].append({
            "id_number": m["id_number"], "division_code": village, "household_no": hno,
            "relationship": m["relationship"], "joined_on": max(joined, born), "left_on": "",
            "deceased_on": spec.get("member_died", "") if m is members[-1] else "",
            "previous_household_no": prev})
    if spec.get("clerk_family"):
        REG["household_registration"].append({
            "id_number": STAFF_IDS[vc], "division_code": village, "household_no": hno,
            "relationship": "子", "joined_on": "1998-05-01", "left_on": "", "deceased_on": "",
            "previous_household_no": ""})

    # category registries
    start = f"2021-{RNG.randint(1, 12):02d}-01"
    if spec.get("no_registry"):
        pass
    elif cat in ("dibao", "urban_dibao_rural_hukou") or spec.get("in_dibao_only"):
        REG["dibao"].append({"id_number": head_id, "division_code": village, "valid_from": start,
                             "valid_until": spec.get("dibao_until", ""),
                             "area": spec.get("dibao_area", "rural")})
        if spec.get("dibao_until") == "2021-06-30":
            REG["dibao"][-1]["valid_from"] = "2019-03-01"
    elif cat == "tekun":
        REG["tekun"].append({"id_number": head_id, "division_code": village, "valid_from": start,
                             "valid_until": "",
                             "support_mode": spec.get("tekun_mode", "dispersed")})
    elif cat == "dibao_marginal":
        REG["dibao_marginal"].append({"id_number": head_id, "division_code": village,
                                      "valid_from": start, "valid_until": ""})
    else:
        REG["monitoring"].append({"id_number": head_id, "division_code": village,
                                  "valid_from": start, "valid_until": "",
                                  "monitoring_type": spec.get("mtype", "unstable_lifted")})
    owner = members[0]["id_number"] if members and (spec.get("veh_member") or spec.get(
        "emp_member")) else head_id
    for vtype, reg_on, dereg in spec.get("vehicles", []):
        REG["vehicles"].append({"id_number": owner, "vehicle_type": vtype, "registered_on": reg_on,
                                "deregistered_on": dereg, "division_code": county + "000000"})
    if "company" in spec:
        role, reg_on, dereg = spec["company"]
        REG["companies"].append({"id_number": head_id, "role": role, "registered_on": reg_on,
                                 "deregistered_on": dereg, "division_code": county + "000000"})
    if "estate" in spec:
        use, reg_on, canc, area, div = spec["estate"]
        REG["real_estate"].append({"id_number": head_id, "use": use, "registered_on": reg_on,
                                   "cancelled_on": canc, "floor_area_m2": area,
                                   "division_code": div})
    if "employee" in spec:
        kind, frm, until = spec["employee"]
        REG["public_employees"].append({"id_number": owner, "employer_kind": kind, "from": frm,
                                        "until": until, "division_code": county + "000000"})

    # ---- the procedure
    mode = spec.get("mode", "rebuild_in_place")
    structure = spec.get("structure", RNG.choice(["earth", "earth", "wood", "brick_wood"]))
    day = date(2022, 3, 1) + timedelta(days=i % 20)
    house = {"structure": structure, "year_built": spec.get("year_built", RNG.randint(1962, 1992)),
             "floor_area_m2": spec.get("floor_area", f"{RNG.randint(35, 80)}.00"),
             "evidence": [evidence(ref, "house")]}
    payload = {"programme_id": PROGRAMME, "village_code": village, "household": hh,
               "category": cat, "planned_mode": mode, "house": house}
    if spec.get("no_house"):
        payload["house"] = {"structure": "other", "evidence": [evidence(ref, "house")]}
    if spec.get("channel") == "on_behalf":
        payload["channel"] = "village_committee_on_behalf"
        payload["on_behalf_reason"] = "户主年老失能，无法自行提出申请，由村委会代为申请"
    if "prior" in spec:
        payload["prior_support"] = spec["prior"]
    if "reentry" in spec:
        payload["reentry_reason"] = spec["reentry"]
    add(ref, "01-apply", "submit_application", vc, "village_clerk", day, payload)

    day += timedelta(days=5)
    certifier = ("ca" if dept == "civil_affairs" else "rr") + f"-{county}"
    add(ref, "02-certify", "certify_category", certifier,
        "civil_affairs_officer" if dept == "civil_affairs" else "rural_revitalization_officer",
        day, {"department": dept, "certificate_no": f"RD-{ref}"})

    day += timedelta(days=6)
    if spec.get("no_house"):
        add(ref, "03-nohouse", "record_no_house", tw, "township_officer", day,
            {"basis": "原住房已因山体滑坡倒塌，经入户核实无其他住房",
             "evidence": [evidence(ref, "nohouse")]})
    else:
        grade = spec.get("grade", "C" if mode == "reinforce" else RNG.choice("CDD"))
        add(ref, "03-grade", "grade_house", f"as-{county}", "assessor", day,
            {"grade": grade, "method": "overall_danger",
             "assessor": {"name": f"{info['name']}住建局鉴定组",
                          "organisation": f"{info['name']}住房和城乡建设局"},
             "report_no": f"JD-{ref}", "evidence": [evidence(ref, "grading")]})

    day += timedelta(days=6)
    if not spec.get("skip_review"):
        eligible = RNG.randint(28, 40)
        attended = eligible - RNG.randint(1, 5)
        against = RNG.randint(0, 2)
        add(ref, "04-review", "hold_democratic_review", vc, "village_clerk", day,
            {"votes": {"meeting_type": "representatives_meeting", "eligible": eligible,
                       "attended": attended, "votes_for": attended - against - 1,
                       "votes_against": against, "abstentions": 1},
             "minutes": [evidence(ref, "minutes")]})
    day += timedelta(days=1)
    add(ref, "05-vnotice", "post_notice", vc, "village_clerk", day,
        {"level": "village", "notice_no": f"GS-V-{ref}", "location": "村级公示栏",
         "planned_days": 7})
    day += timedelta(days=spec.get("notice_close_after", 7))
    add(ref, "06-vclose", "close_notice", vc, "village_clerk", day, {"level": "village"})
    day += timedelta(days=1)
    add(ref, "07-township", "review_at_township", tw, "township_officer", day,
        {"decision": "approved", "home_visited": True, "opinion": "经入户核实，符合条件"})
    if spec.get("means"):
        add(ref, "08-means", "assess_means", tw, "township_officer", day,
            {"self_funding": spec["means"],
             "basis": "户主年老体弱，无劳动能力，无存款，亲属无力资助",
             "evidence": [evidence(ref, "means")]})
    day += timedelta(days=1)
    add(ref, "09-tnotice", "post_notice", tw, "township_officer", day,
        {"level": "township", "notice_no": f"GS-T-{ref}", "location": "乡镇政务公开栏",
         "planned_days": 7})
    day += timedelta(days=7)
    add(ref, "10-tclose", "close_notice", tw, "township_officer", day, {"level": "township"})
    day += timedelta(days=2)
    add(ref, "11-approve", "grant_county_approval", f"ap-{county}", "county_officer", day, {})
    approved = day
    day += timedelta(days=1)
    if not spec.get("skip_county_notice"):
        county_notice(ref, county, day)
    day += timedelta(days=7)

    total = (26500 + 3500) if dept == "rural_revitalization" else 18500
    if spec.get("means") == "none":  # 兜底: minimum area at 1,200 yuan/m² (seed 004 §三(三), §六)
        total = max(total, min_area(size) * 1200)
    amounts = split(total, dept)

    if spec.get("correct_phone"):
        add(ref, "14-phone", "correct_data", tw, "township_officer", day + timedelta(days=1),
            {"field": "household.phone", "new": phone(), "reason": "户主更换手机号码",
             "approved_by": {"id": f"cc-{county}", "role": "county_officer"}})
    if spec.get("correct_account"):
        add(ref, "14-account", "correct_data", tw, "township_officer", day + timedelta(days=1),
            {"field": "household.account",
             "new": {"bank": "桂林银行", "kind": "card", "number": luhn("621795")},
             "reason": "农户银行卡丢失，更换账户",
             "approved_by": {"id": f"cc-{county}", "role": "county_officer"}})

    day += timedelta(days=3)
    agreement = {"agreement_no": f"XY-{ref}", "renovation_mode": mode,
                 "construction_mode": "self_build", "deadline": "2022-10-31",
                 "seismic_requirements": "按6度设防，设置圈梁构造柱"}
    if mode in ("rebuild_in_place", "relocate"):
        agreement["demolition_due"] = "2022-11-30"
    add(ref, "15-agreement", "sign_agreement", tw, "township_officer", day, agreement)

    if spec.get("fast"):
        start = day + timedelta(days=1)
        done = start + timedelta(days=4)
    else:
        start = date(2022, 7, 4) + timedelta(days=i % 12)
        done = start + timedelta(days=38 if spec.get("early") else 68 + i % 15)
    if mode == "rebuild_in_place" and not spec.get("no_house"):
        add(ref, "16-demolish", "record_demolition", tw, "township_officer",
            max(day, start - timedelta(days=2)), {"evidence": [evidence(ref, "demolition")]})
    add(ref, "17-start", "start_construction", tw, "township_officer", start,
        {"builder": {"name": "本村建筑工匠", "licence": f"GJ-{county}-{i % 7 + 1:02d}"},
         "evidence": [evidence(ref, "start")]})
    if not spec.get("fast"):
        add(ref, "19-progress", "report_progress", tw, "township_officer",
            start + timedelta(days=30),
            {"milestone": "主体结构完成", "percent_complete": 60,
             "evidence": [evidence(ref, "progress")]})
    built = spec.get("built", str(max(min_area(size) + RNG.randint(4, 20), 45)))
    # reused photos: the completion and acceptance photos of another case
    source = case_refs[spec["reuse_evidence"]] if "reuse_evidence" in spec else ref
    if mode == "reinforce":
        built = house["floor_area_m2"].split(".")[0]
    done_evidence = evidence(source, "completion")
    add(ref, "20-complete", "complete_construction", tw, "township_officer", done,
        {"built_area_m2": built, "structure": "masonry" if mode != "reinforce" else structure,
         "evidence": [done_evidence]})

    def pay(step: str, on: date, by_source: dict[str, int], channel: str = "one_card") -> date:
        req_no = f"BF-{ref}-{step}"
        add(ref, f"22-request-{step}", "request_payment", f"cc-{county}", "county_officer", on,
            {"request_no": req_no, "tranche": "final", "amounts": {"by_source": by_source},
             "channel": channel})
        paid = on + timedelta(days=4)
        add(ref, f"23-disburse-{step}", "disburse_payment", f"fi-{county}", "finance_officer",
            paid, {"request_no": req_no, "voucher_no": f"PZ-{ref}-{step}"})
        return paid

    accepted = done + timedelta(days=7)
    paid = None
    if spec.get("payment") == "before_acceptance":
        paid = pay("f", done + timedelta(days=2), amounts)
        accepted = paid + timedelta(days=5)
    team = [{"id": f"ci-{county}", "role": "county_inspector"},
            {"id": f"cj-{county}", "role": "county_inspector"}]
    acc_evidence = evidence(source, "acceptance")
    add(ref, "21-accept", "record_county_acceptance", f"ci-{county}", "county_inspector",
        accepted,
        {"result": {"passed": True, "measured_area_m2": built, "safety_rating": "A",
                    "household_agrees": True, "team": team, "evidence": [acc_evidence]}})
    if spec.get("city_check"):
        add(ref, "21-city", "record_city_spot_check", "cy-4503", "city_inspector",
            accepted + timedelta(days=3),
            {"passed": True, "draw_ref": "CJ-4503-2022-B4", "findings": [],
             "evidence": [evidence(ref, "city")]})
    if spec.get("province_check"):
        add(ref, "21-province", "record_provincial_acceptance", "pv-45", "provincial_inspector",
            accepted + timedelta(days=4),
            {"passed": True, "findings": ["档案资料齐全"], "evidence": [evidence(ref, "province")]})

    payment = spec.get("payment")
    if payment == "late":
        paid = pay("f", date(2022, 12, 12), amounts)
    elif payment == "underpaid":
        short = dict(amounts)
        short["central_regional"] -= 3000
        req, _ = month_payment(accepted)
        paid = pay("f", req, short)
    elif payment == "builder_account":
        req, _ = month_payment(accepted)
        paid = pay("f", req, amounts, channel="builder_account")
    elif payment != "before_acceptance":
        req, _ = month_payment(accepted)
        paid = pay("f", req, amounts)

    if mode == "relocate" and not spec.get("no_demolition"):
        add(ref, "24-demolish", "record_demolition", tw, "township_officer",
            done + timedelta(days=20), {"evidence": [evidence(ref, "demolition")]})
    closable = payment != "underpaid" and not spec.get("no_demolition")
    if closable and paid:
        close_on = max(paid, done + timedelta(days=21)) + timedelta(days=3)
        add(ref, "25-close", "close_case", f"cc-{county}", "county_officer", close_on, {})

    if "irregular" in spec:
        EXPECTED.append((ref, *spec["irregular"]))
    if "near" in spec:
        NEAR.append((ref, spec["near"]))
    _ = approved


case_refs: dict[str, str] = {}


def main() -> None:
    # case numbers in a seeded order, so that a case's number says nothing of its kind;
    # a case that refers to another (split household, reused photos) comes after it
    order = sorted(SPECS, key=lambda _: ORDER.random())
    for spec in list(order):
        source = spec.get("split_from") or spec.get("reuse_evidence")
        if source:
            src = next(x for x in order if x.get("id") == source)
            if order.index(src) > order.index(spec):
                order.remove(spec)
                order.insert(order.index(src) + 1, spec)
    for i, spec in enumerate(order):
        build(i, spec)
    # people on the departments' lists with no case, so no list is only our cases
    for k in range(12):
        county = "450329" if k % 2 == 0 else "450328"
        village = COUNTIES[county]["villages"][k % 2]
        _, idn = person(county, 1950 + k)
        kind = ("dibao", "tekun", "dibao_marginal", "monitoring")[k % 4]
        row = {"id_number": idn, "division_code": village, "valid_from": "2020-07-01",
               "valid_until": ""}
        if kind == "dibao":
            row["area"] = "rural"
        elif kind == "tekun":
            row["support_mode"] = "dispersed"
        elif kind == "monitoring":
            row["monitoring_type"] = "marginal"
        REG[kind].append(row)
        REG["household_registration"].append({
            "id_number": idn, "division_code": village, "household_no": f"X{county}-{k:03d}",
            "relationship": "户主", "joined_on": "1990-01-01", "left_on": "", "deceased_on": "",
            "previous_household_no": ""})
        _, other = person(county, 1980 + k)
        REG["vehicles"].append({"id_number": other, "vehicle_type": "car",
                                "registered_on": "2020-01-15", "deregistered_on": "",
                                "division_code": county + "000000"})
        REG["companies"].append({"id_number": other, "role": "owner",
                                 "registered_on": "2019-04-01", "deregistered_on": "",
                                 "division_code": county + "000000"})
        REG["real_estate"].append({"id_number": other, "use": "residential",
                                   "registered_on": "2018-06-01", "cancelled_on": "",
                                   "floor_area_m2": "110.00", "division_code": "450329100001"})
    for row in STAFF:  # officials are on the public payroll
        if row["role"] not in ("programme_manager",):
            REG["public_employees"].append({
                "id_number": row["id_number"], "employer_kind": "government",
                "from": "2012-09-01", "until": "", "division_code": row["jurisdiction"]})

    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "staff.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(STAFF[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(STAFF)
    for kind, rows in REG.items():
        with (OUT / f"{kind}.csv").open("w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=HEADERS[kind], lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
    with (OUT / "cases.jsonl").open("w", encoding="utf-8") as f:
        for line in COMMANDS:
            f.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
    with (OUT / "expected.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["case_ref", "pattern", "note"])
        w.writerows(sorted(EXPECTED))
    print(f"{len(SPECS)} cases, {len(EXPECTED)} irregular, {len(NEAR)} near misses, "
          f"{len(COMMANDS)} commands")


if __name__ == "__main__":
    main()
