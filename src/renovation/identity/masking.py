"""脱敏 — display forms for personal data (JR/T 0171-2020 style).

Every function is total: it never raises, whatever string it is given, because the same
functions mask invalid input inside error messages.
"""

from __future__ import annotations

UNKNOWN_MASK = "***"


def mask_unknown(s: str = "") -> str:
    """A value too short (or too odd) to mask without revealing it."""
    return UNKNOWN_MASK


def _text(s: object) -> str:
    return s.strip() if isinstance(s, str) else ""


def mask_id_number(n: str) -> str:
    """身份证号: first 6 + 8 stars + last 4, e.g. ``450321********123X``."""
    n = _text(n)
    # Below 15 characters the shown 10 would give away most of the value.
    if len(n) < 15:
        return mask_unknown(n)
    return f"{n[:6]}{'*' * 8}{n[-4:]}"


def mask_account(a: str) -> str:
    """银行账号: at most 4 stars + last 4, e.g. ``****6789``."""
    a = _text(a)
    if len(a) < 8:
        return mask_unknown(a)
    return f"{'*' * min(len(a) - 4, 4)}{a[-4:]}"


def landline_area_code(digits: str) -> str:
    """The area code (区号) at the start of a landline number written without a hyphen.

    Beijing 010 and the 02x cities have a two-digit code after the 0; all others three.
    """
    return digits[:3] if digits[1:2] in ("1", "2") else digits[:4]


def mask_phone(p: str) -> str:
    """电话: mobile ``138****5678``; landline ``0771-****78``."""
    p = _text(p)
    if len(p) == 11 and p.isascii() and p.isdigit() and p.startswith("1"):
        return f"{p[:3]}****{p[-4:]}"
    if p.startswith("0"):
        area, sep, local = p.partition("-")
        if not sep and p.isascii() and p.isdigit():
            area = landline_area_code(p)
            local = p[len(area) :]
        if 3 <= len(area) <= 4 and len(local) >= 5:
            return f"{area}-****{local[-2:]}"
    return mask_unknown(p)


def mask_name(n: str) -> str:
    """姓名: ``*``, ``张*``, ``欧*锋`` — first and last character kept from three up."""
    n = _text(n)
    if not n:
        return mask_unknown(n)
    if len(n) == 1:
        return "*"
    if len(n) == 2:
        return f"{n[0]}*"
    return f"{n[0]}{'*' * (len(n) - 2)}{n[-1]}"
