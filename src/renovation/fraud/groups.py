"""Rules across cases: values that several cases share (a person, an account, a phone, a photo)
and bursts of applications by one operator. Each case contributes keys; a group is every key
with the same kind and value, and each group is judged as a whole.

Values are blind indexes (keyed hashes) or content hashes, never personal data; `label` is the
masked form a notice may show.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

from renovation.aggregates.case import RenovationCase
from renovation.fraud.case_rules import Hit
from renovation.fraud.facts import EvidenceItem, Facts, recorded_on
from renovation.policy import load_policy

C = RenovationCase
Key = dict[str, Any]

RULE_OF_KIND = {
    "person": "duplicate_benefit", "account": "shared_account", "phone": "shared_phone",
    "evidence": "reused_evidence", "proxy": "proxy_signing",
}
BENEFIT_KINDS = ("person", "account", "phone")
"""Keys a withdrawn or rejected case gives up: it no longer claims the benefit."""


def _key(f: Facts, kind: str, value: str, label: str | None, item: EvidenceItem,
         at: str | None = None) -> Key:
    """A narrow row: there are a dozen per case, and almost all stay alone in their group."""
    return {"kind": kind, "value": value, "case_id": f["id"], "case_ref": f["ref"],
            "programme": f["programme"], "policy": f["policy"], "county": f["county"],
            "head": f["head"] if kind in BENEFIT_KINDS else None, "reentry": f["reentry"],
            "label": label, "active": True, "at": at, "version": item["version"],
            "position": item["position"], "event": item["event"],
            "occurred_on": item["occurred_on"], "recorded_at": item["recorded_at"]}


def _hashes(e: Any) -> tuple[str, ...]:
    if isinstance(e, C.ApplicationSubmitted):
        return e.house.evidence
    if isinstance(e, C.CountyAcceptanceRecorded):
        return e.result.evidence
    if isinstance(e, C.DemocraticReviewHeld):
        return e.minutes
    return e.evidence if "evidence" in type(e).model_fields else ()


def keys_of(f: Facts, item: EvidenceItem, e: Any) -> Iterator[Key]:
    """The keys an event adds to the groups."""
    # Minutes name their meeting's village: one meeting may review several households.
    meeting = f"meeting:{f.get('village')}" if isinstance(e, C.DemocraticReviewHeld) else None
    for digest in dict.fromkeys(_hashes(e)):
        yield _key(f, "evidence", digest, meeting, item)
    if isinstance(e, C.ApplicationSubmitted):
        household = e.household
        for person in (household.head, *household.members):
            yield _key(f, "person", person.ref, person.id_number.masked, item)
        if household.account:
            yield _key(f, "account", household.account.number.ref,
                       household.account.number.masked, item)
        if household.phone and household.phone.ref:
            yield _key(f, "phone", household.phone.ref, household.phone.masked, item)
        if f["lag0"] == 0:  # entered on the day it is dated: a live entry, not a back-entry
            day = recorded_on(e).isoformat()
            yield _key(f, "proxy", f"{e.actor.id}|{day}", None, item, at=e.timestamp.isoformat())
    elif isinstance(e, C.DataCorrected) and e.new:
        if e.field == "household.phone" and e.new.get("ref"):
            yield _key(f, "phone", e.new["ref"], e.new["masked"], item)
        elif e.field == "household.account":
            number = e.new["number"]
            yield _key(f, "account", number["ref"], number["masked"], item)


def retired_kinds(e: Any) -> tuple[str, ...]:
    """Key kinds of the case that stop counting after this event."""
    if isinstance(e, C.CaseWithdrawn | C.CaseRejected):
        return BENEFIT_KINDS
    if isinstance(e, C.DataCorrected) and e.field in ("household.phone", "household.account"):
        return (e.field.removeprefix("household."),)
    return ()


def _cases(rows: list[Key]) -> list[Key]:
    """One key per case (the earliest), in log order."""
    first: dict[str, Key] = {}
    for row in sorted(rows, key=lambda r: r["position"]):
        first.setdefault(row["case_id"], row)
    return list(first.values())


EVIDENCE_FIELDS = ("case_ref", "version", "position", "event", "occurred_on", "recorded_at")


def _evidence(rows: list[Key]) -> tuple[EvidenceItem, ...]:
    return tuple({name: row[name] for name in EVIDENCE_FIELDS}
                 for row in sorted(rows, key=lambda r: r["position"]))


def duplicate_benefit(rows: list[Key]) -> Hit | None:
    cases = _cases(rows)
    if len(cases) < 2:
        return None
    same_household = len({row["head"] for row in cases}) == 1
    if same_household and all(row["reentry"] for row in cases[1:]):
        return None  # 再次改造 under the policy's re-entry rule
    refs = "、".join(row["case_ref"] for row in cases)
    return Hit(f"身份证号 {cases[0]['label']} 出现在 {len(cases)} 个案件中（{refs}）",
               f"ID number {cases[0]['label']} appears in {len(cases)} cases ({refs})",
               _evidence(cases))


def _shared(what_zh: str, what_en: str) -> Callable[[list[Key]], Hit | None]:
    def rule(rows: list[Key]) -> Hit | None:
        cases = _cases(rows)
        if len({row["head"] for row in cases}) < 2:
            return None
        label = cases[0]["label"]
        return Hit(f"{len(cases)} 户不同农户填报同一{what_zh} {label}",
                   f"{len(cases)} unrelated households give the same {what_en} {label}",
                   _evidence(cases))
    return rule


def _one_meeting(rows: list[Key]) -> bool:
    return all(row["event"] == "DemocraticReviewHeld" for row in rows) and len(
        {(row["label"], row["occurred_on"]) for row in rows}) == 1 and bool(rows[0]["label"])


def reused_evidence(rows: list[Key]) -> Hit | None:
    """One photo or scan filed in several cases; the minutes of one village meeting (民主评议),
    filed in each case it reviewed that day, are one document and not a reuse."""
    cases = _cases(rows)
    if len(cases) < 2 or _one_meeting(rows):
        return None
    label = rows[0]["value"][:12]
    return Hit(f"同一影像资料（摘要 {label}…）出现在 {len(cases)} 个案件中",
               f"the same photo or scan (sha256 {label}…) is filed in {len(cases)} cases",
               _evidence(rows))


def proxy_signing(rows: list[Key]) -> Hit | None:
    first = rows[0]
    rules = load_policy(first["policy"]).fraud
    window = timedelta(minutes=rules.proxy_window_minutes)
    ordered = sorted(rows, key=lambda r: r["at"])
    times = [datetime.fromisoformat(r["at"]) for r in ordered]
    burst: set[int] = set()
    for start, at in enumerate(times):
        inside = [i for i in range(start, len(times)) if times[i] - at <= window]
        if len({ordered[i]["case_id"] for i in inside}) >= rules.proxy_min_applications:
            burst.update(inside)
    if not burst:
        return None
    chosen = [ordered[i] for i in sorted(burst)]
    actor, day = first["value"].rsplit("|", 1)
    return Hit(f"{actor} 于 {day} 在 {rules.proxy_window_minutes} 分钟内连续录入"
               f" {len(chosen)} 户申请",
               f"{actor} entered {len(chosen)} applications within"
               f" {rules.proxy_window_minutes} minutes on {day}", _evidence(chosen))


GROUP_RULES: dict[str, Callable[[list[Key]], Hit | None]] = {
    "person": duplicate_benefit,
    "account": _shared("银行账户", "bank account"),
    "phone": _shared("联系电话", "phone number"),
    "evidence": reused_evidence,
    "proxy": proxy_signing,
}
