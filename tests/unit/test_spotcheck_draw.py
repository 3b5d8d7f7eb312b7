"""The spot-check draw: deterministic, stratified by township, never below the ratio, and
re-implementable from its documented byte layout."""

from __future__ import annotations

import hashlib
import hmac
import random
import re
from decimal import Decimal
from fractions import Fraction
from math import ceil
from pathlib import Path
from typing import Any

import pytest

from renovation.kernel.errors import RuleViolation
from renovation.spotcheck import ALGORITHM_VERSION, SpotCheckInputError, draw, parse_ratio, quota

PROGRAMME = "guilin-2022"
COUNTY = "450321000000"
SEED = "5f" * 16
OTHER_SEED = "a0" * 32


def township(n: int) -> str:
    return f"450321{100 + n:03d}000"


def population(sizes: list[int]) -> list[tuple[str, str]]:
    """Cases numbered across the county, `sizes[i]` of them in township i."""
    cases, n = [], 0
    for t, size in enumerate(sizes):
        for _ in range(size):
            n += 1
            cases.append((f"450321-2022-{n:05d}", township(t)))
    return cases


def test_the_same_inputs_always_draw_the_same_cases() -> None:
    cases = population([12, 7, 30])
    first = draw(PROGRAMME, COUNTY, Decimal("0.10"), SEED, cases)
    shuffled = list(reversed(cases))
    assert draw(PROGRAMME, COUNTY, Decimal("0.10"), SEED.upper(), shuffled) == first
    assert first.algorithm == ALGORITHM_VERSION
    assert list(first.selected) == sorted(first.selected)


def test_another_seed_draws_other_cases() -> None:
    cases = population([40, 40])
    assert (draw(PROGRAMME, COUNTY, "0.10", SEED, cases).selected
            != draw(PROGRAMME, COUNTY, "0.10", OTHER_SEED, cases).selected)


def test_the_programme_and_the_population_are_part_of_the_draw_seed() -> None:
    cases = population([40, 40])
    base = draw(PROGRAMME, COUNTY, "0.10", SEED, cases)
    assert draw("guilin-2023", COUNTY, "0.10", SEED, cases).draw_seed != base.draw_seed
    assert draw(PROGRAMME, COUNTY, "0.10", SEED, cases[:-1]).draw_seed != base.draw_seed


def test_each_township_gets_at_least_its_ceiling_and_tiny_townships_get_one() -> None:
    made = draw(PROGRAMME, COUNTY, Decimal("0.10"), SEED, population([1, 2, 9, 10, 11, 25]))
    counts = {t.township: (t.accepted, t.drawn) for t in made.townships}
    assert counts == {township(0): (1, 1), township(1): (2, 1), township(2): (9, 1),
                      township(3): (10, 1), township(4): (11, 2), township(5): (25, 3)}
    drawn_in = {t: sum(1 for ref in made.selected if dict(made.population)[ref] == t)
                for t in counts}
    assert drawn_in == {t: drawn for t, (_, drawn) in counts.items()}


