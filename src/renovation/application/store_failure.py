"""存储不可用 — a database failure reported at the door as one line that leaks nothing.

A driver's error text can hold the SQL it ran and the values bound to it (wrapped keys, key ids,
sealed fields), so it never reaches a person or a log as it is. What is kept: the error's class,
and for failures of the connection or the disk the first line of its message up to the first
quote or bracket (`database or disk is full`, `connection refused`, `terminating connection
due to administrator command`), which names the cause and no value.
"""

from __future__ import annotations

import re
import sqlite3
from urllib.parse import urlsplit

from renovation.kernel.errors import RuleViolation

STORE_UNAVAILABLE = "store.unavailable"
_SAFE = re.compile(r"[A-Za-z0-9 ,.:;_/()-]*")
_CAUSE_CLASSES = ("OperationalError", "InterfaceError", "DiskFull", "AdminShutdown",
                  "ConnectionTimeout", "PoolTimeout", "ConnectionFailure")


class StoreUnavailableError(RuleViolation):
    """The store could not be reached, or failed while writing; some work may have been done."""


def is_store_failure(error: BaseException) -> bool:
    """Whether `error` came from a database driver, a pool or the library's persistence."""
    from eventsourcing.persistence import PersistenceError
    from sqlalchemy.exc import SQLAlchemyError

    kinds: tuple[type[BaseException], ...] = (PersistenceError, SQLAlchemyError, sqlite3.Error)
    try:
        import psycopg
        import psycopg_pool

        kinds += (psycopg.Error, psycopg_pool.PoolTimeout)
    except ImportError:  # pragma: no cover - psycopg is a dependency
        pass
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, kinds):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def store_unavailable(error: BaseException, db_url: str) -> StoreUnavailableError:
    """The refusal for a store failure: the store's address without credentials, the cause."""
    name = type(error).__name__
    cause = _cause(error) if any(k in name for k in _CAUSE_CLASSES) else ""
    return StoreUnavailableError(
        STORE_UNAVAILABLE, "RENOVATION_DB", _address(db_url),
        f"the store failed ({name}{': ' + cause if cause else ''}); some work may have been"
        " saved before it did: run the same command or file again once the store is back —"
        " what was applied is recognised and not applied twice")


def _cause(error: BaseException) -> str:
    first = str(error).strip().splitlines()[0] if str(error).strip() else ""
    match = _SAFE.match(first)
    return (match.group(0) if match else "").strip()[:120]


def _address(db_url: str) -> str:
    parts = urlsplit(db_url)
    if parts.scheme == "sqlite":
        return db_url
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"
