"""Rules for validating bank accounts, phone numbers and names at the edge."""

from __future__ import annotations

import pytest
from stdnum import luhn

from renovation.identity import validate_bank_account, validate_person_name, validate_phone
from renovation.kernel.errors import InvalidInputError


def assert_not_leaked(error: InvalidInputError, plaintext: str) -> None:
    assert plaintext not in str(error)
    assert plaintext not in repr(error.to_dict())
    assert plaintext not in str(error.value)


def card_number(prefix: str = "622202100112345678") -> str:
    return prefix + luhn.calc_check_digit(prefix)


def test_a_bank_card_that_passes_luhn_is_accepted_without_separators() -> None:
    card = card_number()
    spaced = f"{card[:4]} {card[4:8]}-{card[8:12]} {card[12:]}"
    assert validate_bank_account(spaced, "card", "payload.account") == card


def test_a_bank_card_that_fails_luhn_is_rejected_and_masked() -> None:
    card = card_number()
    wrong = card[:-1] + str((int(card[-1]) + 1) % 10)
    with pytest.raises(InvalidInputError) as caught:
        validate_bank_account(wrong, "card", "payload.account")
    assert caught.value.rule == "identity.bank_account.luhn"
    assert caught.value.value == "****" + wrong[-4:]
    assert_not_leaked(caught.value, wrong)


@pytest.mark.parametrize("raw", ["622202100112345", "62220210011234567890", "6222021001abcd5678"])
def test_a_bank_card_of_the_wrong_shape_is_rejected(raw: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        validate_bank_account(raw, "card", "payload.account")
    assert caught.value.rule == "identity.bank_account.format"
    assert_not_leaked(caught.value, raw)


def test_a_passbook_account_is_accepted_without_a_luhn_check() -> None:
    assert validate_bank_account("4503-2100-1234", "passbook", "f") == "450321001234"
    assert validate_bank_account("12345678", "passbook", "f") == "12345678"


@pytest.mark.parametrize("raw", ["1234567", "1" + "2" * 30, "1234 567a"])
def test_a_passbook_account_of_the_wrong_shape_is_rejected(raw: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        validate_bank_account(raw, "passbook", "f")
    assert caught.value.rule == "identity.bank_account.format"


def test_an_all_zero_account_is_a_placeholder_even_though_it_passes_luhn() -> None:
    with pytest.raises(InvalidInputError) as caught:
        validate_bank_account("0000000000000000", "card", "f")
    assert caught.value.rule == "identity.bank_account.placeholder"


def test_an_unknown_account_kind_is_rejected_without_echoing_digits() -> None:
    with pytest.raises(InvalidInputError) as caught:
        validate_bank_account("12345678", "savings", "f")
    assert caught.value.rule == "identity.bank_account.kind"
    assert caught.value.value == "savings"
    card = card_number()
    with pytest.raises(InvalidInputError) as caught:
        validate_bank_account("card", card, "f")
    assert_not_leaked(caught.value, card)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("199-1234-5678", "19912345678"),
        ("0771-1234567", "0771-1234567"),
        ("07711234567", "0771-1234567"),
        ("010-12345678", "010-12345678"),
        ("01012345678", "010-12345678"),
        ("02112345678", "021-12345678"),
        ("0773 2345678", "0773-2345678"),
    ],
)
def test_mobile_and_landline_numbers_are_accepted_and_normalised(raw: str, expected: str) -> None:
    assert validate_phone(raw, "payload.phone") == expected


@pytest.mark.parametrize(
    "raw",
    [
        "12812345678",
        "1381234567",
        "138123456789",
        "0771-123456",
        "0771-123456789",
        "0101-2345678",
        "0012345678",
        "771-1234567",
        "phone",
        "",
    ],
)
def test_a_malformed_phone_number_is_rejected(raw: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        validate_phone(raw, "payload.phone")
    assert caught.value.rule == "identity.phone.format"
    assert caught.value.field == "payload.phone"
    if len(raw) >= 8:
        assert_not_leaked(caught.value, raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("张三", "张三"),
        ("  欧阳 ", "欧阳"),
        ("买买提·艾力", "买买提·艾力"),
        ("买买提•艾力", "买买提·艾力"),
        ("Anna Maria  Smith", "Anna Maria Smith"),
        ("José·García", "José·García"),
        ("王", "王"),
    ],
)
def test_names_of_letters_and_middle_dots_are_accepted(raw: str, expected: str) -> None:
    assert validate_person_name(raw, "f") == expected


def test_a_tibetan_name_with_vowel_marks_is_accepted() -> None:
    assert validate_person_name("ཚེརིང", "f") == "ཚེརིང"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "张3",
        "张三!",
        "·张三",
        "张三·",
        "买买提··艾力",
        "张 三",
        "王" * 31,
        "A-B",
        "O'Neil",
    ],
)
def test_a_malformed_name_is_rejected_with_a_masked_value(raw: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        validate_person_name(raw, "payload.head.name")
    assert caught.value.rule == "identity.name.format"
    if len(raw.strip()) >= 2:
        assert raw.strip() not in str(caught.value)
