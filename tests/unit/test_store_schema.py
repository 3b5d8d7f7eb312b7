"""The schema name a store URL may carry, and where the schema check connects (no server)."""

from __future__ import annotations

import pytest

from renovation.store_schema import (
    SCHEMA_NAME,
    StoreSchemaError,
    _connect_args,
    check_name,
    ensure_schema,
    schema_in,
)


@pytest.mark.parametrize("name", ["renovation", "guilin_2022", "_x", "a" * 63, "public"])
def test_plain_lowercase_names_pass(name: str) -> None:
    assert check_name(name) == name


@pytest.mark.parametrize("name", ["", "Guilin", "a-b", "a b", 'a"b', "9a", "pg_x", "a" * 64,
                                  "桂林"])
def test_anything_else_is_refused_naming_the_rule(name: str) -> None:
    with pytest.raises(StoreSchemaError) as refused:
        check_name(name, "RENOVATION_VIEWS")
    assert (refused.value.rule, refused.value.field, refused.value.value) == (
        SCHEMA_NAME, "RENOVATION_VIEWS", name)


def test_the_schema_is_read_from_postgresql_urls_only() -> None:
    assert schema_in("postgresql://u@h/db?sslmode=require&schema=s") == "s"
    assert schema_in("postgresql+psycopg://u@h/db") is None
    assert schema_in("sqlite:///var/renovation.db?schema=s") is None


def test_sqlite_and_public_need_no_server() -> None:
    ensure_schema("sqlite:///nowhere/renovation.db")
    ensure_schema("postgresql://u@unreachable.invalid/db")
    ensure_schema("postgresql://u@unreachable.invalid/db?schema=")


def test_a_bad_name_is_refused_before_connecting() -> None:
    with pytest.raises(StoreSchemaError):
        ensure_schema("postgresql://u@unreachable.invalid/db?schema=Bad")


def test_the_connection_uses_the_store_defaults_and_keeps_libpq_options() -> None:
    assert _connect_args("postgresql:///?schema=s&sslmode=require") == {
        "sslmode": "require", "host": "127.0.0.1", "port": 5432, "user": "postgres",
        "dbname": "postgres"}
    assert _connect_args("postgresql+psycopg://a%40b:p%2F@db:5433/cases")["password"] == "p/"
