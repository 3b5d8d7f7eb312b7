"""Access to the test PostgreSQL server, and a throw-away schema per test.

Without a server the PostgreSQL tests are skipped (and the run says so at the end), unless
RENOVATION_REQUIRE_POSTGRES=1, as in CI, where a missing server fails them.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from urllib.parse import urlsplit

import psycopg
import pytest

PG_URL = os.environ.get("RENOVATION_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
REQUIRED = os.environ.get("RENOVATION_REQUIRE_POSTGRES") == "1"
skipped: list[str] = []


@cache
def unavailable() -> str | None:
    """Why the server cannot be used, or None when it can."""
    try:
        with psycopg.connect(PG_URL, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as error:
        return f"{PG_URL}: {str(error).strip().splitlines()[0]}"
    return None


def require_server() -> None:
    problem = unavailable()
    if problem is None:
        return
    if REQUIRED:
        pytest.fail(
            f"PostgreSQL is required (RENOVATION_REQUIRE_POSTGRES=1) but unusable: {problem}"
        )
    skipped.append(problem)
    pytest.skip(f"PostgreSQL unavailable: {problem}")


@contextmanager
def fresh_schema() -> Iterator[str]:
    """A new empty schema, dropped with everything in it afterwards."""
    require_server()
    schema = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield schema
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def url_with_schema(schema: str) -> str:
    return f"{PG_URL}?schema={schema}"


@contextmanager
def missing_schema() -> Iterator[str]:
    """The name of a schema that does not exist yet; dropped, if something made it, afterwards."""
    require_server()
    schema = f"t_{secrets.token_hex(6)}"
    try:
        yield schema
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def schema_exists(schema: str) -> bool:
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        row = conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone()
    return row is not None


@contextmanager
def role_without_create() -> Iterator[tuple[str, str]]:
    """(role, URL of the test database as that role): it may log in, never create a schema.
    Whatever it comes to own must be dropped before the role is, at the end."""
    require_server()
    role, password = f"t_role_{secrets.token_hex(6)}", secrets.token_hex(12)
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
    parts = urlsplit(PG_URL)
    netloc = f"{role}:{password}@{parts.hostname}:{parts.port or 5432}"
    try:
        yield role, parts._replace(netloc=netloc).geturl()
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"DROP ROLE IF EXISTS {role}")
