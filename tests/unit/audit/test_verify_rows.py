"""The verifier's pass over rows, on in-memory tables: every kind of break, and mutation tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from renovation.audit import report as kinds
from renovation.audit.chain import GENESIS, EventRow, head_of, link
from renovation.audit.report import Checkpoint, Report
from renovation.audit.source import Snapshot
from renovation.audit.verify import verify_snapshot

A, B, C = "a" * 32, "b" * 32, "c" * 32  # aggregates
T0 = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass
class Tables:
    """An events table and a chain table, keyed by notification id, as a database holds them."""

    events: dict[int, list[Any]] = field(default_factory=dict)
    chain: dict[int, list[Any]] = field(default_factory=dict)

    @classmethod
    def honest(cls, ids: list[int] | None = None) -> Tables:
        ids = ids or list(range(1, 10))
        owners = [A, B, A, C, B, A, A, C, B][: len(ids)]
        versions: dict[str, int] = {}
        rows = []
        for i, owner in zip(ids, owners, strict=True):
            versions[owner] = versions.get(owner, 0) + 1
            rows.append(EventRow(i, owner, versions[owner], f"t:{i % 3}", b'{"n":%d}' % i))
        tables = cls()
        for row, linked in zip(rows, link(GENESIS, rows), strict=True):
            tables.events[row.notification_id] = list(row[1:])
            tables.chain[row.notification_id] = [linked.leaf_hash, linked.chain_hash]
        return tables

    def snapshot(self) -> Snapshot:
        joined = [(i, *e, *((i, *self.chain[i]) if i in self.chain else (None, None, None)))
                  for i, e in sorted(self.events.items())]
        orphans = [(i, *c) for i, c in sorted(self.chain.items()) if i not in self.events]
        meta = {"origin": "o"}
        by_aggregate = sorted(((e[0], e[1], i) for i, e in self.events.items()),
                              key=lambda r: (repr(r[0]), r[1] if type(r[1]) is int else -1, r[2]))
        return Snapshot(True, meta, iter(joined), iter(orphans), iter(by_aggregate))

    def head(self) -> bytes:
        rows = [EventRow(i, *e) for i, e in sorted(self.events.items())]
        return head_of(link(GENESIS, rows))

    def rechain(self) -> None:
        """What someone with database access but no key can do: recompute the whole chain."""
        rows = [EventRow(i, *e) for i, e in sorted(self.events.items())]
        self.chain = {r.notification_id: [r.leaf_hash, r.chain_hash] for r in link(GENESIS, rows)}


def verify(tables: Tables, *checkpoints: Checkpoint) -> Report:
    return verify_snapshot(tables.snapshot(), list(checkpoints))


def first(report: Report) -> tuple[str, int | None]:
    assert report.first is not None, "the break went unnoticed"
    return report.first.kind, report.first.position


def anchor(tables: Tables, last_id: int, minute: int = 0) -> Checkpoint:
    covered = Tables({i: e for i, e in tables.events.items() if i <= last_id})
    return Checkpoint("o", len(covered.events), covered.head(), last_id,
                      T0.replace(minute=minute), "k", f"c{last_id}")


def test_an_honest_store_verifies_and_gaps_in_ids_are_allowed() -> None:
    for ids in (None, [1, 2, 5, 9, 10, 40, 41, 42, 100]):
        tables = Tables.honest(ids)
        report = verify(tables, anchor(tables, max(tables.events)))
        assert report.ok, report.problems
        assert (report.events, report.chain_rows, report.unanchored) == (9, 9, 0)
        assert report.head == tables.head() and report.last_id == max(tables.events)


def test_an_empty_store_matches_an_empty_checkpoint() -> None:
    empty = Tables()
    report = verify(empty, Checkpoint("o", 0, GENESIS, 0, T0, "k", "c0"))
    assert report.ok and report.checkpoints and report.head == GENESIS


def test_each_edited_column_is_a_content_mismatch_at_its_position() -> None:
    for column, value in ((0, "d" * 32), (1, 7), (2, "t:other"), (3, b'{"n":999}')):
        tables = Tables.honest()
        tables.events[4][column] = value
        assert first(verify(tables)) == (kinds.CONTENT_MISMATCH, 4)


def test_a_value_stored_with_another_type_is_a_content_mismatch() -> None:
    tables = Tables.honest()
    tables.events[3][3] = tables.events[3][3].decode()
    assert first(verify(tables)) == (kinds.CONTENT_MISMATCH, 3)


def test_deleted_and_inserted_rows() -> None:
    tables = Tables.honest()
    del tables.events[5]
    assert first(verify(tables)) == (kinds.EXTRA_CHAIN_ROW, 5)
    del tables.chain[5]
    assert first(verify(tables)) == (kinds.CHAIN_MISMATCH, 6)
    tables = Tables.honest()
    tables.events[10] = [C, 3, "t:1", b"{}"]
    assert first(verify(tables)) == (kinds.MISSING_CHAIN_ROW, 10)


def test_swapped_rows_break_at_the_first_of_them() -> None:
    tables = Tables.honest()
    tables.events[3], tables.events[6] = tables.events[6], tables.events[3]
    assert first(verify(tables)) == (kinds.CONTENT_MISMATCH, 3)


def test_versions_must_run_from_1_without_gaps_or_repeats() -> None:
    tables = Tables.honest()
    del tables.events[3]
    tables.rechain()
    assert first(verify(tables)) == (kinds.VERSION_GAP, 6)
    tables = Tables.honest()
    tables.events[3][1] = 1
    tables.rechain()
    assert first(verify(tables)) == (kinds.VERSION_DUPLICATE, 3)


def test_an_edited_chain_value_is_a_chain_mismatch() -> None:
    tables = Tables.honest()
    tables.chain[7][1] = bytes(32)
    assert first(verify(tables)) == (kinds.CHAIN_MISMATCH, 7)
    tables.chain[7][1] = "not bytes"
    assert first(verify(tables)) == (kinds.CHAIN_MISMATCH, 7)


def test_a_rechained_edit_passes_alone_and_fails_against_a_checkpoint() -> None:
    tables = Tables.honest()
    signed = anchor(tables, 6)
    tables.events[2][3] = b'{"n":"forged"}'
    tables.rechain()
    assert verify(tables).ok
    report = verify(tables, signed)
    assert first(report) == (kinds.CHECKPOINT_MISMATCH, 6)
    assert report.anchored_through == 0 and report.unanchored == 9


def test_a_truncated_tail_passes_alone_and_fails_against_a_checkpoint() -> None:
    tables = Tables.honest()
    signed = anchor(tables, 9)
    del tables.events[9], tables.chain[9]
    assert verify(tables).ok
    assert first(verify(tables, signed)) == (kinds.CHECKPOINT_TRUNCATED, 9)


def test_a_checkpoint_whose_last_event_is_gone_is_a_mismatch() -> None:
    tables = Tables.honest()
    signed = anchor(tables, 5)
    del tables.events[5], tables.chain[5]
    tables.rechain()
    assert first(verify(tables, signed)) == (kinds.CHECKPOINT_MISMATCH, 5)


def test_events_after_the_last_checkpoint_are_unanchored_with_a_warning() -> None:
    tables = Tables.honest()
    report = verify(tables, anchor(tables, 4, 1), anchor(tables, 2, 0))
    assert report.ok and report.anchored_through == 4 and report.unanchored == 5
    assert any("5 events after notification 4 are unanchored" in w for w in report.warnings)


def test_checkpoints_from_another_origin_or_out_of_order_are_problems() -> None:
    tables = Tables.honest()
    older_but_larger = anchor(tables, 8, minute=0)
    newer_but_smaller = anchor(tables, 4, minute=5)
    stray = Checkpoint("elsewhere", 4, tables.head(), 9, T0, "k", "stray")
    report = verify(tables, older_but_larger, newer_but_smaller)
    assert first(report)[0] == kinds.CHECKPOINT_ORDER
    assert kinds.CHECKPOINT_ORIGIN in [p.kind for p in verify(tables, stray).problems]


def test_duplicated_notification_ids_are_out_of_order() -> None:
    snapshot = Tables.honest().snapshot()
    rows = list(snapshot.rows)
    rows.insert(3, rows[2])
    snapshot.rows = iter(rows)
    report = verify_snapshot(snapshot, [])
    assert (report.first.kind, report.first.position) == (kinds.ID_ORDER, 3)  # type: ignore[union-attr]


def test_problems_beyond_the_limit_are_counted_not_kept() -> None:
    tables = Tables.honest()
    for row in tables.events.values():
        row[3] = b"x"
    report = verify_snapshot(tables.snapshot(), [], limit=3)
    assert len(report.problems) == 3 and report.omitted == 6


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_any_single_mutation_of_any_row_is_found(data: st.DataObject) -> None:
    tables = Tables.honest()
    signed = anchor(tables, 9)
    table = data.draw(st.sampled_from(["events", "chain"]))
    rows = getattr(tables, table)
    row_id = data.draw(st.sampled_from(sorted(rows)))
    column = data.draw(st.integers(0, len(rows[row_id]) - 1))
    value = rows[row_id][column]
    if isinstance(value, int):
        new: Any = data.draw(st.integers(-3, 20).filter(lambda v: v != value))
    else:
        raw = bytearray(value.encode() if isinstance(value, str) else value or b"\0")
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] ^= data.draw(st.integers(1, 255))
        new = bytes(raw).decode("latin-1") if isinstance(value, str) else bytes(raw)
    rows[row_id][column] = new
    assert not verify(tables, signed).ok
    if table == "events":
        tables.rechain()
        assert not verify(tables, signed).ok
