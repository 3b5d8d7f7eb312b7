"""A store that could lose acknowledged commits in a crash is refused at start."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from renovation.secrets_config import ConfigurationError, check_durability


class FakeDatastore:
    """Answers the one setting asked, as SQLite (a tuple row) or psycopg (a dict row) would."""

    def __init__(self, row: Any) -> None:
        self.row = row
        self.asked: list[str] = []

    @contextmanager
    def transaction(self, commit: bool) -> Iterator[FakeDatastore]:
        yield self

    def execute(self, statement: str) -> None:
        self.asked.append(statement)

    def fetchone(self) -> Any:
        return self.row


@pytest.mark.parametrize(("row", "postgres"), [
    ((2,), False), ((3,), False), ({"synchronous_commit": "on"}, True),
    ({"synchronous_commit": "remote_apply"}, True)])
def test_full_sync_and_synchronous_commit_pass(row: Any, postgres: bool) -> None:
    check_durability(FakeDatastore(row), postgres)


@pytest.mark.parametrize(("row", "postgres", "setting"), [
    ((0,), False, "synchronous"), ((1,), False, "synchronous"),
    ({"synchronous_commit": "off"}, True, "synchronous_commit")])
def test_a_store_that_may_lose_commits_is_refused_naming_the_setting(
        row: Any, postgres: bool, setting: str) -> None:
    with pytest.raises(ConfigurationError) as refused:
        check_durability(FakeDatastore(row), postgres)
    assert (refused.value.rule, refused.value.field) == ("store.durability", setting)
