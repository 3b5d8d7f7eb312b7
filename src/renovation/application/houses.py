"""农房安全动态监测 — recording what villages find about houses, act by act.

Thin: parse the act, find the house (by id, or by village + the head's ID number's keyed hash +
house number), authorise the principal for the act in the house's village, let `HouseRecord`
guard and record, save. The head's name is sealed with the household's key, persisted only with
an accepted record. Linking a case checks the case is of the same village and household.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from pydantic import TypeAdapter, ValidationError

from renovation.aggregates.case import RenovationCase, case_id
from renovation.aggregates.house import HouseRecord, HouseRuleError, house_id
from renovation.application import house_inputs as acts
from renovation.application.commands import input_error_from
from renovation.application.pipeline import Pipeline
from renovation.application.principal import Principal
from renovation.application.sealing import seal_name
from renovation.application.service import UnknownCaseError
from renovation.application.unit_of_work import UnitOfWork
from renovation.identity import KeyDestroyedError, PiiProtector, validate_id_number
from renovation.kernel.errors import InvalidInputError, RuleViolation

_ACT: TypeAdapter[acts.HouseAct] = TypeAdapter(acts.HouseAct)


class UnknownHouseError(RuleViolation):
    """The act names a house the village has not recorded."""


class HouseRecords:
    """Records houses and what is found about them."""

    def __init__(self, pipeline: Pipeline, protector: PiiProtector) -> None:
        self.pipeline, self.protector, self.app = pipeline, protector, pipeline.app

    def act(self, principal: Principal, raw: Mapping[str, Any]) -> dict[str, Any]:
        """Apply one act (`type` chooses which); refused with nothing written."""
        act = parse(raw)
        if isinstance(act, acts.RecordHouse):
            return self._record(principal, act)
        hid = self._house_id(act.house)
        house = self.app.find(hid, HouseRecord)
        if house is None:
            raise UnknownHouseError("house.exists", "house", str(hid),
                                    "no such house is recorded; record_house first")
        actor = self.pipeline.acting(principal, acts.ACTION_OF[act.type], house.village,
                                     on=act.occurred_on)
        today = self.pipeline.today()
        if isinstance(act, acts.LinkCase):
            self._same_household(house, act.case_ref)

        def decide(uow: UnitOfWork) -> HouseRecord:
            found = uow.find(hid, HouseRecord)
            assert found is not None
            _apply(found, act, actor, today)
            return found

        recorded = self.pipeline.record(f"house.{act.type}", decide)
        return {"house_id": str(hid), "type": act.type, "version": recorded.value.version,
                "position": recorded.position}

    def _record(self, principal: Principal, act: acts.RecordHouse) -> dict[str, Any]:
        head_id = validate_id_number(act.head.id_number, "head.id_number")
        household = self.protector.household_ref(head_id)
        actor = self.pipeline.acting(principal, "monitor_houses", act.village,
                                     on=act.occurred_on)
        today = self.pipeline.today()
        if act.occurred_on > today:
            raise HouseRuleError("house.date_not_future", "occurred_on",
                                 act.occurred_on.isoformat(), f"it is after today ({today})")
        try:
            sealer = self.protector.begin(household)
        except KeyDestroyedError:
            raise InvalidInputError("identity.household_erased", "head.id_number", "***",
                                    "this household's personal data was erased") from None
        name = seal_name(sealer, act.head.name, "head.name")
        hid = house_id(act.village, household, act.house_no)

        def decide(uow: UnitOfWork) -> HouseRecord:
            if uow.find(hid, HouseRecord) is not None:
                raise HouseRuleError("house.recorded_once", "house_no", act.house_no,
                                     "this house of the household is already recorded")
            house = HouseRecord(
                village=act.village, household_ref=household, house_no=act.house_no,
                head_name=name, group=act.ledger, category=act.category,
                built_year=act.built_year, seismic_measures=act.seismic_measures,
                sole_dwelling=act.sole_dwelling, actor=actor, occurred_on=act.occurred_on)
            uow.keep_key(sealer)
            uow.add(house)
            return house

        recorded = self.pipeline.record("house.record_house", decide)
        return {"house_id": str(hid), "type": act.type, "version": recorded.value.version,
                "position": recorded.position}

    def _house_id(self, key: acts.HouseKey) -> UUID:
        if key.house_id is not None:
            return UUID(key.house_id)
        assert key.village is not None and key.head_id_number is not None
        head_id = validate_id_number(key.head_id_number, "house.head_id_number")
        return house_id(key.village, self.protector.household_ref(head_id), key.house_no)

    def _same_household(self, house: HouseRecord, case_ref: str) -> None:
        case = self.app.find(case_id(case_ref), RenovationCase)
        if case is None:
            raise UnknownCaseError("case.exists", "case_ref", case_ref,
                                   f"there is no case {case_ref}")
        if case.village_code != house.village:
            raise HouseRuleError("house.case_same_village", "case_ref", case_ref,
                                 f"case {case_ref} is of village {case.village_code}, the house"
                                 f" of village {house.village}")
        if case.household.ref != house.household_ref:
            raise HouseRuleError("house.case_same_household", "case_ref", case_ref,
                                 f"case {case_ref} is another household's")


def parse(raw: Mapping[str, Any]) -> acts.HouseAct:
    kind = raw.get("type")
    if kind not in acts.HOUSE_ACT_TYPES:
        raise InvalidInputError("input.union_tag_invalid", "type", kind,
                                f"type: known: {', '.join(acts.HOUSE_ACT_TYPES)}")
    try:
        return _ACT.validate_python(dict(raw))
    except ValidationError as error:
        first = dict(error.errors(include_url=False)[0])
        first["loc"] = tuple(first["loc"])[1:]  # the act's type, named by the message already
        raise input_error_from(first) from None


def _apply(house: HouseRecord, act: Any, actor: Any, today: Any) -> None:
    on = {"actor": actor, "occurred_on": act.occurred_on, "today": today}
    match act:
        case acts.ReportUnsafeHouse():
            house.self_report(act.suspected_grade, **on)
        case acts.PatrolHouse():
            house.patrol(act.method, act.suspected_grade, act.photos, **on)
        case acts.FlagHouse():
            house.flag(act.suspected_grade, act.source, **on)
        case acts.ReportDisasterDamage():
            house.disaster(act.disaster, act.suspected_grade, **on)
        case acts.AssessHouse():
            house.assess(act.grade, act.method, act.report, **on)
        case acts.ReportToTownship():
            house.report_to_township(**on)
        case acts.RecordOccupancy():
            house.occupancy(act.elderly_in_unsafe_house, act.two_homes, **on)
        case acts.LinkCase():
            house.link_case(act.case_ref, act.fallback, **on)
        case acts.OrderSelfRepair():
            house.order_self_repair(**on)
        case acts.ResolveHouse():
            house.resolve(act.resolution, **on)

