"""The comparison's checks, one per pattern the audits found (domain research §2).

Each answers the finding's explanation and the registry rows it rests on, or None. A pattern
that has an innocent reading (a farm vehicle, a company closed before applying, a death after
the money was paid) is left alone: the near-miss tests hold each check to that.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import Table, not_, select
from sqlalchemy.engine import Connection

from renovation.fraud.case_rules import Hit
from renovation.fraud.comparison import as_date
from renovation.fraud.comparison_rules import (
    COMPARE_CASES,
    CaseHits,
    Check,
    case_filters,
    days_before,
    events,
    household_exists,
    registry_item,
    rules_of,
    within,
)
from renovation.policy import all_policies
from renovation.policy.comparison import supports_certification

Found = tuple[Hit, list[dict[str, Any]]]
Snapshots = dict[str, dict[str, Any]]


def registry_items(hits: list[dict[str, Any]], snapshots: Snapshots) -> list[dict[str, Any]]:
    return [registry_item(h, snapshots[h["kind"]]) for h in hits]


def _masked(hits: list[dict[str, Any]]) -> str:
    return "、".join(sorted({h["masked_id"] for h in hits}))


def vehicle(case: CaseHits, snapshots: Snapshots, as_of: date) -> Found | None:
    """名下有机动车 — a member owns a car or a truck."""
    kinds = rules_of(case.case).vehicle_types
    hits = [h for h in case.of("vehicles") if h["attrs"].get("vehicle_type") in kinds
            and within(as_of, h["attrs"].get("registered_on"), h["attrs"].get("deregistered_on"))]
    if not hits:
        return None
    types = "、".join(sorted({h["attrs"]["vehicle_type"] for h in hits}))
    return Hit(f"家庭成员 {_masked(hits)} 名下登记有机动车（{types}）",
               f"household member {_masked(hits)} has a registered vehicle ({types})",
               events(case.case, "applied", "approved")), registry_items(hits, snapshots)


def company(case: CaseHits, snapshots: Snapshots, as_of: date) -> Found | None:
    """经营企业 — a member runs or owns a company that was registered when they applied."""
    applied = case.case["applied_on"]
    hits = [h for h in case.of("companies")
            if within(applied, h["attrs"].get("registered_on"), h["attrs"].get("deregistered_on"))]
    if not hits:
        return None
    return Hit(f"家庭成员 {_masked(hits)} 在申请时登记为企业法定代表人、股东或经营者",
               f"household member {_masked(hits)} ran or owned a registered company when"
               " the household applied",
               events(case.case, "applied", "approved")), registry_items(hits, snapshots)


def other_house(case: CaseHits, snapshots: Snapshots, as_of: date) -> Found | None:
    """另有住房 — a residential property elsewhere, or more than one in the village."""
    applied = case.case["applied_on"]
    homes = [h for h in case.of("real_estate") if h["attrs"].get("use") == "residential"
             and within(applied, h["attrs"].get("registered_on"), h["attrs"].get("cancelled_on"))]
    village = case.case["village"]
    elsewhere = [h for h in homes
                 if h["attrs"].get("division_code") not in (None, "", village)]
    if not elsewhere and len(homes) < 2:
        return None
    hits = elsewhere or homes
    return Hit(f"家庭成员 {_masked(hits)} 名下另有 {len(hits)} 处登记住房，危房并非唯一住房",
               f"household member(s) {_masked(hits)} own {len(hits)} other registered"
               " residential property: the unsafe house is not their only home",
               events(case.case, "applied", "approved")), registry_items(hits, snapshots)


def public_employee(case: CaseHits, snapshots: Snapshots, as_of: date) -> Found | None:
    """财政供养人员 — a member was on the public payroll after the household applied."""
    applied = case.case["applied_on"]
    hits = [h for h in case.of("public_employees")
            if _overlaps(applied, as_of, h["attrs"].get("from"), h["attrs"].get("until"))]
    if not hits:
        return None
    return Hit(f"家庭成员 {_masked(hits)} 为财政供养人员",
               f"household member {_masked(hits)} is paid from public funds",
               events(case.case, "applied", "approved")), registry_items(hits, snapshots)


def _overlaps(start: date, end: date, first: Any, last: Any) -> bool:
    begin, finish = as_date(first), as_date(last)
    return (begin is None or begin <= end) and (finish is None or finish >= start)


def deceased(case: CaseHits, snapshots: Snapshots, as_of: date) -> Found | None:
    """已故人员 — the head died before the money was paid (or before applying), or a member
    died before the approval that counted them in the household's size; a member who dies
    later leaves the household entitled."""
    c = case.case
    cut = c["paid_on"] or (as_of if c["approved_on"] else c["applied_on"])
    counted = c["approved_on"] or c["applied_on"]  # a member counts in the size until approval
    hits = [h for h in case.of("household_registration")
            if (died := as_date(h["attrs"].get("deceased_on"))) is not None
            and died < (cut if h["role"] == "head" else counted)]
    if not hits:
        return None
    if all(h["role"] != "head" for h in hits):
        stage = ("审批", "approval") if c["approved_on"] else ("申请", "application")
        return Hit(f"家庭成员 {_masked(hits)} 在{stage[0]}前已死亡，仍计入家庭人口（户籍登记）",
                   f"household member {_masked(hits)} had died before the {stage[1]} and was"
                   " still counted in the household (household registration)",
                   events(c, "applied", "approved")), registry_items(hits, snapshots)
    stage = ("拨付", "payment") if c["paid_on"] else ("拨付", "payment due") \
        if c["approved_on"] else ("申请", "application")
    return Hit(f"户主 {_masked(hits)} 在{stage[0]}前已死亡（户籍登记）",
               f"the head {_masked(hits)} had died before the {stage[1]}"
               " (household registration)",
               events(c, "applied", "approved", "paid")), registry_items(hits, snapshots)


def _recent_split(case: CaseHits, hit: dict[str, Any]) -> bool:
    c = case.case
    return bool(hit["role"] == "head" and hit["attrs"].get("previous_household_ref")
                and days_before(c["applied_on"], as_date(hit["attrs"].get("joined_on")),
                                rules_of(c).split_window_days))


def household_split(case: CaseHits, snapshots: Snapshots, as_of: date) -> Found | None:
    """拆户 — the head joined a new household, split from another, shortly before applying."""
    c = case.case
    window = rules_of(c).split_window_days
    hits = [h for h in case.of("household_registration") if _recent_split(case, h)]
    if not hits:
        return None
    joined = hits[0]["attrs"]["joined_on"]
    return Hit(f"户主于 {joined} 从原户分户，{window} 天内申请改造",
               f"the head split from another household on {joined}, within {window} days"
               " before applying", events(c, "applied")), registry_items(hits, snapshots)


def members(case: CaseHits) -> list[dict[str, Any]]:
    """The case's persons' household registrations that stood when the household applied."""
    applied = case.case["applied_on"]
    return [h for h in case.of("household_registration") if h["household_ref"]
            and not ((left := as_date(h["attrs"].get("left_on"))) and left <= applied)]


def _kin(hit: dict[str, Any]) -> set[str]:
    """The households a registration ties a person to: their own, and the one they split from."""
    return {ref for ref in (hit["household_ref"], hit["attrs"].get("previous_household_ref"))
            if ref}


def favoured_relative(case: CaseHits, snapshots: Snapshots, as_of: date) -> Found | None:
    """优亲厚友 — an official who acted on the case is registered in the applicant's household,
    or in one that shares its origin (split from the same household, or from one another)."""
    homes = set().union(*(_kin(h) for h in members(case)))
    officials = [h for h in case.officials if h["kind"] == "household_registration"
                 and _kin(h) & homes]
    if not officials:
        return None
    theirs = set().union(*(_kin(o) for o in officials))
    same = [h for h in members(case) if _kin(h) & theirs]
    names = "、".join(sorted({f"{o['actor_id']}（{o['role'].removeprefix('official:')}）"
                             for o in officials}))
    acts = tuple({o["person_evidence"]["position"]: o["person_evidence"]
                  for o in officials}.values())
    return Hit(f"经办或审批人员 {names} 与申请户登记在同一户籍或由同一户分出",
               f"official(s) {names} who acted on the case are registered in the applicant's"
               " household or in one split from the same", (*events(case.case, "applied"),
                                                              *acts)), \
        registry_items(officials + same, snapshots)


def members_elsewhere(case: CaseHits, snapshots: Snapshots, as_of: date) -> Found | None:
    """虚增人口 — members on the application registered only in households not the head's.

    One such member is common (a daughter-in-law whose hukou stayed in her home village);
    `[comparison] members_elsewhere_min` of them inflate the household's size and subsidy."""
    rows = members(case)
    heads = {h["household_ref"] for h in rows if h["role"] == "head"}
    if not heads:
        return None
    homes: dict[str, set[str]] = {}
    for h in rows:
        if h["role"] == "member":
            homes.setdefault(h["masked_id"], set()).add(h["household_ref"])
    away = sorted(m for m, refs in homes.items() if not refs & heads)
    if len(away) < rules_of(case.case).members_elsewhere_min:
        return None
    hits = [h for h in rows if h["masked_id"] in away]
    return Hit(f"申请所列 {len(away)} 名家庭成员（{'、'.join(away)}）户籍登记在其他户",
               f"{len(away)} members listed on the application ({', '.join(away)}) are"
               " registered in other households", events(case.case, "applied", "approved")), \
        registry_items(hits, snapshots)


