"""Where the read models live: beside a SQLite store, or in the PostgreSQL store's schema."""

from __future__ import annotations

import pytest

from renovation.config import Settings
from renovation.projections.database import split_url


@pytest.mark.parametrize(("db", "views"), [
    ("sqlite:///var/renovation.db", "sqlite:///var/renovation-views.db"),
    ("sqlite:////srv/data/store.db", "sqlite:////srv/data/store-views.db"),
    ("postgresql://u:p@db:5432/prod?schema=guilin", "postgresql://u:p@db:5432/prod?schema=guilin"),
])
def test_the_read_models_default_to_a_place_beside_the_store(db: str, views: str) -> None:
    assert Settings(db=db).views_url() == views


def test_an_explicit_read_model_url_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RENOVATION_VIEWS", "postgresql://u@h/reports?schema=rv")
    assert Settings(db="sqlite:///var/renovation.db").views_url() == (
        "postgresql://u@h/reports?schema=rv")


@pytest.mark.parametrize(("url", "expected"), [
    ("sqlite:////srv/views.db", ("sqlite:////srv/views.db", None)),
    ("postgresql://u@h/db?schema=s", ("postgresql://u@h/db", "s")),
    ("postgresql://u@h/db?sslmode=require&schema=s", ("postgresql://u@h/db?sslmode=require", "s")),
])
def test_the_schema_parameter_is_taken_out_of_the_url(
    url: str, expected: tuple[str, str | None]
) -> None:
    assert split_url(url) == expected
