"""The PostgreSQL schema a store URL names (`?schema=name`), created when it is missing.

Every door that opens a store (the runtime, the application's recorder, the read models, the
registries store) calls `ensure_schema` before any table is made, so
`postgresql://user@host/db?schema=renovation` works on a database where nobody has run
`CREATE SCHEMA` yet. The name is held to a conservative pattern — lowercase letters, digits and
underscores, at most 63 characters, not `pg_…` — so it means the same quoted or not, and it is
always quoted as an identifier. A role that may not create schemas gets one line naming the
schema and what an administrator runs, never the server's error or the SQL.

A URL without `schema=` uses `public`, which PostgreSQL provides; SQLite URLs need nothing.
"""

from __future__ import annotations

import re
import threading
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from renovation.kernel.errors import RuleViolation

SCHEMA_NAME = "store.schema_name"
SCHEMA_MISSING = "store.schema_missing"
PATTERN = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_POSTGRES_SCHEMES = ("postgresql", "postgres")

_ensured: set[tuple[str, str]] = set()
_lock = threading.Lock()


class StoreSchemaError(RuleViolation):
    """The schema a store URL names is unusable (bad name) or missing and cannot be created."""


def check_name(schema: str, field: str = "RENOVATION_DB") -> str:
    """`schema` when it is a name this project accepts; else refused with `store.schema_name`."""
    if not PATTERN.fullmatch(schema) or schema.startswith("pg_"):
        raise StoreSchemaError(
            SCHEMA_NAME, field, schema,
            "the schema in the store URL (?schema=…) must be 1–63 lowercase letters, digits or"
            " underscores, not starting with a digit or pg_: use e.g. ?schema=renovation")
    return schema


def schema_in(url: str) -> str | None:
    """The `schema=` parameter of a PostgreSQL URL (None for SQLite or when absent)."""
    parts = urlsplit(url)
    if parts.scheme.split("+")[0] not in _POSTGRES_SCHEMES:
        return None
    return next((value for key, value in parse_qsl(parts.query, keep_blank_values=True)
                 if key == "schema"), None)


def ensure_schema(url: str, field: str = "RENOVATION_DB", schema: str | None = None) -> None:
    """Create the schema a PostgreSQL URL names (or `schema`, given apart from the URL) when it
    does not exist; once a process per server and schema.

    A blank `schema=` means `public`, as the library reads it. Connection failures propagate as
    the driver's errors (the doors report them as `store.unavailable`).
    """
    if urlsplit(url).scheme.split("+")[0] not in _POSTGRES_SCHEMES:
        return
    schema = schema or schema_in(url)
    if schema is None or not schema.strip():
        return
    check_name(schema, field)
    arguments = _connect_args(url)
    key = (repr(sorted(arguments.items())), schema)
    if key in _ensured:
        return
    import psycopg

    with _lock, psycopg.connect(autocommit=True, **arguments) as conn:
        create_schema(conn, schema, field)
        _ensured.add(key)


def create_schema(conn: Any, schema: str, field: str = "RENOVATION_DB") -> None:
    """On an autocommit psycopg connection: `CREATE SCHEMA IF NOT EXISTS` unless it exists.

    A role without the CREATE privilege on the database is refused with `store.schema_missing`
    only when the schema really is missing: asking whether it exists needs no privilege.
    """
    from psycopg import errors, sql

    check_name(schema, field)
    if _exists(conn, schema):
        return
    try:
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
        return
    except errors.InsufficientPrivilege:
        pass  # refused below, outside this block: the driver's error is no part of the answer
    except (errors.UniqueViolation, errors.DuplicateSchema):
        return  # another process created it at the same moment
    raise _missing(schema, str(conn.info.user), field)


def _exists(conn: Any, schema: str) -> bool:
    row = conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone()
    return row is not None


def _missing(schema: str, role: str, field: str) -> StoreSchemaError:
    owner = '"' + role.replace('"', '""') + '"'
    return StoreSchemaError(
        SCHEMA_MISSING, field, schema,
        f"the schema {schema} does not exist and the role {role} may not create it: ask the"
        f" database administrator to run CREATE SCHEMA {schema} AUTHORIZATION {owner};"
        " (or to grant that role CREATE on the database), then run the command again")


def _connect_args(url: str) -> dict[str, Any]:
    """psycopg's keyword arguments for a store URL, with the defaults the store itself uses
    (`store_env`): host 127.0.0.1, port 5432, user and database `postgres`. Other query
    parameters (`sslmode`, …) are passed on to libpq; `schema` is ours."""
    parts = urlsplit(url)
    extra = {k: v for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "schema"}
    arguments = {**extra,
                 "host": parts.hostname or "127.0.0.1", "port": parts.port or 5432,
                 "user": unquote(parts.username or "postgres"),
                 "dbname": unquote(parts.path.lstrip("/")) or "postgres"}
    if parts.password:
        arguments["password"] = unquote(parts.password)
    return arguments
