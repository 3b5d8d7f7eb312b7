"""工作人员编号 — staff ids in one canonical form, compared the same way everywhere.

A staff id is typed by people and systems in many ways (`TW-450323100`, ` tw-450323100 `,
full-width `ｔｗ-450323100`). Every door turns it into one form before it is looked up, recorded
or compared: Unicode NFKC (full-width and compatibility characters become plain ASCII), trimmed,
case-folded, then ASCII letters, digits and `._:/@-` only. A look-alike from another script
(Cyrillic `а` for Latin `a`) is not folded into its twin: it is refused.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

_CANONICAL = re.compile(r"[a-z0-9][a-z0-9._:/@-]{0,63}", re.ASCII)
LOCAL_OPERATOR_PREFIX = "local:"
"""Ids of this form name the person at the server's shell; no staff member may take one."""


class StaffIdError(ValueError):
    """A staff id that has no canonical form."""


def fold(raw: str) -> str:
    """The comparison form of any id, valid or not (events recorded before the directory)."""
    return unicodedata.normalize("NFKC", raw).strip().casefold()


def canonical_staff_id(raw: object) -> str:
    """The one form of a staff id, or StaffIdError saying what is wrong with it."""
    if not isinstance(raw, str):
        raise StaffIdError(f"a staff id is text, got {type(raw).__name__}")
    folded = fold(raw)
    if not _CANONICAL.fullmatch(folded):
        raise StaffIdError(
            "a staff id is 1 to 64 characters: ASCII letters, digits and . _ : / @ -,"
            " starting with a letter or digit"
        )
    return folded


def identity_keys(staff_id: str, person_ref: str | None = None) -> frozenset[str]:
    """What identifies the person behind an act: the folded staff id and, when the directory
    knows it, the blind index of their ID number (so a second account is the same person)."""
    keys = {f"staff:{fold(staff_id)}"}
    if person_ref:
        keys.add(f"person:{person_ref}")
    return frozenset(keys)


def same_person(a: Iterable[str], b: Iterable[str]) -> bool:
    """Whether two sets of identity keys share one."""
    return not set(a).isdisjoint(b)


def _already_canonical(value: str) -> str:
    if canonical_staff_id(value) != value:
        raise StaffIdError(f"staff id {value!r} is not in its canonical form")
    return value


StaffId = Annotated[str, AfterValidator(_already_canonical)]
"""A staff id in its canonical form, for events and records."""

_WIDE = "Ａ-Ｚａ-ｚ０-９"  # full-width letters and digits: NFKC folds them to ASCII
_PAD = " \t\u3000\u00a0"  # spaces a Chinese input method types or a spreadsheet pastes
STAFF_ID_INPUT = (rf"^[{_PAD}]*[A-Za-z0-9{_WIDE}][A-Za-z0-9._:/@\-{_WIDE}．＿：／＠－]{{0,63}}"
                  rf"[{_PAD}]*$")
"""What a door accepts as a staff id before folding it: ASCII or its full-width forms, padded
by spaces; documented in the API's schema, so the schema says what will be accepted."""
StaffIdInput = Annotated[str, StringConstraints(pattern=STAFF_ID_INPUT)]
