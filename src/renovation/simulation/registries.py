"""The departments' registries for the demo (数据比对, seed 003 §四(一)), as files they would send.

Every simulated household is on its department's list for its category and in the household
registration; with irregularities on, a few households of 灵川县 also show what audits found:
a car, a company, a flat in town, a public employee, a death before payment, a recent split,
the county approver registered in the household, a household missing from its list. Each has a
near miss beside it that the comparison must leave alone (a tractor, a company closed before
the application, a death after payment, a split years ago). The files are written to a
temporary directory, imported by the programme manager, and deleted: the store keeps blind
indexes only.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from renovation.application.directory import Principal
from renovation.bootstrap import Runtime
from renovation.policy import load_policy
from renovation.registry.kinds import spec_of
from renovation.registry.samples import header_of
from renovation.simulation.guilin import PROGRAMME
from renovation.simulation.lifecycle import CasePlan, Lifecycle
from renovation.simulation.programme import LAST, TARGET_COUNTY, Settings, case_plans
from renovation.simulation.staff import ID_NUMBERS

AS_OF = date(2022, 12, 15)
LISTED_FROM = date(2021, 1, 1)
REGISTERED_ON = date(1995, 6, 1)
COMPARISON: tuple[str, ...] = (
    "category_not_on_list", "registry_vehicle", "registry_company", "registry_other_house",
    "registry_public_employee", "registry_deceased", "household_split", "favoured_relative",
)
"""The patterns the demo plants, one case each, in this order."""
NEAR_MISSES: tuple[str, ...] = ("tractor", "company_closed", "died_after_payment", "old_split")


@dataclass
class RegistryReport:
    """What the demo loaded, and which case carries which planted pattern."""

    snapshots: dict[str, int]
    planted: dict[str, str]


def planted(settings: Settings) -> dict[str, str]:
    """Case ref → planted pattern (patterns first, then near misses), or {} for a clean demo."""
    if not settings.irregular:
        return {}
    patterns = (*COMPARISON, *NEAR_MISSES)
    chosen: dict[str, str] = {}
    for plan in _candidates(settings):
        chosen[plan.case_ref] = patterns[len(chosen)]
        if len(chosen) == len(patterns):
            return chosen
    return {}  # too few cases in the county for every pattern: plant none


def _candidates(settings: Settings) -> Iterator[CasePlan]:
    """Cases of the target county after the other irregular ones, run to the end, listable."""
    lists = load_policy(PROGRAMME).comparison.lists
    for plan in case_plans(settings):
        if (plan.case_ref.startswith(TARGET_COUNTY) and int(plan.case_ref[-5:]) > LAST + 8
                and plan.variant == "normal" and plan.stop_after == "closed"
                and plan.category in lists and not plan.quirks):
            yield plan


def load_registries(runtime: Runtime, manager: Principal, settings: Settings) -> RegistryReport:
    """Write, import and delete the demo's registry files; a rerun imports nothing again."""
    plants = planted(settings)
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="registries-") as folder:
        paths = write_files(settings, plants, Path(folder))
        for kind, path in paths.items():
            report = runtime.registries.import_file(
                manager, path, kind=kind, as_of=AS_OF,
                department=f"{spec_of(kind).department}（模拟）")
            counts[kind] = report.rows
    return RegistryReport(counts, plants)


def write_files(settings: Settings, plants: dict[str, str], folder: Path) -> dict[str, Path]:
    """One CSV per registry kind, streamed case by case."""
    kinds = ("dibao", "tekun", "dibao_marginal", "monitoring", "household_registration",
             "vehicles", "companies", "real_estate", "public_employees")
    handles = {kind: (folder / f"{kind}.csv").open("w", encoding="utf-8", newline="")
               for kind in kinds}
    try:
        writers = {}
        for kind, handle in handles.items():
            header, names = header_of(kind, None)
            writer = csv.writer(handle)
            writer.writerow(header)
            writers[kind] = (writer, names)
        lists = load_policy(PROGRAMME).comparison.lists
        for plan in case_plans(settings):
            for kind, row in _rows(plan, plants.get(plan.case_ref), lists):
                writer, names = writers[kind]
                writer.writerow([_cell(row.get(n)) for n in names])
    finally:
        for handle in handles.values():
            handle.close()
    return {kind: folder / f"{kind}.csv" for kind in kinds}


def _first_payment(plan: CasePlan) -> date:
    """The day the case's first tranche is paid, as its lifecycle will enter it."""
    commands = Lifecycle(plan, load_policy(PROGRAMME)).commands()
    return min(date.fromisoformat(c["occurred_on"]) for c in commands
               if c["type"] == "disburse_payment")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def _rows(plan: CasePlan, plant: str | None,
          lists: dict[Any, str]) -> Iterator[tuple[str, dict[str, Any]]]:
    household = plan.household
    head = household["head"]["id_number"]
    members = [m["id_number"] for m in household["members"]]
    number = f"{plan.village}-{plan.case_ref[-5:]}"
    listed = lists.get(plan.category)
    if listed and plant != "category_not_on_list":
        yield listed, {"id_number": head, "division_code": plan.village,
                       "valid_from": LISTED_FROM}
    yield from _registration(plan, plant, number, head, members)
    yield from _planted(plan, plant, head, members)


def _registration(plan: CasePlan, plant: str | None, number: str, head: str,
                  members: list[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    joined = REGISTERED_ON
    previous = None
    if plant in ("household_split", "old_split"):
        days = 90 if plant == "household_split" else 3 * 365
        joined, previous = plan.applied_on - timedelta(days=days), f"{plan.village}-P"
    died = None
    if plant == "registry_deceased":
        died = date(2022, 6, 1)
    elif plant == "died_after_payment":
        died = _first_payment(plan) + timedelta(days=3)
    base = {"division_code": plan.village, "household_no": number}
    yield "household_registration", {**base, "id_number": head, "relationship": "户主",
                                     "joined_on": joined, "previous_household_no": previous,
                                     "deceased_on": died}
    relations = [m["relationship"] for m in plan.household["members"]]
    for person, relation in zip(members, relations, strict=True):
        yield "household_registration", {**base, "id_number": person, "relationship": relation,
                                         "joined_on": joined}
    if plant == "favoured_relative":
        yield "household_registration", {**base, "id_number": ID_NUMBERS["ap-450323"],
                                         "relationship": "子女", "joined_on": REGISTERED_ON}


def _planted(plan: CasePlan, plant: str | None, head: str,
             members: list[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    someone = members[0] if members else head
    if plant in ("registry_vehicle", "tractor"):
        kind = "car" if plant == "registry_vehicle" else "agricultural"
        yield "vehicles", {"id_number": someone, "vehicle_type": kind,
                           "registered_on": date(2020, 4, 1)}
    elif plant in ("registry_company", "company_closed"):
        closed = date(2021, 3, 1) if plant == "company_closed" else None
        yield "companies", {"id_number": head, "role": "legal_representative",
                            "registered_on": date(2019, 8, 1), "deregistered_on": closed}
    elif plant == "registry_other_house":
        yield "real_estate", {"id_number": someone, "use": "residential",
                              "registered_on": date(2018, 5, 1),
                              "division_code": f"{TARGET_COUNTY}001000"}
    elif plant == "registry_public_employee":
        yield "public_employees", {"id_number": someone, "employer_kind": "public_institution",
                                   "from": date(2016, 9, 1)}
