"""同一工匠/收款账户跨乡镇承建 — one builder or one payee account behind many quick builds
across townships, judged when asked.

A craftsman builds in and near his own township, and a masonry house takes months. One builder
(the `builder` of 开工: its licence, else a digest of its name) or one 统建/代建 payee account
(the agreement's, a blind index) with `builder_min_cases` completed builds in at least
`builder_min_townships` townships, at least half of them shorter than the policy's
`builder_short_days` for their mode, is the pattern of houses claimed as new that were built
before or never (domain research §2 F1). Only completed builds count: a build's length is known
once it is finished. A builder's group spans counties: asked about a county, the rule judges
every builder with a case there, over all of its cases.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, distinct, func, select

from renovation.fraud.anomaly_base import Scope, within
from renovation.fraud.case_rules import Hit
from renovation.fraud.facts import Facts
from renovation.fraud.findings import finding_id, finding_row
from renovation.policy import all_policies
from renovation.policy.models import FraudRules
from renovation.projections.base import Row

RULE = "builder_concentration"
_EVENTS = {"builder": ("started", "completed"), "payee": ("agreement", "started", "completed")}


def builder_concentration(s: Scope) -> list[Row]:
    """同一工匠/收款账户跨乡镇承建 — by builder, then by payee account."""
    return [*_groups(s, "builder"), *_groups(s, "payee")]


def _groups(s: Scope, kind: str) -> list[Row]:
    a = s.acts
    column = a.c[kind]
    policies = [policy.fraud for policy in all_policies()]
    fewest = min(rules.builder_min_cases for rules in policies)
    nearest = min(rules.builder_min_townships for rules in policies)
    townships = func.count(distinct(a.c.township))
    short = func.sum(case((a.c.short_build.is_(True), 1), else_=0))
    where = [column.is_not(None), a.c.completed_on <= s.as_of]
    if s.programme is not None:
        where.append(a.c.programme == s.programme)
    if s.county:  # every builder with a case in the area, judged over all its cases
        there = a.alias("there")
        where.append(column.in_(select(there.c[kind]).where(
            there.c[kind].is_not(None), *within(there.c.county, s.county))))
    query = (select(a.c.programme, column, func.count(), townships, short, func.min(a.c.county))
             .where(*where).group_by(a.c.programme, column)
             .having(func.count() >= fewest, townships >= nearest, 2 * short >= func.count()))
    out = []
    for programme, value, built, spread, quick, county in s.conn.execute(query).all():
        rules = s.rules(programme, county)
        if built < rules.builder_min_cases or spread < rules.builder_min_townships:
            continue
        refs, items, found = s.cases([column == value, a.c.programme == programme,
                                      a.c.completed_on <= s.as_of], _EVENTS[kind])
        label = _label(kind, value, found)
        hit = Hit(f"{label[0]}在 {spread} 个乡镇完工 {built} 户，其中 {int(quick)} 户工期短于"
                  f"合理工期（{_limits(rules, zh=True)}）",
                  f"{label[1]} completed {built} houses in {spread} townships, {int(quick)} of"
                  f" them faster than {_limits(rules, zh=False)}", tuple(items))
        fid = finding_id(RULE, f"{kind}:{programme}:{value}")
        out.append(finding_row(fid, RULE, f"{kind}:{label[2]}", hit, programme, county, refs))
    return out


def _label(kind: str, value: str, found: list[Facts]) -> tuple[str, str, str]:
    """How the explanation names the builder or payee: a licence, or a masked account."""
    if kind == "payee":
        masked = next((f["payee_label"] for f in found if f.get("payee_label")), "****")
        return f"统建/代建收款账户 {masked}", f"the 统建/代建 payee account {masked}", masked
    if value.startswith("#"):
        return (f"同一施工方（无证号，名称摘要 {value[1:9]}）",
                f"one builder without a licence number (name digest {value[1:9]})", value[:9])
    return f"施工方（证号 {value}）", f"the builder licensed {value}", value


def _limits(rules: FraudRules, zh: bool) -> str:
    parts: list[Any] = sorted(rules.builder_short_days.items(), key=lambda kv: kv[0].value)
    if zh:
        return "、".join(f"{mode.label} {days} 天" for mode, days in parts)
    return ", ".join(f"{days} days ({mode.value})" for mode, days in parts)
