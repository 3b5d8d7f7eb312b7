"""抽签 — which accepted houses the city checks: a pure, versioned, re-implementable draw.

Algorithm version 1. Inputs: the programme id, the county's 12-digit division code, the ratio
r (0 < r ≤ 1, exact), a seed published before the draw (hex, at least 128 bits), and the
population: every case the county accepted (县级验收通过), each with its township's code.

1. Population. Case references are sorted by Unicode code point (for UTF-8 text this is also
   byte order); references are unique.

       population_digest = SHA-256( UTF-8( ref_1 + "\\n" + ref_2 + ... + "\\n" + ref_N ) )

   — the sorted references joined by a single line feed (0x0A), no trailing line feed.

2. Draw seed. Byte for byte, with no separators or length prefixes:

       draw_seed = SHA-256( seed ‖ population_digest ‖ UTF-8(programme) ‖ ASCII(county) )

   where `seed` is `bytes.fromhex(seed_hex)` (16 bytes or more), `population_digest` the 32
   raw bytes of step 1 and `county` exactly 12 ASCII digits.

3. Strata. Cases are grouped by township code, townships taken in ascending code order. A
   township with n_t accepted cases gets the quota q_t = ⌈r × n_t⌉, computed exactly
   (r as a fraction p/d: q_t = ⌈p × n_t / d⌉), so every township with a case gets at least one.

4. Ranking. Within a township each case gets the key

       key(ref) = HMAC-SHA256( key = draw_seed, message = UTF-8(ref) )

   compared as 32-byte unsigned big-endian numbers (equivalently, as lowercase hex strings);
   the q_t cases with the smallest keys are selected (a tie, which SHA-256 makes practically
   impossible, goes to the smaller reference).

Since ⌈r × n_1⌉ + … + ⌈r × n_k⌉ ≥ ⌈r × N⌉, the draw selects at least ⌈r × N⌉ of the N cases
(asserted). The selection is reported sorted by reference. Nothing here reads a clock, a random
source or a database: the same inputs always give the same selection.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from renovation.kernel.errors import InvalidInputError
from renovation.kernel.jurisdiction import Level, check_code, covers, level_of

ALGORITHM_VERSION = 1
MIN_SEED_HEX = 32
"""At least 128 bits of published seed."""
MAX_SEED_HEX = 256
_HEX = re.compile(r"^[0-9a-f]+$")

RatioInput = Decimal | Fraction | str | int


class SpotCheckInputError(InvalidInputError):
    """An input of the draw is unusable: seed, ratio, county or population."""


@dataclass(frozen=True)
class TownshipDraw:
    """One stratum: a township, the cases it accepted, how many were drawn."""

    township: str
    accepted: int
    drawn: int


@dataclass(frozen=True)
class Draw:
    """The outcome of a draw, with every input needed to recompute it."""

    algorithm: int
    programme: str
    county: str
    ratio: Fraction
    seed_hex: str
    population: tuple[tuple[str, str], ...]
    """(case reference, township code), sorted by reference."""
    population_digest: str
    draw_seed: str
    selected: tuple[str, ...]
    townships: tuple[TownshipDraw, ...]

    @property
    def required(self) -> int:
        """⌈r × N⌉: the fewest cases the ratio demands of the whole county."""
        return quota(self.ratio, len(self.population))


def parse_ratio(value: RatioInput) -> Fraction:
    """The ratio as an exact fraction, 0 < r ≤ 1; "0.10", "1/10", Decimal or Fraction."""
    if isinstance(value, bool | float):
        raise SpotCheckInputError("spotcheck.ratio", "ratio", value,
                                  "give the ratio exactly (a decimal string or a fraction)")
    try:
        ratio = Fraction(value.strip() if isinstance(value, str) else value)
    except (ValueError, TypeError, ZeroDivisionError, ArithmeticError):
        raise SpotCheckInputError("spotcheck.ratio", "ratio", value,
                                  f"ratio {value!r} is not a number such as 0.10") from None
    if not 0 < ratio <= 1:
        raise SpotCheckInputError("spotcheck.ratio", "ratio", value,
                                  f"the ratio must be above 0 and at most 1, got {value}")
    return ratio


def ratio_text(value: RatioInput) -> str:
    """How a ratio is recorded: as given (decimal or p/q), parseable by `parse_ratio`."""
    parse_ratio(value)
    return value.strip() if isinstance(value, str) else str(value)


def seed_bytes(seed_hex: str) -> bytes:
    """The published seed; at least 32 hex digits (128 bits), an even number of them."""
    text = seed_hex.strip().lower() if isinstance(seed_hex, str) else ""
    if not _HEX.match(text) or len(text) % 2:
        raise SpotCheckInputError("spotcheck.seed_hex", "seed_hex", seed_hex,
                                  "the seed must be hexadecimal digits, two per byte")
    if not MIN_SEED_HEX <= len(text) <= MAX_SEED_HEX:
        raise SpotCheckInputError(
            "spotcheck.seed_hex", "seed_hex", seed_hex,
            f"the seed must have {MIN_SEED_HEX} to {MAX_SEED_HEX} hex digits"
            f" (128 bits or more); it has {len(text)}")
    return bytes.fromhex(text)


def county_code(county: str) -> str:
    """`county` if it is the 12-digit code of a county-level division."""
    try:
        check_code(county)
        if level_of(county) is Level.COUNTY:
            return county
    except ValueError:
        pass
    raise SpotCheckInputError("spotcheck.county_code", "county", county,
                              f"{county!r} is not the 12-digit code of a county")


def population_digest(sorted_refs: Iterable[str]) -> bytes:
    """Step 1: SHA-256 of the sorted references joined by line feeds."""
    return hashlib.sha256("\n".join(sorted_refs).encode()).digest()


def draw_seed(seed: bytes, digest: bytes, programme: str, county: str) -> bytes:
    """Step 2: SHA-256(seed ‖ population digest ‖ programme ‖ county)."""
    return hashlib.sha256(seed + digest + programme.encode() + county.encode("ascii")).digest()


def quota(ratio: Fraction, n: int) -> int:
    """Step 3: ⌈ratio × n⌉ in integers."""
    return -(-ratio.numerator * n // ratio.denominator)


def rank(key: bytes, case_ref: str) -> bytes:
    """Step 4: the sort key of a case, HMAC-SHA256 under the draw seed."""
    return hmac.new(key, case_ref.encode(), hashlib.sha256).digest()


def draw(
    programme: str, county: str, ratio: RatioInput, seed_hex: str,
    population: Iterable[tuple[str, str]],
) -> Draw:
    """Draw at least ⌈ratio × n_t⌉ cases in every township (algorithm version 1)."""
    county = county_code(county)
    fraction = parse_ratio(ratio)
    seed = seed_bytes(seed_hex)
    if not programme:
        raise SpotCheckInputError("spotcheck.programme", "programme", programme,
                                  "the draw needs a programme id")
    cases = _checked_population(county, population)
    digest = population_digest(ref for ref, _ in cases)
    key = draw_seed(seed, digest, programme, county)
    strata: dict[str, list[str]] = defaultdict(list)
    for ref, township in cases:
        strata[township].append(ref)
    selected: list[str] = []
    townships = []
    for township in sorted(strata):
        refs = strata[township]
        take = quota(fraction, len(refs))
        selected += sorted(refs, key=lambda ref: (rank(key, ref), ref))[:take]
        townships.append(TownshipDraw(township, len(refs), take))
    assert len(selected) >= quota(fraction, len(cases)), "the sum of ceilings fell short"
    return Draw(
        algorithm=ALGORITHM_VERSION, programme=programme, county=county, ratio=fraction,
        seed_hex=seed.hex(), population=cases, population_digest=digest.hex(),
        draw_seed=key.hex(), selected=tuple(sorted(selected)), townships=tuple(townships),
    )


def _checked_population(
    county: str, population: Iterable[tuple[str, str]]
) -> tuple[tuple[str, str], ...]:
    cases = tuple(sorted((str(ref), str(township)) for ref, township in population))
    if not cases:
        raise SpotCheckInputError("spotcheck.population_empty", "population", county,
                                  f"county {county} has no accepted case to draw from")
    previous = None
    for ref, township in cases:
        if ref == previous:
            raise SpotCheckInputError("spotcheck.population_unique", "population", ref,
                                      f"case {ref} appears twice in the population")
        if not ref or "\n" in ref:
            raise SpotCheckInputError("spotcheck.case_ref", "population", ref,
                                      "a case reference is one non-empty line")
        if not _township_of(county, township):
            raise SpotCheckInputError(
                "spotcheck.township_in_county", "population", f"{ref}:{township}",
                f"case {ref}: {township!r} is not a township of county {county}")
        previous = ref
    return cases


def _township_of(county: str, code: str) -> bool:
    try:
        check_code(code)
    except ValueError:
        return False
    return level_of(code) is Level.TOWNSHIP and covers(county, code)
