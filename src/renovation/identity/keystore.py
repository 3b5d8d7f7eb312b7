"""户密钥库 — per-household data keys, kept outside the event store.

Destroying a household's key erases its personal data everywhere (crypto-shredding) while the
events and their hashes stay intact. Data keys are stored wrapped under a key-encryption key.
"""

from __future__ import annotations

import base64
import binascii
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import (
    Column,
    DateTime,
    LargeBinary,
    MetaData,
    String,
    Table,
    create_engine,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError

from renovation.identity.crypto import KEY_BYTES, NONCE_BYTES, generate_key

TABLE_NAME = "household_keys"
_REASON_MAX = 500
CACHE_SECONDS = 60.0
"""How long a process keeps a key it read: a key destroyed by another process (an erasure run
from the command line while the server runs) stops being usable there within this time."""


class KeyDestroyedError(Exception):
    """The household's key was destroyed; its personal data can no longer be read."""

    def __init__(self, key_id: str) -> None:
        self.key_id = key_id
        super().__init__(f"The key {key_id!r} was destroyed.")


class KeyUnwrapError(Exception):
    """A stored key does not unwrap: the key-encryption key is wrong or the row was altered."""

    def __init__(self, key_id: str) -> None:
        self.key_id = key_id
        super().__init__(
            f"The stored key {key_id!r} does not unwrap: wrong key-encryption key (KEK) "
            "or an altered row."
        )


def engine_url(url: str) -> URL:
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        # psycopg 3 is the installed driver; the bare name would ask SQLAlchemy for psycopg2.
        parsed = parsed.set(drivername="postgresql+psycopg")
    database = parsed.database or ""
    no_file = database in ("", ":memory:") or database.startswith("file:")
    if parsed.get_backend_name() == "sqlite" and not no_file:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    return parsed


class HouseholdKeyStore:
    """户密钥 — wrapped per-household data keys (DEK) in the ``household_keys`` table.

    The in-process cache is not told about destruction done by another process; destroy keys
    through a store that the readers share, or restart them.
    """

    def __init__(
        self, url: str, kek: bytes, schema: str | None = None, cache_size: int = 1024
    ) -> None:
        if not isinstance(kek, bytes | bytearray) or len(kek) != KEY_BYTES:
            raise ValueError(f"The key-encryption key must be {KEY_BYTES} bytes.")
        self._kek = AESGCM(bytes(kek))
        self._engine: Engine = create_engine(engine_url(url))
        self._metadata = MetaData(schema=schema)
        self._table = Table(
            TABLE_NAME,
            self._metadata,
            Column("key_id", String(64), primary_key=True),
            Column("wrapped_key", LargeBinary, nullable=True),
            Column("created_at", DateTime(timezone=True), nullable=False),
            Column("destroyed_at", DateTime(timezone=True), nullable=True),
            Column("destroyed_reason", String(_REASON_MAX), nullable=True),
        )
        self._schema = schema
        self._cache: OrderedDict[str, tuple[bytes, float]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._create_table()

    def _create_table(self) -> None:
        try:
            self._metadata.create_all(self._engine)
        except DBAPIError:
            # Two processes may race to create the table; the loser finds it there.
            if not inspect(self._engine).has_table(TABLE_NAME, schema=self._schema):
                raise

    def _wrap(self, key_id: str, dek: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._kek.encrypt(nonce, dek, key_id.encode())

    def _unwrap(self, key_id: str, wrapped: bytes) -> bytes:
        try:
            return self._kek.decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], key_id.encode())
        except (InvalidTag, ValueError):
            raise KeyUnwrapError(key_id) from None

    def _cached(self, key_id: str) -> bytes | None:
        with self._lock:
            found = self._cache.get(key_id)
            if found is None:
                return None
            dek, kept_at = found
            if time.monotonic() - kept_at > CACHE_SECONDS:
                del self._cache[key_id]  # another process may have destroyed it since
                return None
            self._cache.move_to_end(key_id)
            return dek

    def _remember(self, key_id: str, dek: bytes) -> None:
        with self._lock:
            self._cache[key_id] = (dek, time.monotonic())
            self._cache.move_to_end(key_id)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    def _forget(self, key_id: str) -> None:
        with self._lock:
            self._cache.pop(key_id, None)

    def _row(self, key_id: str) -> Any:
        t = self._table
        query = select(t.c.wrapped_key, t.c.destroyed_at).where(t.c.key_id == key_id)
        with self._engine.connect() as conn:
            return conn.execute(query).first()

    def get(self, key_id: str) -> bytes | None:
        """The household's data key; None when unknown, `KeyDestroyedError` when destroyed."""
        dek = self._cached(key_id)
        if dek is not None:
            return dek
        row = self._row(key_id)
        if row is None:
            return None
        if row.destroyed_at is not None or row.wrapped_key is None:
            raise KeyDestroyedError(key_id)
        dek = self._unwrap(key_id, bytes(row.wrapped_key))
        self._remember(key_id, dek)
        return dek

    def get_many(self, key_ids: Iterable[str]) -> dict[str, bytes | None]:
        """`get` for many keys in one query per 500: a bulk import opens many households per
        batch. Destroyed keys are left out, so that `get` raises for them as it would alone."""
        found: dict[str, bytes | None] = {}
        missing = []
        for key_id in dict.fromkeys(key_ids):
            dek = self._cached(key_id)
            if dek is None:
                missing.append(key_id)
            else:
                found[key_id] = dek
        rows = self._rows(missing) if missing else {}
        for key_id in missing:
            row = rows.get(key_id)
            if row is None:
                found[key_id] = None
            elif row.destroyed_at is None and row.wrapped_key is not None:
                found[key_id] = self._unwrap(key_id, bytes(row.wrapped_key))
                self._remember(key_id, found[key_id])
        return found

    def put_if_absent(self, key_id: str, dek: bytes) -> bytes:
        """Store `dek` unless a key is already there; return the key actually stored."""
        return self.put_many_if_absent({key_id: dek})[key_id]

    def put_many_if_absent(self, keys: dict[str, bytes]) -> dict[str, bytes]:
        """`put_if_absent` for many keys in ONE transaction: a bulk import opens many households
        per batch, and a commit per household cost more than everything else it did."""
        for dek in keys.values():
            if not isinstance(dek, bytes | bytearray) or len(dek) != KEY_BYTES:
                raise ValueError(f"A data key must be {KEY_BYTES} bytes.")
        now = datetime.now(UTC)
        rows = [{"key_id": key_id, "wrapped_key": self._wrap(key_id, bytes(dek)),
                 "created_at": now} for key_id, dek in keys.items()]
        if rows:
            with self._engine.begin() as conn:
                self._insert_absent(conn, rows)
        found = self._rows(list(keys))
        stored: dict[str, bytes] = {}
        for key_id in keys:
            row = found.get(key_id)
            if row is None:
                raise RuntimeError(f"The key {key_id!r} vanished right after it was stored.")
            if row.destroyed_at is not None or row.wrapped_key is None:
                raise KeyDestroyedError(key_id)
            stored[key_id] = self._unwrap(key_id, bytes(row.wrapped_key))
            self._remember(key_id, stored[key_id])
        return stored

    def _rows(self, key_ids: list[str]) -> dict[str, Any]:
        """The stored rows of many keys, read in one query per 500 of them."""
        t, found = self._table, {}
        with self._engine.connect() as conn:
            for start in range(0, len(key_ids), 500):
                chunk = key_ids[start : start + 500]
                query = select(t.c.key_id, t.c.wrapped_key, t.c.destroyed_at).where(
                    t.c.key_id.in_(chunk))
                found.update({row.key_id: row for row in conn.execute(query)})
        return found

    def _insert_absent(self, conn: Any, rows: list[dict[str, Any]]) -> None:
        dialect = self._engine.dialect.name
        if dialect in ("postgresql", "sqlite"):
            module = postgresql if dialect == "postgresql" else sqlite
            conn.execute(module.insert(self._table).on_conflict_do_nothing(), rows)
            return
        for values in rows:
            try:
                with conn.begin_nested():
                    conn.execute(insert(self._table).values(values))
            except IntegrityError:
                pass

    def destroy(self, key_id: str, reason: str) -> None:
        """Crypto-shred: drop the wrapped key and record when and why. Idempotent."""
        if not reason or len(reason) > _REASON_MAX:
            raise ValueError(f"A destruction reason of 1 to {_REASON_MAX} characters is needed.")
        t = self._table
        self._forget(key_id)
        with self._engine.begin() as conn:
            result = conn.execute(
                update(t)
                .where(t.c.key_id == key_id, t.c.destroyed_at.is_(None))
                .values(wrapped_key=None, destroyed_at=datetime.now(UTC), destroyed_reason=reason)
            )
            if result.rowcount == 0:
                exists = conn.execute(select(t.c.key_id).where(t.c.key_id == key_id)).first()
                if exists is None:
                    raise KeyError(key_id)
        # Again: a reader may have cached the key between the first forget and the update.
        self._forget(key_id)

    def is_destroyed(self, key_id: str) -> bool:
        """True once `destroy` ran for `key_id`; False for live and for unknown keys."""
        row = self._row(key_id)
        return row is not None and (row.destroyed_at is not None or row.wrapped_key is None)

    def close(self) -> None:
        with self._lock:
            self._cache.clear()
        self._engine.dispose()

    def __enter__(self) -> HouseholdKeyStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def load_or_create_secret(path: Path) -> bytes:
    """A base64 32-byte secret (KEK or blind-index key) from `path`, created 0600 if absent."""
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        secret = generate_key()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first; read theirs
        else:
            with os.fdopen(fd, "w", encoding="ascii") as f:
                f.write(base64.b64encode(secret).decode("ascii") + "\n")
                f.flush()
                os.fsync(f.fileno())
            return secret
    try:
        secret = base64.b64decode(path.read_text(encoding="ascii").strip(), validate=True)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ValueError(f"{path} does not hold a base64-encoded secret.") from None
    if len(secret) != KEY_BYTES:
        raise ValueError(f"{path} must hold a {KEY_BYTES}-byte secret, not {len(secret)} bytes.")
    return secret
