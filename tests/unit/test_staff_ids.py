"""Staff ids have one canonical form; look-alikes from other scripts are refused, not folded."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renovation.kernel.staff import (
    StaffIdError,
    canonical_staff_id,
    identity_keys,
    same_person,
)

ID = "tw-450323100"


@pytest.mark.parametrize("variant", [
    "TW-450323100", " tw-450323100 ", "Tw-450323100\t", "ｔｗ－４５０３２３１００",  # full width
])
def test_case_width_and_surrounding_space_fold_into_one_id(variant: str) -> None:
    assert canonical_staff_id(variant) == ID


@pytest.mark.parametrize("look_alike", [
    "tw-45032З100",  # Cyrillic Ze for 3
    "tԝ-450323100",  # Cyrillic we for w
    "tw 450323100", "tw-4503\u200b23100", "", " ", "-tw", "t" * 65, "tw-4503\n1",
])
def test_look_alikes_inner_spaces_and_bad_shapes_are_refused(look_alike: str) -> None:
    with pytest.raises(StaffIdError):
        canonical_staff_id(look_alike)


def test_the_kelvin_sign_folds_like_the_letter_it_looks_like() -> None:
    # NFKC maps U+212A KELVIN SIGN to K: the same person, not a second id.
    assert canonical_staff_id("\u212a-1") == canonical_staff_id("k-1") == "k-1"


@given(st.text(max_size=30))
def test_a_canonical_id_is_its_own_canonical_form(raw: str) -> None:
    try:
        once = canonical_staff_id(raw)
    except StaffIdError:
        return
    assert canonical_staff_id(once) == once
    assert once.isascii() and once == once.strip().casefold()


@given(st.sampled_from([ID, "ap-450323", "pm-4503"]),
       st.lists(st.booleans(), min_size=12, max_size=12), st.sampled_from(["", " ", "\t", "　"]))
def test_any_case_and_padding_of_an_id_is_the_same_person(
    base: str, upper: list[bool], pad: str,
) -> None:
    variant = pad + "".join(c.upper() if u else c for c, u in zip(base, upper, strict=False))
    variant += base[len(upper):] + pad
    assert same_person(identity_keys(variant), identity_keys(base))


def test_two_accounts_with_one_id_number_are_one_person() -> None:
    assert same_person(identity_keys("a", "f" * 64), identity_keys("b", "f" * 64))
    assert not same_person(identity_keys("a", "f" * 64), identity_keys("b", "e" * 64))
    assert not same_person(identity_keys("a"), identity_keys("b"))
