"""Rules for the masked display forms of personal data."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from renovation.identity import (
    mask_account,
    mask_id_number,
    mask_name,
    mask_phone,
    mask_unknown,
)

ODD_INPUTS = ["", " ", "a", "12", "·", "\x00", "🙂" * 3, "-", "0-", "0771-", "1" * 200]


def test_an_id_number_shows_the_first_six_and_last_four_characters() -> None:
    assert mask_id_number("45032119850612123X") == "450321********123X"


def test_an_old_fifteen_digit_id_number_is_masked_with_the_same_shape() -> None:
    assert mask_id_number("450321850612123") == "450321********2123"


@pytest.mark.parametrize("short", ["", "4503", "45032119850612"])
def test_a_too_short_id_number_is_fully_hidden(short: str) -> None:
    assert mask_id_number(short) == "***"


def test_an_account_shows_at_most_four_stars_and_the_last_four_digits() -> None:
    assert mask_account("6222021001123456789") == "****6789"
    assert mask_account("12345678") == "****5678"


@pytest.mark.parametrize("short", ["", "1", "1234", "1234567"])
def test_a_too_short_account_is_fully_hidden(short: str) -> None:
    assert mask_account(short) == "***"


def test_a_mobile_number_shows_the_first_three_and_last_four_digits() -> None:
    assert mask_phone("13812345678") == "138****5678"


def test_a_landline_shows_the_area_code_and_the_last_two_digits() -> None:
    assert mask_phone("0771-1234567") == "0771-****67"
    assert mask_phone("010-12345678") == "010-****78"
    assert mask_phone("01012345678") == "010-****78"


@pytest.mark.parametrize("odd", ["", "123", "138123", "phone", "0-12", "+8613812345678"])
def test_an_unrecognisable_phone_is_fully_hidden(odd: str) -> None:
    assert mask_phone(odd) == "***"


@pytest.mark.parametrize(
    ("name", "masked"),
    [("王", "*"), ("张三", "张*"), ("欧阳锋", "欧*锋"), ("买买提·艾力", "买****力"), ("", "***")],
)
def test_a_name_keeps_only_its_first_and_last_characters(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_unknown_values_are_three_stars() -> None:
    assert mask_unknown("anything") == "***"
    assert mask_unknown() == "***"


@pytest.mark.parametrize(
    "mask", [mask_id_number, mask_account, mask_phone, mask_name, mask_unknown]
)
@pytest.mark.parametrize("odd", ODD_INPUTS)
def test_every_mask_is_total(mask: Callable[[str], str], odd: str) -> None:
    assert isinstance(mask(odd), str)
    assert isinstance(mask(None), str)  # type: ignore[arg-type]
