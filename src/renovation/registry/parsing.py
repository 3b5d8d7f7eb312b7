"""数据校验 — a registry file's header and rows into stored entries, or rejects by row.

The header is matched column by column (English ids and Chinese headers, spaces, a leading `*`
and a trailing unit in parentheses ignored). A row becomes an entry: the person as the blind
index of the validated ID number (`indexer.ref("id_number", …)`, exactly as cases index their
people, so the two match) and its masked form; a household number as a blind index of its own
kind; every other value as a plain attribute (dates in ISO form, choices by id). A value that
does not fit is reported by row and column with its rule; personal values only masked.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache, lru_cache
from typing import Any

from renovation.identity import (
    BlindIndexer,
    mask_id_number,
    mask_name,
    mask_unknown,
    validate_id_number,
)
from renovation.kernel.errors import RuleViolation
from renovation.kernel.jurisdiction import check_code
from renovation.registry.kinds import CHOICES, Column, KindSpec

_TRAILING_UNIT = re.compile(r"[（(][^（）()]*[）)]$")
_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_HOUSEHOLD_NO = re.compile(r"[0-9A-Z-]{1,30}")
_SHOWN_MAX = 40
_LONG_NUMBER = re.compile(r"[0-9]{11,}")
"""An ID, phone or account number (or most of one): never shown, whatever column it is in."""
HOUSEHOLD_INDEX = "household_no"
"""The blind-index kind of household numbers (户号), distinct from ID numbers."""


class RegistryFileError(RuleViolation):
    """The file cannot be imported at all: unreadable, or a required column missing."""


class RegistryRowError(RuleViolation):
    """One row's value does not fit its column."""


@dataclass(frozen=True)
class Parsed:
    """One accepted row, as stored: no plaintext identifier."""

    row_no: int
    person_ref: str
    masked_id: str
    household_ref: str | None
    attrs: dict[str, str | None]

    def to_record(self) -> dict[str, Any]:
        return {"row_no": self.row_no, "person_ref": self.person_ref,
                "masked_id": self.masked_id, "household_ref": self.household_ref,
                "attrs": self.attrs}


@dataclass(frozen=True)
class RowReject:
    """One rejected row, as written to the rejects report (`field` names the column)."""

    row: int
    rule: str
    field: str
    value: Any
    message: str

    def to_dict(self, position: str = "row") -> dict[str, Any]:
        return {position: self.row, "rule": self.rule, "field": self.field,
                "value": self.value, "message": self.message}


def normalise_header(value: Any) -> str:
    """A header as written, compared: NFKC, no spaces, no `*`, no trailing unit, lower case."""
    text = unicodedata.normalize("NFKC", str(value or "")).lstrip("\ufeff")
    text = re.sub(r"\s+", "", text).strip("*")
    return _TRAILING_UNIT.sub("", text).casefold()


@dataclass(frozen=True)
class Header:
    """Which cell holds which column, and the headers that were ignored."""

    positions: dict[str, int]
    ignored: tuple[str, ...]
    width: int


def read_header(spec: KindSpec, cells: Sequence[Any]) -> Header:
    """Match a header row; a repeated column or a missing required one refuses the file."""
    known = {normalise_header(h): c.name for c in spec.columns for h in c.headers}
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for index, cell in enumerate(cells):
        text = normalise_header(cell)
        name = known.get(text)
        if name is None:
            if text:
                shown = str(cell).strip()[:_SHOWN_MAX]
                ignored.append(mask_unknown() if _LONG_NUMBER.search(shown) else shown)
            continue
        if name in positions:
            raise RegistryFileError("registry.columns", "header", name,
                                    f"column {name} appears twice in the header row")
        positions[name] = index
    missing = [name for name in spec.required if name not in positions]
    if missing:
        wanted = "; ".join(f"{n} ({spec.column(n).label})" for n in missing)
        raise RegistryFileError("registry.columns", "header", missing[0],
                                f"a {spec.kind.value} file needs the column(s) {wanted}")
    return Header(positions, tuple(ignored), len(cells))


