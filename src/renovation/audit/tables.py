"""Where the chain lives: `audit_chain` and `audit_meta`, beside the events, on either backend.

`audit_meta` holds the store's origin (the identity its checkpoints name) and, when the chain was
started on a store that already held events, the last notification id chained at that moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import uuid4

from psycopg.sql import SQL, Composable, Identifier, Literal

CHAIN_TABLE = "audit_chain"
META_TABLE = "audit_meta"
ORIGIN = "origin"
ADOPTED_THROUGH = "adopted_through"
ORIGIN_PREFIX = "renovation/audit-chain/"


def new_origin() -> str:
    """A fresh store identity, fixed when the chain is started."""
    return ORIGIN_PREFIX + uuid4().hex


@dataclass(frozen=True)
class SQLiteTables:
    """Statements for one SQLite store file (qmark parameters)."""

    events: str = "stored_events"

    @property
    def create(self) -> list[str]:
        return [
            f"CREATE TABLE IF NOT EXISTS {CHAIN_TABLE} (notification_id INTEGER PRIMARY KEY,"
            " leaf_hash BLOB NOT NULL, chain_hash BLOB NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {META_TABLE} (name TEXT PRIMARY KEY,"
            " value TEXT NOT NULL)",
        ]

    @property
    def head(self) -> str:
        return (f"SELECT notification_id, chain_hash FROM {CHAIN_TABLE}"
                " ORDER BY notification_id DESC LIMIT 1")

    @property
    def insert_chain(self) -> str:
        return f"INSERT INTO {CHAIN_TABLE} VALUES (?, ?, ?)"

    @property
    def claim_origin(self) -> str:
        return (f"INSERT INTO {META_TABLE} (name, value) VALUES ('{ORIGIN}', ?)"
                " ON CONFLICT (name) DO NOTHING RETURNING value")

    @property
    def put_meta(self) -> str:
        # An upsert changes the row in place; INSERT OR REPLACE deletes and inserts it, which
        # every commit would pay for its signed head.
        return (f"INSERT INTO {META_TABLE} (name, value) VALUES (?, ?)"
                " ON CONFLICT (name) DO UPDATE SET value = excluded.value")

    @property
    def meta(self) -> str:
        return f"SELECT name, value FROM {META_TABLE}"

    @property
    def events_after(self) -> str:
        return (f"SELECT rowid AS notification_id, originator_id, originator_version, topic,"
                f" state FROM {self.events} WHERE rowid > ? ORDER BY rowid LIMIT ?")

    @property
    def last_event(self) -> str:
        """The last notification id (0 for none): how far `joined` goes, for progress."""
        return f"SELECT coalesce(max(rowid), 0) FROM {self.events}"

    @property
    def joined(self) -> str:
        """Every event with its chain row, if any, in id order."""
        return (f"SELECT e.rowid, e.originator_id, e.originator_version, e.topic, e.state,"
                f" c.notification_id, c.leaf_hash, c.chain_hash FROM {self.events} AS e"
                f" LEFT JOIN {CHAIN_TABLE} AS c ON c.notification_id = e.rowid ORDER BY e.rowid")

    @property
    def orphans(self) -> str:
        """Chain rows without an event, in id order."""
        return (f"SELECT notification_id, leaf_hash, chain_hash FROM {CHAIN_TABLE} AS c"
                f" WHERE NOT EXISTS (SELECT 1 FROM {self.events} AS e"
                " WHERE e.rowid = c.notification_id) ORDER BY notification_id")

    @property
    def chain_only(self) -> str:
        return (f"SELECT notification_id, leaf_hash, chain_hash FROM {CHAIN_TABLE}"
                " ORDER BY notification_id")

    @property
    def by_aggregate(self) -> str:
        """Every event's aggregate, version and id, aggregate by aggregate (the key's index)."""
        return (f"SELECT originator_id, originator_version, rowid FROM {self.events}"
                " ORDER BY originator_id, originator_version, rowid")

    @property
    def case_events(self) -> str:
        """One aggregate's events with their leaves: the primary key's index, then rowid."""
        return (f"SELECT e.rowid AS notification_id, e.originator_id, e.originator_version,"
                f" e.topic, e.state, c.leaf_hash FROM {self.events} AS e"
                f" LEFT JOIN {CHAIN_TABLE} AS c ON c.notification_id = e.rowid"
                " WHERE e.originator_id = ? ORDER BY e.originator_version")

    @property
    def leaves_through(self) -> str:
        return (f"SELECT notification_id, leaf_hash FROM {CHAIN_TABLE}"
                " WHERE notification_id <= ? ORDER BY notification_id")


@dataclass(frozen=True)
class PostgresTables:
    """Statements for one PostgreSQL schema (format parameters)."""

    schema: str
    events: str
    uuid_ids: bool = True

    def _chain(self) -> Composable:
        return Identifier(self.schema, CHAIN_TABLE)

    def _meta(self) -> Composable:
        return Identifier(self.schema, META_TABLE)

    def _events(self) -> Composable:
        return Identifier(self.schema, self.events)

    def _originator(self, alias: str = "") -> Composable:
        # A uuid column reads as 8-4-4-4-12 text; the chain hashes the 32-digit form.
        column = f"{alias}originator_id"
        return SQL(f"replace({column}::text, '-', '')" if self.uuid_ids else column)

    @property
    def create(self) -> list[Composable]:
        return [
            SQL("CREATE TABLE IF NOT EXISTS {} (notification_id bigint PRIMARY KEY,"
                " leaf_hash bytea NOT NULL, chain_hash bytea NOT NULL)").format(self._chain()),
            SQL("CREATE TABLE IF NOT EXISTS {} (name text PRIMARY KEY, value text NOT NULL)")
            .format(self._meta()),
        ]

    @property
    def head(self) -> Composable:
        return SQL("SELECT notification_id, chain_hash FROM {}"
                   " ORDER BY notification_id DESC LIMIT 1").format(self._chain())

    @property
    def insert_chain(self) -> Composable:
        return SQL("INSERT INTO {} VALUES (%s, %s, %s)").format(self._chain())

    @property
    def claim_origin(self) -> Composable:
        return SQL("INSERT INTO {} (name, value) VALUES ({}, %s)"
                   " ON CONFLICT (name) DO NOTHING RETURNING value").format(
            self._meta(), Literal(ORIGIN))

    @property
    def put_meta(self) -> Composable:
        return SQL("INSERT INTO {} (name, value) VALUES (%s, %s)"
                   " ON CONFLICT (name) DO UPDATE SET value = excluded.value").format(self._meta())

    @property
    def meta(self) -> Composable:
        return SQL("SELECT name, value FROM {}").format(self._meta())

    @property
    def events_after(self) -> Composable:
        return SQL("SELECT notification_id, {} AS originator_id, originator_version, topic,"
                   " state FROM {} WHERE notification_id > %s ORDER BY notification_id"
                   " LIMIT %s").format(self._originator(), self._events())

    @property
    def last_event(self) -> Composable:
        """The last notification id (0 for none): how far `joined` goes, for progress."""
        return SQL("SELECT coalesce(max(notification_id), 0) FROM {}").format(self._events())

    @property
    def joined(self) -> Composable:
        """Every event with its chain row, if any, in id order."""
        return SQL("SELECT e.notification_id, {}, e.originator_version, e.topic, e.state,"
                   " c.notification_id, c.leaf_hash, c.chain_hash FROM {} AS e LEFT JOIN {} AS c"
                   " ON c.notification_id = e.notification_id ORDER BY e.notification_id").format(
            self._originator("e."), self._events(), self._chain())

    @property
    def orphans(self) -> Composable:
        """Chain rows without an event, in id order."""
        return SQL("SELECT notification_id, leaf_hash, chain_hash FROM {} AS c WHERE NOT EXISTS"
                   " (SELECT 1 FROM {} AS e WHERE e.notification_id = c.notification_id)"
                   " ORDER BY notification_id").format(self._chain(), self._events())

    @property
    def chain_only(self) -> Composable:
        return SQL("SELECT notification_id, leaf_hash, chain_hash FROM {}"
                   " ORDER BY notification_id").format(self._chain())

    @property
    def by_aggregate(self) -> Composable:
        """Every event's aggregate, version and id, aggregate by aggregate (the key's index)."""
        return SQL("SELECT {}, originator_version, notification_id FROM {}"
                   " ORDER BY originator_id, originator_version, notification_id").format(
            self._originator(), self._events())

    @property
    def case_events(self) -> Composable:
        """One aggregate's events with their leaves: the primary key's index, then the chain's."""
        return SQL("SELECT e.notification_id, {} AS originator_id, e.originator_version,"
                   " e.topic, e.state, c.leaf_hash FROM {} AS e LEFT JOIN {} AS c"
                   " ON c.notification_id = e.notification_id WHERE e.originator_id = %s"
                   " ORDER BY e.originator_version").format(
            self._originator("e."), self._events(), self._chain())

    @property
    def leaves_through(self) -> Composable:
        return SQL("SELECT notification_id, leaf_hash FROM {} WHERE notification_id <= %s"
                   " ORDER BY notification_id").format(self._chain())

