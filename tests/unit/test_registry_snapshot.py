"""参照数据快照: the audit record of a load — one per kind and date, never dated in the future."""

from __future__ import annotations

from datetime import date

import pytest

from renovation.aggregates.base import Actor
from renovation.aggregates.registry import (
    RegistryKind,
    RegistryRuleError,
    RegistrySnapshot,
    snapshot_id,
)
from renovation.kernel.vocabulary import Role

ACTOR = Actor(id="pm-4503", role=Role.PROGRAMME_MANAGER, jurisdiction="450300000000",
              recorded_by="pm-4503")


def load(as_of: date, today: date = date(2022, 7, 1)) -> RegistrySnapshot:
    return RegistrySnapshot.load(
        kind=RegistryKind.DIBAO, department="灵川县民政局", as_of=as_of, source_name="d.csv",
        sha256="a" * 64, rows=10, rejected=1, entries_sha256="b" * 64, actor=ACTOR,
        today=today)


def test_a_load_records_who_loaded_which_file_for_which_date() -> None:
    snapshot = load(date(2022, 6, 30))
    (event,) = snapshot.collect_events()
    assert type(event).TOPIC == "renovation.registry:RegistrySnapshotImported"
    assert (event.kind, event.as_of, event.sha256, event.rows, event.rejected) == (
        RegistryKind.DIBAO, date(2022, 6, 30), "a" * 64, 10, 1)
    assert event.actor == ACTOR and event.occurred_on == date(2022, 7, 1)
    assert event.timestamp is not None


def test_a_kind_has_one_snapshot_per_date() -> None:
    assert load(date(2022, 6, 30)).id == snapshot_id("dibao", date(2022, 6, 30))
    assert snapshot_id("dibao", date(2022, 6, 30)) != snapshot_id("tekun", date(2022, 6, 30))
    assert snapshot_id("dibao", date(2022, 6, 30)) != snapshot_id("dibao", date(2022, 7, 1))


def test_a_snapshot_dated_after_today_is_refused() -> None:
    with pytest.raises(RegistryRuleError) as refused:
        load(date(2022, 7, 2))
    assert (refused.value.rule, refused.value.field, refused.value.value) == (
        "registry.as_of", "as_of", "2022-07-02")


def test_a_rerun_of_the_same_file_is_told_apart_from_another_file() -> None:
    snapshot = load(date(2022, 6, 30))
    assert snapshot.same_content("a" * 64, "b" * 64)
    assert not snapshot.same_content("c" * 64, "b" * 64)


def test_the_stored_topic_resolves_by_importing_the_registry_package() -> None:
    import renovation.registry as package

    assert package.RegistrySnapshotImported is RegistrySnapshot.RegistrySnapshotImported