CASE_CHECKS: dict[str, Check] = {
    "members_registered_elsewhere": members_elsewhere,
    "registry_vehicle": vehicle,
    "registry_company": company,
    "registry_other_house": other_house,
    "registry_public_employee": public_employee,
    "registry_deceased": deceased,
    "household_split": household_split,
    "favoured_relative": favoured_relative,
}


def not_on_list(conn: Connection, t: dict[str, Table], snapshots: Snapshots,
                by_case: dict[str, CaseHits], as_of: date, county: str | None,
                programme: str | None) -> Iterator[tuple[dict[str, Any], Found]]:
    """认定身份不在名单 — certified in a category its department's list does not show."""
    cases = t[COMPARE_CASES.name]
    for kind, snapshot in snapshots.items():
        categories = sorted({category.value for policy in all_policies()
                             for category, listed in policy.comparison.lists.items()
                             if listed == kind and policy.comparison.on_list != "off"})
        if not categories:
            continue
        query = select(cases).where(cases.c.category.in_(categories),
                                    cases.c.certified_on.is_not(None),
                                    not_(household_exists(t, snapshot["snapshot_id"])))
        missing = [dict(r) for r in conn.execute(
            case_filters(query, cases, county, programme, as_of)).mappings()]
        lapsed = [c for c in by_case.values() if c.case["category"] in categories
                  and c.case["certified_on"] is not None and c.of(kind)
                  and not any(_counts(c.case, h) for h in c.of(kind))]
        found = [(case, None) for case in missing] + [(c.case, c) for c in lapsed]
        for case, hits in found:
            rules = rules_of(case)
            if rules.on_list == "off" or rules.lists.get(case["category"]) != kind:
                continue
            yield case, _absent(case, kind, snapshot, hits.of(kind) if hits else [])


