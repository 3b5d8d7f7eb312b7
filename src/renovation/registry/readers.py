"""读取参照数据文件 — CSV (UTF-8, a byte-order mark tolerated) or Excel .xlsx (first sheet, header
in row 1), read row by row: neither is ever held whole in memory.

Rows are numbered as a spreadsheet shows them, the header being row 1 (for a CSV, a record
with a quoted line break is still one row). Wholly blank rows are skipped.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from renovation.registry.parsing import RegistryFileError

_CHUNK = 1 << 20
SUFFIXES = (".csv", ".xlsx")


def file_digest(path: Path) -> str:
    """The SHA-256 of the file's bytes (what the snapshot records), once it is a usable file."""
    if not path.is_file():
        raise _unusable(path, "no such file" if not path.exists() else "not a file")
    if path.suffix.lower() not in SUFFIXES:
        raise _unusable(path, "a registry file is a .csv (UTF-8) or an .xlsx workbook")
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    except OSError as error:
        raise _unusable(path, error.strerror or str(error)) from None
    return digest.hexdigest()


class RegistryFile:
    """An open registry file: its header cells, then its numbered data rows."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._book: Any = None
        self._handle: Any = None
        self._rows: Iterator[Sequence[Any]]
        try:
            if path.suffix.lower() == ".xlsx":
                self._book = load_workbook(path, read_only=True, data_only=True)
                self._rows = self._book.worksheets[0].iter_rows(values_only=True)
            else:
                self._handle = path.open(encoding="utf-8-sig", newline="")
                self._rows = csv.reader(self._handle)
            self.header: Sequence[Any] = self._next() or ()
        except RegistryFileError:
            self.close()
            raise
        except Exception as error:  # openpyxl raises many kinds for a file it cannot read
            self.close()
            raise _unusable(path, f"not a readable {path.suffix} file ({type(error).__name__})"
                            ) from None

    def __enter__(self) -> RegistryFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._book is not None:
            self._book.close()
        if self._handle is not None:
            self._handle.close()

    def rows(self) -> Iterator[tuple[int, Sequence[Any]]]:
        """(row number, cells) of every data row that is not wholly blank."""
        number = 1
        while (cells := self._next()) is not None:
            number += 1
            if any(c is not None and (not isinstance(c, str) or c.strip()) for c in cells):
                yield number, cells

    def _next(self) -> Sequence[Any] | None:
        try:
            return next(self._rows, None)
        except UnicodeDecodeError:
            raise _unusable(self.path, "not UTF-8 text: save it as CSV (UTF-8)") from None
        except csv.Error as error:
            raise _unusable(self.path, f"not a readable CSV file ({error})") from None


def _unusable(path: Path, why: str) -> RegistryFileError:
    return RegistryFileError("registry.file", "path", path.name, f"{path.name}: {why}")
