"""校验 — validation of personal identifiers at the edge.

Each function returns the normalised value or raises `InvalidInputError`. The offending value
in an error is always masked: plaintext personal data never reaches logs or reject reports.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache

from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError
from stdnum.luhn import is_valid as luhn_is_valid

from renovation.identity.masking import (
    landline_area_code,
    mask_account,
    mask_id_number,
    mask_name,
    mask_phone,
    mask_unknown,
)
from renovation.kernel.errors import InvalidInputError

_CHINA_TZ = timezone(timedelta(hours=8))  # China Standard Time has no daylight saving
_EARLIEST_BIRTH_YEAR = 1900

_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_DIGITS = re.compile(r"[0-9]+")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"(0[1-9][0-9]{1,2})-?([0-9]{7,8})")
_WHITESPACE = re.compile(r"\s+")
# Middle-dot look-alikes that input methods produce for 间隔号 in minority and foreign names.
_DOT_VARIANTS = str.maketrans({"•": "·", "・": "·", "‧": "·", "∙": "·", "⋅": "·"})
_MIDDLE_DOT = "·"
_NAME_MAX = 30

ACCOUNT_KINDS = ("card", "passbook")


def _china_today() -> date:
    return datetime.now(_CHINA_TZ).date()


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def _compact(raw: str, drop: str = "") -> str:
    text = unicodedata.normalize("NFKC", raw if isinstance(raw, str) else "")
    text = _WHITESPACE.sub("", text)
    for ch in drop:
        text = text.replace(ch, "")
    return text


def validate_id_number(raw: str, field: str, *, today: date | None = None) -> str:
    """居民身份证号 (GB 11643): 18 characters, known region, real birth date, MOD 11-2 check."""
    number = _compact(raw)
    if number.endswith("x"):
        number = number[:-1] + "X"
    shown = mask_id_number(number)

    def reject(rule: str, message: str) -> InvalidInputError:
        return InvalidInputError(f"identity.id_number.{rule}", field, shown, message)

    if not _ID_SHAPE.fullmatch(number):
        raise reject(
            "format",
            "An ID card number must be 18 characters: 17 digits then a digit or X.",
        )
    if len(set(number[:17])) == 1:
        raise reject("placeholder", "The ID card number is a placeholder, not a real number.")
    try:
        born = ric.get_birth_date(number)
    except ValidationError:
        raise reject(
            "birth_date", "The birth date in the ID card number is not a calendar date."
        ) from None
    if born > (today or _china_today()):
        raise reject("birth_date", "The birth date in the ID card number is in the future.")
    if born.year < _EARLIEST_BIRTH_YEAR:
        raise reject(
            "birth_date",
            f"The birth date in the ID card number is before {_EARLIEST_BIRTH_YEAR}.",
        )
    if not _region_known(number[:6]):
        raise reject(
            "region",
            "The region code in the ID card number is not a known administrative division.",
        ) from None
    if number[-1] != ric.calc_check_digit(number):
        raise reject("check_digit", "The check digit of the ID card number is wrong.")
    return number


@lru_cache(maxsize=8192)  # a few thousand codes exist; the lookup was 14% of an online command
def _region_known(code: str) -> bool:
    """Whether the 6-digit address code was ever a county-level division.

    The code records where the person's household was registered when the number was
    allocated, not where they were born, so it is not checked against the birth year: an
    elderly villager of a county renumbered in 1998 carries the post-1998 code.
    """
    parts = dict(numdb.get("cn/loc").info(code))
    return len(code) == 6 and code[2:] in parts and "county" in parts[code[2:]]


def validate_bank_account(raw: str, kind: str, field: str) -> str:
    """银行账号: a bank card (银行卡, 16–19 digits, Luhn) or a passbook (存折, 8–30 digits)."""
    if kind not in ACCOUNT_KINDS:
        # Show the kind only when it cannot be an account number passed in the wrong place.
        safe = isinstance(kind, str) and len(kind) <= 20 and not _has_digit(kind)
        raise InvalidInputError(
            "identity.bank_account.kind",
            field,
            kind if safe else mask_unknown(),
            f"The account kind must be one of {', '.join(ACCOUNT_KINDS)}.",
        )
    account = _compact(raw, drop="-")
    shown = mask_account(account)
    low, high = (16, 19) if kind == "card" else (8, 30)
    if not _DIGITS.fullmatch(account) or not low <= len(account) <= high:
        label = "A bank card number" if kind == "card" else "A passbook account number"
        raise InvalidInputError(
            "identity.bank_account.format",
            field,
            shown,
            f"{label} must be {low} to {high} digits.",
        )
    if len(set(account)) == 1:
        raise InvalidInputError(
            "identity.bank_account.placeholder",
            field,
            shown,
            "The account number is a placeholder, not a real account.",
        )
    if kind == "card" and not luhn_is_valid(account):
        raise InvalidInputError(
            "identity.bank_account.luhn",
            field,
            shown,
            "The bank card number fails the Luhn check; a digit is probably mistyped.",
        )
    return account


def validate_phone(raw: str, field: str) -> str:
    """电话: a mainland mobile number, or a landline normalised to ``0AREA-NUMBER``."""
    phone = _compact(raw)
    mobile = phone.replace("-", "")
    if _MOBILE.fullmatch(mobile):
        return mobile
    match = _LANDLINE.fullmatch(phone)
    if match:
        area, local = match.groups()
        if "-" not in phone:
            area = landline_area_code(phone)
            local = phone[len(area) :]
        if len(area) == len(landline_area_code(area + local)) and 7 <= len(local) <= 8:
            return f"{area}-{local}"
    raise InvalidInputError(
        "identity.phone.format",
        field,
        mask_phone(phone),
        "A phone number must be a mobile number (11 digits starting 13–19) or a landline "
        "(area code starting 0, then 7 or 8 digits).",
    )


def _is_latin(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("LATIN")


def validate_person_name(raw: str, field: str) -> str:
    """姓名: letters of any script, 间隔号 ``·`` between parts, spaces only inside Latin names."""
    text = unicodedata.normalize("NFKC", raw if isinstance(raw, str) else "")
    name = _WHITESPACE.sub(" ", text.translate(_DOT_VARIANTS)).strip()

    def reject(message: str) -> InvalidInputError:
        return InvalidInputError("identity.name.format", field, mask_name(name), message)

    if not 1 <= len(name) <= _NAME_MAX:
        raise reject(f"A name must be 1 to {_NAME_MAX} characters.")
    for i, ch in enumerate(name):
        category = unicodedata.category(ch)
        if category.startswith("L"):
            continue
        # Combining marks carry vowels in Tibetan, Uyghur and other scripts.
        if category.startswith("M") and i > 0 and name[i - 1] not in (" ", _MIDDLE_DOT):
            continue
        if ch == _MIDDLE_DOT:
            if 0 < i < len(name) - 1 and name[i + 1] not in (" ", _MIDDLE_DOT):
                continue
            raise reject("A middle dot (·) may only stand between two parts of a name.")
        if ch == " ":
            if _is_latin(name[i - 1]) and _is_latin(name[i + 1]):
                continue
            raise reject("Spaces are allowed only between words of a Latin-script name.")
        if category == "Nd" or ch.isdigit():
            raise reject("A name may not contain digits.")
        raise reject("A name may contain only letters and the middle dot (·).")
    return name
