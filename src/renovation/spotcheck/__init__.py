"""市级抽查 — the city's verifiable spot check of the houses each county accepted.

`draw` is the pure, versioned selection algorithm (documented in docs/spotcheck.md) that anyone
can re-implement from the published seed and the published list of accepted cases.
"""

from renovation.spotcheck.draw import (
    ALGORITHM_VERSION,
    MIN_SEED_HEX,
    Draw,
    SpotCheckInputError,
    TownshipDraw,
    county_code,
    draw,
    draw_seed,
    parse_ratio,
    population_digest,
    quota,
    rank,
    ratio_text,
    seed_bytes,
)

__all__ = [
    "ALGORITHM_VERSION",
    "MIN_SEED_HEX",
    "Draw",
    "SpotCheckInputError",
    "TownshipDraw",
    "county_code",
    "draw",
    "draw_seed",
    "parse_ratio",
    "population_digest",
    "quota",
    "rank",
    "ratio_text",
    "seed_bytes",
]


def __getattr__(name: str) -> object:
    """Stored topics read `renovation.spotcheck:SpotCheckDrawn`: a process that never imported
    the aggregate resolves them here, which imports it (and so registers its topics)."""
    if name in ("SpotCheckDraw", "SpotCheckDrawn"):
        from renovation.aggregates import spotcheck

        return getattr(spotcheck, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
