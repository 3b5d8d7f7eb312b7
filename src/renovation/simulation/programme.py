"""A simulated Guilin 2022 programme: every household's case plan, generated lazily.

1,173 households by default, spread over the 13 counties as seed 004 §三 lists them (any other
number is apportioned the same way). Most cases run to a closed archive; some are returned once,
rejected, withdrawn, or still being built at the end of the year. With irregularities on, a
handful of cases carry the patterns audits found (domain research §2), so the fraud rules have
something to find — `IRREGULARITIES` says which case carries which.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from math import ceil

from renovation.kernel.vocabulary import Category, RenovationMode
from renovation.simulation.guilin import COUNTIES, PROGRAMME, TOWNSHIPS, VILLAGES, apportion
from renovation.simulation.lifecycle import CasePlan
from renovation.simulation.people import People

IRREGULARITIES: dict[str, str] = {
    "shared_account": "two unrelated households give the same 一卡通 account",
    "shared_phone": "two unrelated households give the same phone number",
    "split_household": "a member of a supported household applies again as a head (分户)",
    "reused_photo": "a completion photo of another case is filed again",
    "short_paid": "less than the approved subsidy is paid and the case stays open (克扣)",
    "paid_late": "finance pays a batch after the 30th (滞留)",
    "unpaid_overdue": "accepted in August and still unpaid at the end of the year (拖欠)",
    "backdated": "the county approval is entered 60 days after its business date",
    "too_fast": "a new house is completed four days after construction started",
    "over_area": "a new house of 150 m² for a household the policy caps far lower",
    "proxy_signing": "one clerk enters eight applications within minutes (代签)",
    "assessor_outlier": "the county's own assessor grades twenty houses, every one D",
    "acceptance_overload": "the county's inspector accepts houses in four townships in one day",
    "builder_concentration": "an outside team builds six houses in six townships, 40 days each",
    "applications_exceed_survey": "ten applications in a village whose ledger found one to three",
}
SIX_CATEGORIES = tuple(c for c in Category if c is not Category.URBAN_DIBAO_RURAL_HUKOU)
"""The six categories the cases are drawn from (as before the urban-dibao variant existed,
so the simulated programme stays the same)."""
BACKDATE_DAYS = 60
PROXY_BATCH = 8
ANOMALY_BATCHES = (("assessor_outlier", 20), ("acceptance_overload", 4),
                   ("builder_concentration", 6), ("applications_exceed_survey", 10))
"""Cases 33-72, in this order: as few as the policy's thresholds need (`FraudRules`: 20
gradings; one township more than 3; 6 builds in 3 townships; 10 applications)."""


@dataclass(frozen=True)
class Settings:
    households: int = 1173
    seed: int = 2022
    irregular: bool = True


def county_counts(households: int) -> list[int]:
    return apportion(households, [county.households_2022 for county in COUNTIES])


TEAM_CASES = 250
"""The most houses of one township that one assessor grades and one county acceptance team
accepts in a year (some four a working day while the gradings last); a township with more, in a
programme simulated far beyond the real 1,173 households, has more teams (`CasePlan.team`)."""


def teams(households: int) -> int:
    """How many teams the busiest township needs."""
    return max(ceil(count / TOWNSHIPS / TEAM_CASES) for count in county_counts(households))


TARGET_COUNTY = "450323"  # 灵川县: the irregular cases are numbers 11-72 of its list
FIRST, LAST = 11, 72
ANOMALY_FIRST = 25 + PROXY_BATCH
"""The first case of `ANOMALY_BATCHES`; a county too small for them (a demo of under 480
households) still gets the irregularities before it."""


SURVEY_VILLAGE = f"{TARGET_COUNTY}106216"
"""Where case 63 lives (`village(62 % 7, 62 % 23)`), and no other case of the county's 175."""


def case_ref(county: str, n: int) -> str:
    return f"{county}-2022-{n:05d}"


