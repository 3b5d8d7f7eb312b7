"""市级抽查 — drawing the accepted houses the city will check, and re-verifying a recorded draw.

Thin: authorise, read the county's accepted cases from the read model (through `AcceptedCases`),
let `spotcheck.draw` select, save the draw as one event. Verification recomputes the selection
from the recorded inputs and compares the recorded population with the cases the read model
shows accepted up to the draw's position in the log.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from fractions import Fraction
from typing import Any, Protocol
from uuid import UUID

from renovation.aggregates.spotcheck import SpotCheckDraw, draw_reference, spot_check_draw_id
from renovation.application.pipeline import Pipeline
from renovation.application.principal import Principal
from renovation.application.programmes import ProgrammeCatalog
from renovation.application.unit_of_work import UnitOfWork
from renovation.audit.records import read_records
from renovation.kernel.errors import InvalidInputError, RuleViolation
from renovation.kernel.jurisdiction import covers
from renovation.spotcheck import (
    ALGORITHM_VERSION,
    county_code,
    draw,
    parse_ratio,
    quota,
    ratio_text,
    seed_bytes,
)
from renovation.spotcheck.draw import RatioInput

ACTION = "draw_spot_check"


class AcceptedCases(Protocol):
    """Where the accepted cases come from (the read model; a fake in tests)."""

    def accepted(
        self, programme: str, county: str, up_to: int | None = None
    ) -> Iterable[tuple[str, str]]:
        """(case ref, township) of each case of the county whose passed county acceptance was
        recorded (at a log position ≤ `up_to` when given)."""
        ...

    def position(self) -> int:
        """The log position the cases have been read up to."""
        ...


class RoundAlreadyDrawnError(RuleViolation):
    """This round of the county was drawn before; a new draw is a new round."""


class DrawNotFoundError(RuleViolation):
    """No draw was recorded for this programme, county and round."""


class ReadModelBehindError(RuleViolation):
    """The read model has not yet read the log up to the draw being verified."""


@dataclass(frozen=True)
class RecordedDraw:
    """A draw as recorded, with its position in the log."""

    draw_id: UUID
    draw_ref: str
    programme: str
    county: str
    round: int
    ratio: str
    seed_hex: str
    algorithm: int
    population: int
    population_digest: str
    draw_seed: str
    required: int
    selected: tuple[str, ...]
    townships: tuple[dict[str, Any], ...]
    drawn_on: date
    drawn_by: str
    position: int

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(draw_id=str(self.draw_id), drawn_on=self.drawn_on.isoformat(),
                    selected=list(self.selected), townships=list(self.townships))
        return data


@dataclass(frozen=True)
class Mismatch:
    """One way a recorded draw disagrees with its recomputation or with the read model."""

    kind: str
    message: str
    refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Verification:
    """The outcome of re-verifying a draw: ok when nothing disagrees."""

    draw: RecordedDraw
    seed_hex: str
    mismatches: tuple[Mismatch, ...]

    @property
    def ok(self) -> bool:
        return not self.mismatches

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "draw_ref": self.draw.draw_ref, "programme": self.draw.programme,
                "county": self.draw.county, "round": self.draw.round,
                "position": self.draw.position, "seed_hex": self.seed_hex,
                "selected": len(self.draw.selected), "population": self.draw.population,
                "mismatches": [{"kind": m.kind, "message": m.message, "refs": list(m.refs)}
                               for m in self.mismatches]}


class SpotCheckService:
    """Draws and verifies the city's spot checks."""

    def __init__(self, pipeline: Pipeline, cases: AcceptedCases) -> None:
        self.pipeline, self.app, self.cases = pipeline, pipeline.app, cases
        self.programmes = ProgrammeCatalog(pipeline.app)

    def draw(
        self, principal: Principal, programme: str, county: str, seed_hex: str,
        occurred_on: date | None = None, ratio: RatioInput | None = None, round: int = 1,
    ) -> RecordedDraw:
        """Draw and record round `round` of the county; refused (nothing written) if unusable."""
        county = county_code(county)
        today = self.pipeline.today()
        on = occurred_on or today
        if on > today:
            raise InvalidInputError("dates.not_in_future", "occurred_on", on,
                                    f"business date {on} is after today ({today})")
        actor = self.pipeline.acting(principal, ACTION, county, on)
        opened = self.programmes.programme(programme)
        if not covers(opened.jurisdiction, county):
            raise InvalidInputError(
                "spotcheck.county_in_programme", "county", county,
                f"county {county} lies outside programme {programme} ({opened.jurisdiction})")
        minimum = self.programmes.policy_for(programme).acceptance.city_spot_check_min_ratio
        ratio = minimum if ratio is None else ratio
        if parse_ratio(ratio) < Fraction(minimum):
            raise InvalidInputError(
                "spotcheck.ratio_at_least_policy", "ratio", ratio,
                f"the policy of {programme} asks the city to check at least {minimum}")
        seed_bytes(seed_hex)
        if isinstance(round, bool) or not isinstance(round, int) or round < 1:
            raise InvalidInputError("spotcheck.round", "round", round,
                                    "rounds are numbered from 1")
        draw_id = spot_check_draw_id(programme, county, round)

        def decide(uow: UnitOfWork) -> SpotCheckDraw:
            if uow.find(draw_id, SpotCheckDraw) is not None:
                raise _drawn(programme, county, round)
            made = draw(programme, county, ratio, seed_hex,
                        self.cases.accepted(programme, county))
            recorded = SpotCheckDraw(
                draw_ref=draw_reference(programme, county, round), programme=programme,
                county=county, round=round, ratio=ratio_text(ratio), seed_hex=made.seed_hex,
                algorithm=made.algorithm,
                population=tuple({"case_ref": r, "township": t} for r, t in made.population),
                population_digest=made.population_digest, draw_seed=made.draw_seed,
                selected=made.selected,
                townships=tuple({"township": t.township, "accepted": t.accepted,
                                 "drawn": t.drawn} for t in made.townships),
                actor=actor, occurred_on=on,
            )
            uow.add(recorded)
            return recorded

        done = self.pipeline.record("spotcheck.drawn", decide,
                                    collided=lambda: _drawn(programme, county, round))
        assert done.position is not None
        return _recorded(done.value, done.position)

    def load(self, programme: str, county: str, round: int = 1) -> RecordedDraw:
        """The recorded draw, or DrawNotFoundError."""
        county = county_code(county)
        draw_id = spot_check_draw_id(programme, county, round)
        found = self.app.find(draw_id, SpotCheckDraw)
        if found is None:
            raise DrawNotFoundError(
                "spotcheck.draw_exists", "round", round,
                f"no spot-check draw of {programme} in county {county}, round {round}")
        return _recorded(found, read_records(self.app, draw_id)[0].position)

    def verify(
        self, programme: str, county: str, round: int = 1, seed_hex: str | None = None
    ) -> Verification:
        """Recompute the draw from its recorded inputs (or the given seed) and compare."""
        recorded = self.load(programme, county, round)
        found = self.app.find(recorded.draw_id, SpotCheckDraw)
        assert found is not None
        seed = recorded.seed_hex if seed_hex is None else seed_bytes(seed_hex).hex()
        mismatches = []
        if seed != recorded.seed_hex:
            mismatches.append(Mismatch("seed_differs", f"the published seed {seed} is not the"
                                       f" recorded seed {recorded.seed_hex}"))
        population = [(c.case_ref, c.township) for c in found.population]
        mismatches += _recomputed(found, seed, population)
        if self.cases.position() < recorded.position:
            raise ReadModelBehindError(
                "spotcheck.read_model_current", "position", self.cases.position(),
                f"the read model has read the log to {self.cases.position()}; the draw is at"
                f" {recorded.position}: catch the read models up first")
        accepted = dict(self.cases.accepted(programme, recorded.county, recorded.position))
        mismatches += _against_accepted(dict(population), accepted)
        return Verification(recorded, seed, tuple(mismatches))


