"""口令库 — staff passwords (argon2 hashes) and failed sign-in counters, kept outside the log.

The event log is immutable and read by auditors and integrators; a password hash in it could
never be withdrawn and could be attacked offline for ever. So the log records only that a
password was set (`PasswordSet`), and the hash lives here, beside the household keys, replaced
when the password changes. Failed attempts are counted per staff id to slow guessing: after
`MAX_FAILURES` within `WINDOW`, sign-in is refused until `LOCKOUT` has passed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, create_engine, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from renovation.identity.keystore import engine_url

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
_HASHER = PasswordHasher()  # RFC 9106's low-memory profile: 64 MiB and ~0.1 s per hash


@cache
def _dummy_hash() -> str:
    """Verified against when the staff id is unknown, so that a miss costs as long as a wrong
    password. Made on first use: hashing takes 64 MiB, which no other command should pay."""
    return _HASHER.hash("not a password of anyone")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def password_matches(stored_hash: str | None, password: str) -> bool:
    """Constant work whether or not a hash is stored."""
    try:
        return _HASHER.verify(stored_hash or _dummy_hash(), password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


class CredentialStore:
    """The `staff_passwords` and `sign_in_failures` tables."""

    def __init__(self, url: str, schema: str | None = None) -> None:
        self._engine: Engine = create_engine(engine_url(url))
        metadata = MetaData(schema=schema)
        self._passwords = Table(
            "staff_passwords", metadata,
            Column("staff_id", String(64), primary_key=True),
            Column("password_hash", String(255), nullable=False),
            Column("set_at", BigInteger, nullable=False),
        )
        self._failures = Table(
            "sign_in_failures", metadata,
            Column("staff_id", String(64), primary_key=True),
            Column("failures", Integer, nullable=False),
            Column("window_started_at", BigInteger, nullable=False),
            Column("locked_until", BigInteger, nullable=True),
        )
        try:
            metadata.create_all(self._engine)
        except DBAPIError:  # two processes racing to create the tables: the loser finds them
            metadata.create_all(self._engine)

    def password_hash(self, staff_id: str) -> str | None:
        t = self._passwords
        with self._engine.connect() as conn:
            return conn.execute(
                select(t.c.password_hash).where(t.c.staff_id == staff_id)).scalar_one_or_none()

    def set_password_hash(self, staff_id: str, password_hash: str, now: datetime) -> None:
        t = self._passwords
        with self._engine.begin() as conn:
            updated = conn.execute(t.update().where(t.c.staff_id == staff_id).values(
                password_hash=password_hash, set_at=_epoch(now))).rowcount
            if not updated:
                conn.execute(t.insert().values(staff_id=staff_id, password_hash=password_hash,
                                               set_at=_epoch(now)))

    def locked_until(self, staff_id: str, now: datetime) -> datetime | None:
        """When sign-in opens again for `staff_id`, if it is locked now."""
        t = self._failures
        with self._engine.connect() as conn:
            until = conn.execute(
                select(t.c.locked_until).where(t.c.staff_id == staff_id)).scalar_one_or_none()
        if until is None or until <= _epoch(now):
            return None
        return datetime.fromtimestamp(until, now.tzinfo)

    def record_failure(self, staff_id: str, now: datetime) -> datetime | None:
        """Count a failed sign-in; returns the lock's end once the limit is reached."""
        t, at = self._failures, _epoch(now)
        with self._engine.begin() as conn:
            row = conn.execute(select(t).where(t.c.staff_id == staff_id)).first()
            if row is None or row.window_started_at + WINDOW.total_seconds() <= at:
                conn.execute(t.delete().where(t.c.staff_id == staff_id))
                conn.execute(t.insert().values(staff_id=staff_id, failures=1,
                                               window_started_at=at, locked_until=None))
                return None
            failures = row.failures + 1
            locked = at + int(LOCKOUT.total_seconds()) if failures >= MAX_FAILURES else None
            conn.execute(t.update().where(t.c.staff_id == staff_id).values(
                failures=failures, locked_until=locked))
        return None if locked is None else datetime.fromtimestamp(locked, now.tzinfo)

    def clear_failures(self, staff_id: str) -> None:
        with self._engine.begin() as conn:
            conn.execute(self._failures.delete().where(self._failures.c.staff_id == staff_id))

    def close(self) -> None:
        self._engine.dispose()