def test_the_draw_never_falls_below_the_ratio_whatever_the_sizes() -> None:
    rng = random.Random(2022)
    for trial in range(300):
        sizes = [rng.randint(1, 60) for _ in range(rng.randint(1, 9))]
        ratio = Fraction(rng.randint(1, 20), 20)
        cases = population(sizes)
        made = draw(PROGRAMME, COUNTY, ratio, f"{trial:032x}", cases)
        assert len(made.selected) >= ceil(ratio * len(cases)) == made.required
        assert len(set(made.selected)) == len(made.selected)
        assert set(made.selected) <= {ref for ref, _ in cases}
        for t, size in zip(made.townships, sizes, strict=True):
            assert t.accepted == size and t.drawn == -(-ratio.numerator * size
                                                        // ratio.denominator)


def test_a_ratio_of_one_draws_everything() -> None:
    cases = population([3, 4])
    assert draw(PROGRAMME, COUNTY, 1, SEED, cases).selected == tuple(r for r, _ in cases)


def test_an_outsider_recomputes_the_selection_from_the_documented_bytes() -> None:
    cases = population([5, 14])
    made = draw(PROGRAMME, COUNTY, "1/10", SEED, cases)
    refs = sorted(ref for ref, _ in cases)
    digest = hashlib.sha256("\n".join(refs).encode()).digest()
    key = hashlib.sha256(bytes.fromhex(SEED) + digest + PROGRAMME.encode() + COUNTY.encode())
    expected = []
    for t, size in ((township(0), 5), (township(1), 14)):
        ranked = sorted((hmac.new(key.digest(), ref.encode(), "sha256").hexdigest(), ref)
                        for ref, where in cases if where == t)
        expected += [ref for _, ref in ranked[: ceil(Fraction(1, 10) * size)]]
    assert (made.population_digest, made.draw_seed) == (digest.hex(), key.hexdigest())
    assert made.selected == tuple(sorted(expected))


@pytest.mark.parametrize("seed", ["", "5f" * 15, "zz" * 16, "5" * 33, None])
def test_a_seed_shorter_than_128_bits_or_not_hex_is_refused(seed: str) -> None:
    with pytest.raises(SpotCheckInputError) as refused:
        draw(PROGRAMME, COUNTY, "0.10", seed, population([3]))  # type: ignore[arg-type]
    assert (refused.value.rule, refused.value.field) == ("spotcheck.seed_hex", "seed_hex")


@pytest.mark.parametrize("ratio", ["0", "-0.1", "1.01", "abc", "1/0", 0.1, Decimal("NaN")])
def test_a_ratio_outside_zero_to_one_or_inexact_is_refused(ratio: object) -> None:
    with pytest.raises(SpotCheckInputError) as refused:
        draw(PROGRAMME, COUNTY, ratio, SEED, population([3]))  # type: ignore[arg-type]
    assert (refused.value.rule, refused.value.field) == ("spotcheck.ratio", "ratio")


def test_ratios_are_exact_fractions() -> None:
    assert parse_ratio("0.10") == parse_ratio(Decimal("0.1")) == Fraction(1, 10)
    assert quota(Fraction(1, 10), 10) == 1 and quota(Fraction(1, 10), 11) == 2
    assert quota(Fraction(3, 10), 10) == 3  # 0.3 × 10 in floats is 3.0000000000000004


@pytest.mark.parametrize(("county", "cases", "rule"), [
    ("450321100000", population([2]), "spotcheck.county_code"),
    ("4503210000", population([2]), "spotcheck.county_code"),
    (COUNTY, [], "spotcheck.population_empty"),
    (COUNTY, [("450321-2022-00001", township(0))] * 2, "spotcheck.population_unique"),
    (COUNTY, [("450321-2022-00001", "450322100000")], "spotcheck.township_in_county"),
    (COUNTY, [("450321-2022-00001", "450321100201")], "spotcheck.township_in_county"),
])
def test_a_county_that_is_not_one_or_a_bad_population_is_refused(
    county: str, cases: list[tuple[str, str]], rule: str
) -> None:
    with pytest.raises(RuleViolation) as refused:
        draw(PROGRAMME, county, "0.10", SEED, cases)
    assert refused.value.rule == rule


def test_the_test_vector_published_in_the_docs_holds() -> None:
    cases = [(f"450321-2022-{n:05d}", "450321100000" if n <= 8 else "450321101000")
             for n in range(1, 13)]
    made = draw(PROGRAMME, COUNTY, "0.10", "000102030405060708090a0b0c0d0e0f", cases)
    assert made.population_digest == (
        "e63b528a8cb94fc409a30627a32dc499551b29154c03e07ac658c58b836873d1")
    assert made.draw_seed == "2c6a552e11eca7fd474c57bfa8a2e4473cb77040e7ed0370c859eb6ed5636019"
    assert made.selected == ("450321-2022-00006", "450321-2022-00009")


def test_the_re_implementation_printed_in_the_docs_agrees_with_the_draw() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "spotcheck.md").read_text("utf-8")
    [sketch] = re.findall(r"```python\n(.*?)```", doc, re.DOTALL)
    namespace: dict[str, Any] = {}
    exec(sketch, namespace)  # the doc's own code, as an outsider would run it
    rng = random.Random(7)
    for _ in range(50):
        cases = population([rng.randint(1, 30) for _ in range(rng.randint(1, 6))])
        ratio = f"0.{rng.randint(1, 99):02d}"
        seed = f"{rng.getrandbits(128):032x}"
        expected = draw(PROGRAMME, COUNTY, ratio, seed, cases).selected
        assert tuple(namespace["spot_check"](PROGRAMME, COUNTY, ratio, seed, cases)) == expected
