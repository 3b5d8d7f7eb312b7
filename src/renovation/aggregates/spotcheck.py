"""SpotCheckDraw — 市级抽查抽签: one recorded draw of one county's accepted houses, per round.

The draw's single event carries every input of the selection (the published seed, the ratio,
the algorithm version, the whole population with each case's township) beside its outcome, so
anyone can recompute it from the event alone. Its id is derived from programme, county and
round: a round is drawn once, and drawing again means a new round.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import CanInitAggregate, event
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from renovation.aggregates.base import Actor, Aggregate, AggregateEvent
from renovation.kernel.jurisdiction import DivisionCode
from renovation.kernel.types import INTEGRAL, Reference

SPOTCHECK_NAMESPACE = uuid5(NAMESPACE_URL, "urn:renovation:spot-check-draw")

HexDigest = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
SeedHex = Annotated[str, StringConstraints(pattern=r"^(?:[0-9a-f]{2}){16,128}$")]
RatioText = Annotated[str, StringConstraints(pattern=r"^[0-9]+(?:\.[0-9]+)?(?:/[0-9]+)?$",
                                             max_length=40)]
Round = Annotated[int, Field(strict=True, ge=1, le=1000), INTEGRAL]


def spot_check_draw_id(programme: str, county: str, round: int) -> UUID:
    return uuid5(SPOTCHECK_NAMESPACE, f"{programme}/{county}/{round}")


def draw_reference(programme: str, county: str, round: int) -> str:
    """What a case's CitySpotCheckRecorded names as its `draw_ref`: SC/<programme>/<county6>/<n>."""
    return f"SC/{programme}/{county[:6]}/{round}"


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PopulationCase(_Value):
    """One accepted case the draw was made from, and the township it counts in."""

    case_ref: Reference
    township: DivisionCode


class TownshipCount(_Value):
    """One township: cases it accepted, cases drawn (⌈ratio × accepted⌉)."""

    township: DivisionCode
    accepted: Annotated[int, Field(strict=True, ge=1), INTEGRAL]
    drawn: Annotated[int, Field(strict=True, ge=1), INTEGRAL]


class SpotCheckEvent(AggregateEvent):
    """Base of the draw's events."""


class SpotCheckDrawn(SpotCheckEvent, CanInitAggregate[UUID]):
    """抽签 — the city drew the houses it will check in one county."""

    TOPIC: ClassVar[str] = "renovation.spotcheck:SpotCheckDrawn"
    originator_topic: str
    draw_ref: Reference
    programme: Reference
    county: DivisionCode
    round: Round
    ratio: RatioText
    seed_hex: SeedHex
    algorithm: Annotated[int, Field(strict=True, ge=1), INTEGRAL]
    population: tuple[PopulationCase, ...] = Field(min_length=1)
    population_digest: HexDigest
    draw_seed: HexDigest
    selected: tuple[Reference, ...] = Field(min_length=1)
    townships: tuple[TownshipCount, ...] = Field(min_length=1)


class SpotCheckDraw(Aggregate):
    """市级抽查抽签 of one county in one round."""

    TOPIC = "renovation.spotcheck:SpotCheckDraw"
    Event = SpotCheckEvent
    SpotCheckDrawn = SpotCheckDrawn

    @staticmethod
    def create_id(programme: str, county: str, round: int, **_: object) -> UUID:
        return spot_check_draw_id(programme, county, round)

    @event(SpotCheckDrawn)
    def __init__(
        self, draw_ref: str, programme: str, county: str, round: int,
        ratio: str, seed_hex: str, algorithm: int, population: tuple[PopulationCase, ...],
        population_digest: str, draw_seed: str, selected: tuple[str, ...],
        townships: tuple[TownshipCount, ...], actor: Actor, occurred_on: date,
    ) -> None:
        self.draw_ref, self.programme, self.county, self.round = draw_ref, programme, county, round
        self.ratio, self.seed_hex, self.algorithm = ratio, seed_hex, algorithm
        self.population = tuple(population)
        self.population_digest, self.draw_seed = population_digest, draw_seed
        self.selected, self.townships = tuple(selected), tuple(townships)
        self.drawn_on, self.drawn_by = occurred_on, actor.id