def _drawn(programme: str, county: str, round: int) -> RoundAlreadyDrawnError:
    return RoundAlreadyDrawnError(
        "spotcheck.round_already_drawn", "round", round,
        f"round {round} of county {county} in {programme} was already drawn;"
        " draw again as a new round")


def _recorded(found: SpotCheckDraw, position: int) -> RecordedDraw:
    return RecordedDraw(
        draw_id=found.id, draw_ref=found.draw_ref, programme=found.programme,
        county=found.county, round=found.round, ratio=found.ratio, seed_hex=found.seed_hex,
        algorithm=found.algorithm, population=len(found.population),
        population_digest=found.population_digest, draw_seed=found.draw_seed,
        required=quota(parse_ratio(found.ratio), len(found.population)),
        selected=found.selected,
        townships=tuple(t.model_dump() for t in found.townships),
        drawn_on=found.drawn_on, drawn_by=found.drawn_by, position=position,
    )


def _recomputed(
    found: SpotCheckDraw, seed: str, population: list[tuple[str, str]]
) -> list[Mismatch]:
    if found.algorithm != ALGORITHM_VERSION:
        return [Mismatch("algorithm_unknown", f"algorithm version {found.algorithm} is not"
                         f" known here (version {ALGORITHM_VERSION} is)")]
    try:
        again = draw(found.programme, found.county, found.ratio, seed, population)
    except RuleViolation as error:
        return [Mismatch("inputs_invalid", error.message)]
    out = []
    if again.population_digest != found.population_digest:
        out.append(Mismatch("population_digest_differs", "the recorded population hashes to"
                            f" {again.population_digest}, not {found.population_digest}"))
    if again.draw_seed != found.draw_seed:
        out.append(Mismatch("draw_seed_differs", f"the draw seed recomputes to {again.draw_seed},"
                            f" not {found.draw_seed}"))
    if again.selected != found.selected:
        differ = tuple(sorted(set(again.selected) ^ set(found.selected)))
        out.append(Mismatch("selection_differs", "the recomputed selection differs from the"
                            f" recorded one in {len(differ)} cases", differ))
    counts = tuple((t.township, t.accepted, t.drawn) for t in again.townships)
    if counts != tuple((t.township, t.accepted, t.drawn) for t in found.townships):
        out.append(Mismatch("township_counts_differ", "the recorded per-township counts are not"
                            " those of the population"))
    return out


def _against_accepted(population: dict[str, str], accepted: dict[str, str]) -> list[Mismatch]:
    out = []
    missing = tuple(sorted(set(accepted) - set(population)))
    if missing:
        out.append(Mismatch("accepted_case_missing", f"{len(missing)} cases accepted before the"
                            " draw are missing from its population", missing))
    extra = tuple(sorted(set(population) - set(accepted)))
    if extra:
        out.append(Mismatch("case_not_accepted", f"{len(extra)} cases of the population had no"
                            " passed county acceptance recorded before the draw", extra))
    moved = tuple(sorted(ref for ref in set(population) & set(accepted)
                         if population[ref] != accepted[ref]))
    if moved:
        out.append(Mismatch("township_differs", f"{len(moved)} cases are counted in another"
                            " township than their village's", moved))
    return out
