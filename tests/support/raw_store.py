"""A store's tables through plain SQL, as someone with database access would change them."""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

import psycopg

from renovation.audit.chain import GENESIS, EventRow, link
from renovation.audit.source import APP_NAME
from tests.support import postgres


@dataclass
class Event:
    position: int
    originator_id: str
    version: int
    topic: str


class RawStore:
    """The store's tables through plain SQL: `{events}`, `{chain}` and `{id}` in statements."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.url, self.sqlite = url, parts.scheme == "sqlite"
        if self.sqlite:
            self.path = parts.path[1:]
            self.names = {"events": "stored_events", "chain": "audit_chain", "id": "rowid"}
        else:
            schema = parse_qs(parts.query)["schema"][0]
            self.names = {"events": f"{schema}.{APP_NAME}_events",
                          "chain": f"{schema}.audit_chain", "id": "notification_id"}

    def run(self, statement: str, *params: Any) -> list[tuple[Any, ...]]:
        sql = statement.format(**self.names)
        if self.sqlite:
            with contextlib.closing(sqlite3.connect(self.path)) as conn, conn:
                return conn.execute(sql, params).fetchall()
        with psycopg.connect(postgres.PG_URL, autocommit=True) as conn:
            cursor = conn.execute(sql.replace("?", "%s"), params)
            return cursor.fetchall() if cursor.description else []

    def uuid(self, value: UUID) -> Any:
        return value.hex if self.sqlite else value

    def events(self) -> list[Event]:
        rows = self.run("SELECT {id}, originator_id, originator_version, topic FROM {events}"
                        " ORDER BY {id}")
        return [Event(r[0], UUID(str(r[1])).hex, r[2], r[3]) for r in rows]

    def rechain(self) -> None:
        """Recompute every leaf and the whole chain, as someone without the signing key can."""
        rows = self.run("SELECT {id}, originator_id, originator_version, topic, state"
                        " FROM {events} ORDER BY {id}")
        events = [EventRow(r[0], UUID(str(r[1])).hex, r[2], r[3], bytes(r[4])) for r in rows]
        self.run("DELETE FROM {chain}")
        for row in link(GENESIS, events):
            self.run("INSERT INTO {chain} VALUES (?, ?, ?)", *row)