class RowParser:
    """Turns the cells of one data row of one kind into an entry, or raises its reject."""

    def __init__(self, spec: KindSpec, header: Header, indexer: BlindIndexer,
                 as_of: date) -> None:
        self.spec, self.header, self.indexer, self.as_of = spec, header, indexer, as_of
        self._columns = [(spec.column(name), at) for name, at in header.positions.items()]
        self._dated = [c.name for c, _ in self._columns if c.type == "date" and c.by_as_of]

    def parse(self, row_no: int, cells: Sequence[Any]) -> Parsed:
        if len(cells) > self.header.width and any(_blank(c) is not None
                                                  for c in cells[self.header.width:]):
            raise RegistryRowError("registry.row_width", "row", len(cells),
                                   f"row {row_no} has {len(cells)} cells, more than the"
                                   f" {self.header.width} columns of the header")
        values: dict[str, Any] = {}
        for column, at in self._columns:
            raw = _blank(cells[at]) if at < len(cells) else None
            if raw is None:
                if column.required:
                    raise RegistryRowError("registry.required", column.name, None,
                                           f"{column.name} ({column.label}) is empty")
                values[column.name] = None
                continue
            values[column.name] = self._value(column, raw)
        self._check_dates(values)
        person = values.pop("id_number")
        household = values.pop("household_no", None)
        previous = values.pop("previous_household_no", None)
        attrs = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()}
        if previous is not None:
            attrs["previous_household_ref"] = self.indexer.ref(HOUSEHOLD_INDEX, previous)
        return Parsed(row_no, self.indexer.ref("id_number", person), mask_id_number(person),
                      None if household is None else self.indexer.ref(HOUSEHOLD_INDEX, household),
                      attrs)

    def _value(self, column: Column, raw: Any) -> Any:
        kind = column.type
        if kind == "id_number":
            if not isinstance(raw, str):
                raise RegistryRowError(
                    "registry.text_required", column.name, mask_unknown(),
                    f"{column.name} was stored as a number, which keeps only 15 digits: format"
                    " the column as text and export it again")
            return validate_id_number(raw, column.name)
        if kind == "date":
            return _date_value(column, raw)
        if kind == "choice":
            return _choice_value(column, raw)
        if kind == "division_code":
            return _division_value(column, raw)
        if kind == "household_no":
            return _household_no(column, raw)
        return _area_value(column, raw)

    def _check_dates(self, values: dict[str, Any]) -> None:
        for name in self._dated:
            day = values[name]
            if day is not None and day > self.as_of:
                raise RegistryRowError(
                    "registry.date_after_as_of", name, day.isoformat(),
                    f"{name} {day} is after the snapshot's date {self.as_of}")
        for start, end in self.spec.order:
            first, last = values.get(start), values.get(end)
            if first is not None and last is not None and last < first:
                raise RegistryRowError("registry.date_order", end, last.isoformat(),
                                       f"{end} {last} is before {start} {first}")


def reject_of(row_no: int, error: RuleViolation) -> RowReject:
    return RowReject(row_no, error.rule, error.field, error.value, error.message)


def _blank(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    return value


def _shown(raw: Any) -> str:
    """A rejected value as the report shows it. A row whose cells slid into the wrong columns
    can put an ID number or a name anywhere: long digit runs are hidden, and text in Chinese
    (or another script) without digits is masked as a name is (`乡下` → `乡*`)."""
    text = str(raw).strip()[:_SHOWN_MAX]
    if _LONG_NUMBER.search(text):
        return mask_unknown()
    if not text.isascii() and not any(ch.isdigit() for ch in text):
        return mask_name(text)
    return text


def _date_value(column: Column, raw: Any) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str) and len(raw) == 10 and raw[4] == raw[7] == "-" and raw.isascii():
        try:
            return date.fromisoformat(raw)  # the documented form, most rows
        except ValueError:
            pass
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    match = _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    try:
        if match is None:
            raise ValueError(text)
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise RegistryRowError("registry.date", column.name, _shown(raw),
                               f"{column.name} is not a date (YYYY-MM-DD)") from None


@cache
def _vocabulary(choices: type[StrEnum]) -> dict[str, str]:
    names: dict[str, str] = {}
    for member in choices:
        for name in (member.value, *CHOICES[member]):
            names[normalise_header(name)] = member.value
    return names


@lru_cache(maxsize=4096)
def _choice_of(choices: type[StrEnum], raw: str) -> str | None:
    """A written value's id (memoised: a file repeats a handful of values a million times)."""
    return _vocabulary(choices).get(normalise_header(raw))


def _choice_value(column: Column, raw: Any) -> str:
    assert column.choices is not None
    text = str(raw)
    found = _choice_of(column.choices, text) if len(text) <= _SHOWN_MAX else None
    if found is None:
        allowed = ", ".join(f"{m.value} ({CHOICES[m][0]})" for m in column.choices)
        raise RegistryRowError("registry.choice", column.name, _shown(raw),
                               f"{column.name} is none of: {allowed}")
    return found


def _division_value(column: Column, raw: Any) -> str:
    text = str(int(raw)) if isinstance(raw, int | float) and not isinstance(raw, bool) \
        and float(raw).is_integer() else str(raw).strip()
    try:
        return check_code(text)
    except ValueError:
        raise RegistryRowError("registry.division_code", column.name, _shown(raw),
                               f"{column.name} is a 12-digit division code") from None


def _household_no(column: Column, raw: Any) -> str:
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(raw))).upper()
    if isinstance(raw, float) or not _HOUSEHOLD_NO.fullmatch(text):
        raise RegistryRowError("registry.household_no", column.name, mask_unknown(),
                               f"{column.name} is 1 to 30 letters, digits or hyphens, as text")
    return text


def _area_value(column: Column, raw: Any) -> str:
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or not 0 <= value <= 1_000_000:
        raise RegistryRowError("registry.number", column.name, _shown(raw),
                               f"{column.name} is a number of square metres")
    return str(value.quantize(Decimal("0.01")))

