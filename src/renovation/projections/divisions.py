"""行政区划名称 — the names of division codes, reference data beside the read models.

Names are not events: they come from the national list of division codes, loaded from a CSV
(`renovation divisions import 区划.csv`, columns `code,name`), and are kept in the `divisions`
table of the read-model database, which rebuilding the read models leaves alone. Pages and
workbooks show a name beside every code they know one for; counties are also named by the
programme's plan rows.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import Column, String, Table, select
from sqlalchemy.dialects import postgresql, sqlite

from renovation.kernel.errors import InvalidInputError
from renovation.kernel.jurisdiction import check_code
from renovation.projections.database import ViewsDatabase

NAME_MAX = 60


def divisions_table(db: ViewsDatabase) -> Table:
    key = f"{db.metadata.schema}.divisions" if db.metadata.schema else "divisions"
    if key in db.metadata.tables:
        return db.metadata.tables[key]
    return Table("divisions", db.metadata, Column("code", String(12), primary_key=True),
                 Column("name", String(NAME_MAX), nullable=False))


def save_names(db: ViewsDatabase, names: Iterable[tuple[str, str]]) -> int:
    """Add or rename divisions; every row is checked before any is written."""
    rows = []
    for n, (code, name) in enumerate(names, 1):
        try:
            check_code(code)
        except ValueError as error:
            raise InvalidInputError("input.division_code", f"row {n}.code", code,
                                    str(error)) from None
        name = name.strip()
        if not 1 <= len(name) <= NAME_MAX:
            raise InvalidInputError("divisions.name", f"row {n}.name", name,
                                    f"a division's name has 1 to {NAME_MAX} characters")
        rows.append({"code": code, "name": name})
    table = divisions_table(db)
    with db.writer.begin() as conn:
        table.create(conn, checkfirst=True)
        module = postgresql if conn.dialect.name == "postgresql" else sqlite
        for start in range(0, len(rows), 1000):
            statement = module.insert(table)
            conn.execute(statement.on_conflict_do_update(
                index_elements=["code"], set_={"name": statement.excluded.name}),
                rows[start:start + 1000])
    return len(rows)


def read_csv(path: Path) -> list[tuple[str, str]]:
    """(code, name) rows of a CSV with a `code,name` header (UTF-8, a BOM allowed)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames is None or not {"code", "name"} <= set(reader.fieldnames):
                raise InvalidInputError("divisions.header", "header", reader.fieldnames,
                                        f"{path}: the header names the columns code,name")
            return [(row["code"].strip(), row["name"]) for row in reader]
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInputError("input.file", "path", str(path), f"{path}: {error}") from None


def names_of(db: ViewsDatabase, codes: Iterable[str]) -> dict[str, str]:
    """The known names of `codes` (those without one are left out)."""
    wanted = sorted(set(codes))
    table = divisions_table(db)
    found: dict[str, str] = {}
    with db.engine.connect() as conn:
        if not db.engine.dialect.has_table(conn, "divisions", schema=db.schema):
            return found
        for start in range(0, len(wanted), 500):
            query = select(table.c.code, table.c.name).where(
                table.c.code.in_(wanted[start:start + 500]))
            found.update(dict(conn.execute(query).all()))
    return found


__all__ = ["divisions_table", "names_of", "read_csv", "save_names"]
