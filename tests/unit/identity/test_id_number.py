"""Rules for validating 居民身份证号 (resident ID card numbers) at the edge."""

from __future__ import annotations

from datetime import date

import pytest
from stdnum.cn import ric

from renovation.identity import validate_id_number
from renovation.kernel.errors import InvalidInputError

FIELD = "payload.household.head.id_number"


def make_id(region: str = "450321", born: str = "19850612", seq: str = "123") -> str:
    body = region + born + seq
    return body + ric.calc_check_digit(body + "0")


def with_wrong_check_digit(number: str) -> str:
    wrong = "0" if number[-1] != "0" else "1"
    return number[:-1] + wrong


def assert_not_leaked(error: InvalidInputError, plaintext: str) -> None:
    assert plaintext not in str(error)
    assert plaintext not in repr(error.to_dict())
    assert plaintext not in str(error.value)


def test_a_valid_id_number_is_accepted_and_returned_normalised() -> None:
    number = make_id("110101", "19900101", "123")
    assert validate_id_number(number, FIELD) == number
    assert validate_id_number(f" {number[:6]} {number[6:14]} {number[14:]} ", FIELD) == number


def test_a_lower_case_x_check_digit_is_normalised_to_upper_case() -> None:
    seq = next(s for s in range(1000) if make_id(seq=f"{s:03d}").endswith("X"))
    number = make_id(seq=f"{seq:03d}")
    assert validate_id_number(number[:-1] + "x", FIELD) == number


def test_full_width_digits_are_normalised() -> None:
    number = make_id()
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in number)
    assert validate_id_number(full_width, FIELD) == number


def test_an_id_number_with_a_wrong_check_digit_is_rejected() -> None:
    wrong = with_wrong_check_digit(make_id())
    with pytest.raises(InvalidInputError) as caught:
        validate_id_number(wrong, FIELD)
    assert caught.value.rule == "identity.id_number.check_digit"
    assert caught.value.field == FIELD
    assert "check digit" in caught.value.message


def test_an_id_number_with_an_impossible_birth_date_is_rejected() -> None:
    with pytest.raises(InvalidInputError) as caught:
        validate_id_number(make_id(born="19900231"), FIELD)
    assert caught.value.rule == "identity.id_number.birth_date"


def test_an_id_number_born_in_the_future_is_rejected() -> None:
    number = make_id(born="20300101")
    with pytest.raises(InvalidInputError) as caught:
        validate_id_number(number, FIELD, today=date(2025, 1, 1))
    assert caught.value.rule == "identity.id_number.birth_date"
    assert "future" in caught.value.message
    assert validate_id_number(number, FIELD, today=date(2030, 1, 1)) == number


def test_an_id_number_born_before_1900_is_rejected() -> None:
    with pytest.raises(InvalidInputError) as caught:
        validate_id_number(make_id(born="18991231"), FIELD)
    assert caught.value.rule == "identity.id_number.birth_date"


def test_an_elderly_villager_of_a_renumbered_county_keeps_a_valid_number() -> None:
    # 灵川县 has carried 450323 only since 1998; a man born in 1950 there holds that code.
    number = make_id("450323", "19500312", "001")
    assert validate_id_number(number, FIELD) == number


def test_an_id_number_with_an_unknown_region_is_rejected() -> None:
    with pytest.raises(InvalidInputError) as caught:
        validate_id_number(make_id(region="999999"), FIELD)
    assert caught.value.rule == "identity.id_number.region"


@pytest.mark.parametrize(
    "number",
    ["111111111111111111", "000000000000000000", "11111111111111111X", "222222222222222221"],
)
def test_a_placeholder_id_number_is_rejected(number: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        validate_id_number(number, FIELD)
    assert caught.value.rule == "identity.id_number.placeholder"


@pytest.mark.parametrize(
    "raw",
    ["450321850612123", "45032119850612123", "4503211985061212345", "45032119850612123Y", ""],
)
def test_an_id_number_not_of_18_characters_is_rejected(raw: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        validate_id_number(raw, FIELD)
    assert caught.value.rule == "identity.id_number.format"


def test_the_error_value_is_the_masked_id_number_never_the_full_number() -> None:
    number = with_wrong_check_digit(make_id())
    with pytest.raises(InvalidInputError) as caught:
        validate_id_number(number, FIELD)
    assert caught.value.value == f"{number[:6]}********{number[-4:]}"
    assert_not_leaked(caught.value, number)


@pytest.mark.parametrize(
    "number",
    [make_id(region="999999"), make_id(born="19900231"), "450321850612123", "111111111111111111"],
)
def test_no_id_number_error_carries_the_full_number(number: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        validate_id_number(number, FIELD)
    assert_not_leaked(caught.value, number)
