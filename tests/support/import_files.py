"""Import files for tests: JSONL written from simulated case lives, and row counts of a store."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson
import psycopg
import pytest
from typer.testing import CliRunner

from renovation.bootstrap import Runtime
from renovation.cli import app
from renovation.kernel.vocabulary import Category, RenovationMode
from renovation.policy import load_policy
from renovation.simulation.guilin import COUNTIES
from renovation.simulation.lifecycle import CasePlan, Lifecycle
from renovation.simulation.people import People
from tests.support.cli import cli_runner, sign_in

OPEN_PROGRAMME = "programme open guilin-2022 --policy guilin-2022 --on 2022-02-01"
MODES = (RenovationMode.REBUILD_IN_PLACE, RenovationMode.REINFORCE, RenovationMode.RELOCATE)
VILLAGE_SPREAD = (3, 5)
VILLAGES = tuple(county.village(t, v) for county in COUNTIES
                 for t in range(VILLAGE_SPREAD[0]) for v in range(VILLAGE_SPREAD[1]))
"""Every village the import files' cases lie in."""


def plans(first: int, count: int, people: People) -> Iterator[CasePlan]:
    """`count` closed-case plans numbered from `first`, spread over the 13 counties."""
    for n in range(first, first + count):
        county = COUNTIES[n % len(COUNTIES)]
        yield CasePlan(
            case_ref=f"{county.code}-2022-{n:05d}",
            programme_id="guilin-2022",
            village=county.village(n % VILLAGE_SPREAD[0], n % VILLAGE_SPREAD[1]),
            household=people.household(county.code, 2022),
            category=list(Category)[n % len(Category)],
            mode=MODES[n % len(MODES)],
            applied_on=date(2022, 3, 1) + timedelta(days=n % 60),
            rng=random.Random(n),
        )


def lifecycle_lines(first: int, households: int, seed: int = 11) -> Iterator[dict[str, Any]]:
    """Every command of `households` whole case lives, in the order a county would record them."""
    policy = load_policy("guilin-2022")
    for plan in plans(first, households, People(seed)):
        yield from Lifecycle(plan, policy).commands()


def write_jsonl(path: Path, lines: Iterable[dict[str, Any] | str]) -> int:
    """Write commands (or raw text lines) one per line, streaming; returns the line count."""
    count = 0
    with path.open("wb") as out:
        for line in lines:
            out.write((line.encode() if isinstance(line, str) else orjson.dumps(line)) + b"\n")
            count += 1
    return count


def numbered(path: Path) -> list[tuple[int, str]]:
    return list(enumerate(path.read_text(encoding="utf-8").splitlines(), 1))


def table_counts(rt: Runtime) -> dict[str, int]:
    """Rows per table of the event store and the key store: what was written, not when."""
    parts = urlsplit(rt.settings.db)
    counts: dict[str, int] = {}
    if parts.scheme == "sqlite":
        for path in (parts.path[1:], urlsplit(rt.settings.keystore_url()).path[1:]):
            with sqlite3.connect(path) as conn:
                names = conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
                for (name,) in names.fetchall():
                    counts[name] = conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        return counts
    schema = rt.settings.keystore_schema()
    with psycopg.connect(rt.settings.keystore_url()) as conn:
        names = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema=%s", (schema,)
        ).fetchall()
        for (name,) in names:
            row = conn.execute(f'SELECT count(*) FROM {schema}."{name}"').fetchone()
            counts[name] = row[0] if row else 0
    return counts


def cli_with_programme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A CLI on a fresh SQLite store, with the officials of the import files' villages in the
    staff directory and guilin-2022 opened, signed in as its programme manager."""
    runner = cli_runner(monkeypatch, f"sqlite:///{tmp_path}/cli.db", tmp_path)
    sign_in(monkeypatch, villages=VILLAGES)
    opened = runner.invoke(app, OPEN_PROGRAMME.split())
    assert opened.exit_code == 0, opened.output
    return runner