def irregular_cases(settings: Settings) -> dict[str, str]:
    """Which case carries which irregularity (empty for a clean programme)."""
    counts = dict(zip((c.code for c in COUNTIES), county_counts(settings.households), strict=True))
    if not settings.irregular or counts[TARGET_COUNTY] < ANOMALY_FIRST - 1:
        return {}
    ref = lambda n: case_ref(TARGET_COUNTY, n)  # noqa: E731
    cases = {ref(12): "shared_account", ref(14): "shared_phone", ref(16): "split_household",
             ref(18): "reused_photo", ref(19): "short_paid", ref(20): "paid_late",
             ref(21): "unpaid_overdue", ref(22): "backdated", ref(23): "too_fast",
             ref(24): "over_area"}
    cases.update({ref(n): "proxy_signing" for n in range(25, 25 + PROXY_BATCH)})
    first = ANOMALY_FIRST
    for kind, size in ANOMALY_BATCHES if counts[TARGET_COUNTY] >= LAST else ():
        cases.update({ref(n): kind for n in range(first, first + size)})
        first += size
    return cases


def case_plans(settings: Settings) -> Iterator[CasePlan]:
    """Every case of the programme, county by county, one at a time."""
    people = People(settings.seed)
    irregular = irregular_cases(settings)
    index = 0
    for county, count in zip(COUNTIES, county_counts(settings.households), strict=True):
        for n in range(count):
            rng = random.Random(f"{settings.seed}/{county.code}/{n}")
            village = county.village(n % TOWNSHIPS, n % VILLAGES)
            plain = county.code == TARGET_COUNTY and FIRST <= n + 1 <= LAST
            plan = CasePlan(
                case_ref=case_ref(county.code, n + 1), programme_id=PROGRAMME, village=village,
                household=people.household(county.code, 2022, size=3 if plain else None,
                                           index=index),
                category=rng.choice(SIX_CATEGORIES), mode=_mode(rng),
                applied_on=date(2022, 3, 1) + timedelta(days=rng.randint(0, 60)),
                stop_after="closed", rng=rng, variant=_variant(rng),
                team=n // TOWNSHIPS // TEAM_CASES,
            )
            if rng.random() < 0.03:
                plan.stop_after = "under_construction"  # still being built at year end
            if plain:
                _make_plain(plan)
                if plan.case_ref in irregular:
                    _inject(plan, irregular[plan.case_ref], people, index)
            yield plan
            index += 1


def _make_plain(plan: CasePlan) -> None:
    """The irregular cases and their partners run the ordinary course apart from their quirk."""
    plan.variant, plan.stop_after = "normal", "closed"
    plan.mode = RenovationMode.REBUILD_IN_PLACE


def _inject(plan: CasePlan, kind: str, people: People, index: int) -> None:
    """Give the case its irregularity; its partner is the case just before it in the list."""
    partner = people.household(TARGET_COUNTY, 2022, index=index - 1)
    household = plan.household
    if kind == "shared_account":
        household["account"] = dict(partner["account"])
    elif kind == "shared_phone":
        household["phone"] = partner["phone"]
    elif kind == "split_household":
        partner = people.household(TARGET_COUNTY, 2022, size=3, index=index - 1)
        moved = partner["members"][0]
        household["head"] = {"name": moved["name"], "id_number": moved["id_number"]}
    elif kind == "reused_photo":
        plan.photo_of = case_ref(TARGET_COUNTY, int(plan.case_ref[-5:]) - 1)
    elif kind == "over_area":
        household["members"], household["size"] = household["members"][:1], 2
    elif kind == "unpaid_overdue":
        plan.stop_after = "accepted"
    elif kind == "proxy_signing":
        plan.applied_on, plan.village = date(2022, 3, 15), f"{TARGET_COUNTY}101201"
    elif kind == "applications_exceed_survey":  # the village of case 63, and no survey
        plan.village = SURVEY_VILLAGE
    plan.quirks = frozenset({kind})


def _mode(rng: random.Random) -> RenovationMode:
    roll = rng.random()
    if roll < 0.55:
        return RenovationMode.REBUILD_IN_PLACE
    return RenovationMode.REINFORCE if roll < 0.90 else RenovationMode.RELOCATE


def _variant(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.05:
        return "returned"
    if roll < 0.07:
        return "rejected"
    return "withdrawn" if roll < 0.08 else "normal"
