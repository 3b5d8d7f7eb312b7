"""样例文件 — registry files written from plain rows, for tests and the demo (synthetic data only).

A row is a dict keyed by the kind's English column ids (`id_number`, `valid_from` …); keys that
are not columns of the kind (`name`, `姓名`, `address`) become extra columns, as departments'
files have them. Dates may be `date`s or text; choices their id or Chinese label.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from renovation.aggregates.registry import RegistryKind
from renovation.registry.kinds import spec_of

EXAMPLE_VALUES: dict[str, Any] = {
    "division_code": "450321100201", "valid_from": date(2021, 1, 1), "household_no": "450321001",
    "relationship": "head", "joined_on": date(1990, 5, 1), "vehicle_type": "car",
    "registered_on": date(2019, 3, 1), "role": "legal_representative", "use": "residential",
    "employer_kind": "public_institution", "from": date(2015, 9, 1),
}


def example_row(kind: str | RegistryKind, id_number: str, **values: Any) -> dict[str, Any]:
    """A valid row of `kind` for the person: its required columns filled with plausible values,
    then `values` (English ids; None leaves an optional column empty)."""
    spec = spec_of(kind)
    row = {c.name: EXAMPLE_VALUES.get(c.name) for c in spec.columns if c.required}
    return {**row, "id_number": id_number, **values}


def header_of(kind: str | RegistryKind, first: dict[str, Any] | None,
              columns: Sequence[str] | None = None, chinese: bool = False,
              ) -> tuple[list[str], list[str]]:
    """The header cells and the row keys under them: `columns`, else every column of the kind
    then the first row's other keys; with `chinese`, the kind's columns under Chinese headers."""
    spec = spec_of(kind)
    names = list(columns) if columns is not None else [c.name for c in spec.columns]
    names += [k for k in (first or {}) if columns is None and k not in names]
    labels = {c.name: c.label for c in spec.columns}
    return [labels.get(n, n) if chinese else n for n in names], names


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else value


def _rows(rows: Iterable[dict[str, Any]]) -> tuple[dict[str, Any] | None, Iterator[dict[str, Any]]]:
    it = iter(rows)
    first = next(it, None)
    return first, (itertools.chain([first], it) if first is not None else iter(()))


def write_csv(path: Path, kind: str | RegistryKind, rows: Iterable[dict[str, Any]], *,
              columns: Sequence[str] | None = None, chinese: bool = False,
              bom: bool = False) -> Path:
    """A CSV (UTF-8, with a byte-order mark if `bom`) of the rows; streamed, any size."""
    first, all_rows = _rows(rows)
    header, names = header_of(kind, first, columns, chinese)
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in all_rows:
            writer.writerow([_cell(row.get(n)) for n in names])
    return path


def write_xlsx(path: Path, kind: str | RegistryKind, rows: Iterable[dict[str, Any]], *,
               columns: Sequence[str] | None = None, chinese: bool = False) -> Path:
    """An Excel workbook of the rows (first sheet, header in row 1); dates as Excel dates,
    everything else as text unless given as a number."""
    first, all_rows = _rows(rows)
    header, names = header_of(kind, first, columns, chinese)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("参照数据")
    sheet.append(header)
    for row in all_rows:
        sheet.append([row.get(n) for n in names])
    book.save(path)
    return path