def _counts(case: dict[str, Any], hit: dict[str, Any]) -> bool:
    return supports_certification(case["certified_on"], hit["attrs"])


def _absent(case: dict[str, Any], kind: str, snapshot: dict[str, Any],
            hits: list[dict[str, Any]]) -> Found:
    certified = case["certified_on"]
    housed = [h for h in hits if h["attrs"].get("support_mode") == "concentrated"]
    if housed:
        return Hit(f"{certified} 认定为分散供养特困人员，但特困名单（{snapshot['department']}）"
                   f"显示 {_masked(housed)} 为集中供养",
                   f"certified on {certified}, but the tekun list ({snapshot['department']})"
                   f" shows {_masked(housed)} supported in an institution (集中供养)",
                   events(case, "applied", "certified")), registry_items(housed, {kind: snapshot})
    item = {"registry": kind, "snapshot_id": snapshot["snapshot_id"], "row": None,
            "as_of": snapshot["as_of"].isoformat(), "department": snapshot["department"],
            "person": None}
    return Hit(f"{certified} 认定为 {case['category']}，但 {snapshot['as_of']} {kind} 名单"
               f"（{snapshot['department']}）中无该户成员在认定日有效的记录",
               f"certified as {case['category']} on {certified}, but the {kind} list of"
               f" {snapshot['as_of']} ({snapshot['department']}) shows no member of the"
               " household on that day", events(case, "applied", "certified")), [item]


def shared_household(by_case: dict[str, CaseHits], snapshots: Snapshots,
                     ) -> Iterator[tuple[list[dict[str, Any]], Found, str]]:
    """一户多申 — cases of one programme whose people stand in one registered household.

    A household is one case per programme year; two cases from one 户籍 household that was
    never split are one household claiming twice (each case's own people, matched by ID)."""
    groups: dict[tuple[str, str], dict[str, CaseHits]] = {}
    for case in by_case.values():
        for hit in members(case):
            key = (case.case["programme"], hit["household_ref"])
            groups.setdefault(key, {})[case.case["case_id"]] = case
            if _recent_split(case, hit):  # 拆户: the new household claims beside the old one
                origin = (case.case["programme"], hit["attrs"]["previous_household_ref"])
                groups.setdefault(origin, {})[case.case["case_id"]] = case
    for (_, household), cases in sorted(groups.items()):
        if len(cases) < 2:
            continue
        ordered = sorted(cases.values(), key=lambda c: c.case["evidence"]["applied"]["position"])
        hits = [h for c in ordered for h in members(c) if household in _kin(h)]
        refs = "、".join(c.case["case_ref"] for c in ordered)
        found = Hit(f"{len(ordered)} 个案件（{refs}）的申请人登记在同一户籍户，未分户",
                    f"{len(ordered)} cases ({refs}) apply for people registered in one"
                    " household that was never split",
                    tuple(c.case["evidence"]["applied"] for c in ordered))
        yield [c.case for c in ordered], (found, registry_items(hits, snapshots)), household
