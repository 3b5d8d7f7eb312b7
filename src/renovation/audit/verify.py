"""核验 — verify a store: recompute every leaf and the chain from raw rows, check checkpoints.

One pass over the events and the chain rows, both in notification order, merged by id. Local
checks (leaf against its row, chain value against the previous row) find where a row was
changed; the chain recomputed from the events alone is compared with each signed checkpoint,
which also catches a chain rewritten whole by someone without the signing key. A second pass
reads the events aggregate by aggregate (the primary key's order) to check that each one's
versions run from 1 without gaps or repeats: memory stays flat whatever the number of
aggregates (the first design kept every aggregate's last version: 3.6 GB at 1,000,000 cases).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from time import perf_counter
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from renovation.audit.chain import GENESIS, chain_hash, leaf_hash
from renovation.audit.checkpoint import load_checkpoints
from renovation.audit.merkle import TreeBuilder
from renovation.audit.report import (
    CHAIN_MISMATCH,
    CHECKPOINT_MISMATCH,
    CHECKPOINT_ORDER,
    CHECKPOINT_ORIGIN,
    CHECKPOINT_TRUNCATED,
    CONTENT_MISMATCH,
    EXTRA_CHAIN_ROW,
    ID_ORDER,
    MISSING_CHAIN_ROW,
    NO_CHAIN,
    VERSION_DUPLICATE,
    VERSION_GAP,
    Checkpoint,
    Problem,
    Report,
)
from renovation.audit.source import Rows, Snapshot, open_snapshot, reporting
from renovation.audit.tables import ADOPTED_THROUGH, ORIGIN
from renovation.audit.verify_heads import Marks
from renovation.audit.witness import Witnessed, read_witness

MALFORMED = b"\xff" * 32  # stands for the leaf of a row that has none
PROBLEM_LIMIT = 1_000
NEVER = float("inf")


def verify_store(
    db_url: str,
    checkpoints_dir: Path | None = None,
    public_key: Ed25519PublicKey | None = None,
    limit: int = PROBLEM_LIMIT,
    head_key: Ed25519PublicKey | None = None,
    witness: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Verify the store at `db_url`, against the checkpoints in a directory if given, its
    signed head if `head_key` is given, and the heads the `witness` URL holds.

    `on_progress(position, head)` is called as the pass over the events goes on."""
    started = perf_counter()
    checkpoints: list[Checkpoint] = []
    unusable: list[Problem] = []
    if checkpoints_dir is not None:
        if public_key is None:
            raise ValueError("checkpoints are checked against a pinned public key")
        checkpoints, unusable = load_checkpoints(checkpoints_dir, public_key)
    with open_snapshot(db_url) as snapshot:
        origin = snapshot.meta.get(ORIGIN)
        witnessed = read_witness(witness, origin) if witness and origin else None
        report = verify_snapshot(snapshot, checkpoints, limit, unusable, head_key, witnessed,
                                 on_progress)
        if head_key is not None and not witness:
            report.warnings.append("no witness configured: a truncation back to an earlier"
                                   " signed head would go unnoticed")
    if checkpoints_dir is not None and not checkpoints and not unusable:
        report.warnings.append(f"no checkpoints found in {checkpoints_dir}")
    report.seconds = perf_counter() - started
    return report


def verify_snapshot(
    snapshot: Snapshot,
    checkpoints: list[Checkpoint],
    limit: int = PROBLEM_LIMIT,
    unusable: list[Problem] | None = None,
    head_key: Ed25519PublicKey | None = None,
    witnessed: Witnessed | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Verify one snapshot of a store; `unusable` are problems already found in checkpoints.

    Breaks in the log come first, in notification order; then problems with the evidence.
    """
    adopted = snapshot.meta.get(ADOPTED_THROUGH, "")
    report = Report(origin=snapshot.meta.get(ORIGIN),
                    adopted_through=int(adopted) if adopted.isascii() and adopted.isdigit()
                    else None)
    walk = _Walk(report, checkpoints, limit)
    walk.marks = Marks(report, walk.add, head_key, snapshot.meta, witnessed)
    walk.next_anchor = walk.next()
    if snapshot.has_chain:
        walk.run(reporting(snapshot.rows, snapshot.head, on_progress), snapshot.orphans)
        walk.check_versions(snapshot.by_aggregate)
    else:
        walk.add(Problem(NO_CHAIN, "the store has no audit chain tables"))
    _check_checkpoints(walk, checkpoints, report.origin)
    for problem in unusable or []:
        walk.add(problem)
    _warn(report, bool(checkpoints) or bool(unusable))
    return report


def _check_checkpoints(walk: _Walk, checkpoints: list[Checkpoint], origin: str | None) -> None:
    for c in checkpoints:
        if c.origin != origin:
            walk.add(Problem(CHECKPOINT_ORIGIN, f"signed for {c.origin}, the store is {origin}",
                             source=c.source))
    ordered = sorted(checkpoints, key=lambda c: (c.last_id, c.size, c.time))
    for a, b in pairwise(ordered):
        if b.size < a.size or b.time < a.time:
            walk.add(Problem(CHECKPOINT_ORDER, f"covers more than {a.source} but is smaller or"
                             " older: the log shrank between them", source=b.source))


def _warn(report: Report, checked: bool) -> None:
    if not checked:
        report.warnings.append("no checkpoints checked: the chain shows internal consistency"
                               " only; anyone with database access could rewrite it whole")
    if report.unwitnessed_events and report.witnessed_through:
        report.warnings.append(
            f"{report.unwitnessed_events} events after notification {report.witnessed_through}"
            " are not yet witnessed: deleting them would go unnoticed")
    if report.unanchored:
        report.warnings.append(
            f"{report.unanchored} events after notification {report.anchored_through} are"
            " unanchored: no checkpoint covers them yet")
    if report.adopted_through:
        report.warnings.append(
            f"events through notification {report.adopted_through} were chained when the audit"
            " chain was started on this store, not as they were written")


def _where(event: tuple[Any, ...] | None) -> dict[str, Any]:
    if event is None:
        return {}
    oid, version, topic = event[1], event[2], event[3]
    return {"originator_id": str(oid) if oid is not None else None,
            "originator_version": version if type(version) is int else None,
            "topic": topic if type(topic) is str else None}


class _Walk:
    """The single pass: every event and chain row, in notification order."""

    def __init__(self, report: Report, checkpoints: list[Checkpoint], limit: int) -> None:
        self.report, self.limit = report, limit
        self.pending = deque(sorted(checkpoints, key=lambda c: (c.last_id, c.size)))
        self.marks: Marks | None = None
        self.next_anchor = self.next()
        self.prev = GENESIS  # the stored chain value of the last chain row
        self.head = GENESIS  # the chain recomputed from the events alone
        self.tree = TreeBuilder()  # RFC 6962 tree over the recomputed leaves, for merkle roots
        self.events = self.rows = self.last_event = self.last_row = self.anchored_events = 0

    def add(self, problem: Problem) -> None:
        if len(self.report.problems) < self.limit:
            self.report.problems.append(problem)
        else:
            self.report.omitted += 1

    def flag(self, kind: str, detail: str, position: int, event: tuple[Any, ...] | None) -> None:
        self.add(Problem(kind, detail, position, **_where(event)))

    def run(self, rows: Rows, orphans: Rows) -> None:
        self._reached(0)
        o = next(orphans, None)
        for r in rows:
            while o is not None and o[0] < r[0]:
                self.step(None, o)
                o = next(orphans, None)
            if not self.fast(r):
                self.step(r[:5], r[5:] if r[5] is not None else None)
        while o is not None:
            self.step(None, o)
            o = next(orphans, None)
        self._finish()

    def fast(self, r: tuple[Any, ...]) -> bool:
        """The usual case, an intact event with its chain row: True when every check passes.

        Changes nothing and returns False otherwise, leaving the row to `step`.
        """
        position, oid, version, topic, state, _, row_leaf, row_chain = r
        prev = self.prev
        if (row_leaf is None or position <= self.last_event or position <= self.last_row
                or position >= self.next_anchor or self.head != prev):
            return False
        try:
            leaf = leaf_hash(position, oid, version, topic, state)
        except (TypeError, UnicodeEncodeError):
            return False
        expected = chain_hash(prev, leaf)
        if leaf != row_leaf or expected != row_chain:
            return False
        self.tree.append(leaf)
        self.prev = self.head = expected
        self.last_event = self.last_row = position
        self.events += 1
        self.rows += 1
        return True

    def step(self, e: tuple[Any, ...] | None, c: tuple[Any, ...] | None) -> None:
        """Any row, with every check and a problem for each that fails."""
        position = e[0] if e is not None else c[0]  # type: ignore[index]
        if self.next_anchor < position:
            self._passed(position)
        synced = self.head == self.prev
        leaf = self._leaf(e) if e is not None else None
        expected = self._row(e, c, leaf) if c is not None else None
        if e is None:
            return
        if c is None:
            self.flag(MISSING_CHAIN_ROW, "an event the chain does not cover (inserted"
                      " behind the recorder, or its chain row deleted)", position, e)
        if synced and expected is not None and leaf == c[1]:  # type: ignore[index]
            self.head = expected
        else:
            self.head = chain_hash(self.head, leaf if leaf is not None else MALFORMED)
        self.tree.append(leaf if leaf is not None else MALFORMED)
        self._count(e, position)

    def _leaf(self, e: tuple[Any, ...]) -> bytes | None:
        if e[0] <= self.last_event:
            self.flag(ID_ORDER, f"notification id {e[0]} follows {self.last_event}", e[0], e)
        self.last_event = e[0]
        try:
            return leaf_hash(*e)
        except (TypeError, UnicodeEncodeError) as error:
            self.flag(CONTENT_MISMATCH, f"malformed row: {error}", e[0], e)
            return None

    def _row(
        self, e: tuple[Any, ...] | None, c: tuple[Any, ...], leaf: bytes | None
    ) -> bytes | None:
        position, row_leaf, row_chain = c
        if position <= self.last_row:
            self.flag(ID_ORDER, f"chain row {position} follows {self.last_row}", position, e)
        self.last_row = position
        self.rows += 1
        if not (type(row_leaf) is bytes and type(row_chain) is bytes
                and len(row_leaf) == len(row_chain) == 32):
            self.flag(CHAIN_MISMATCH, "the chain row holds no 32-byte hashes", position, e)
            self.prev = MALFORMED
            return None
        if e is None:
            self.flag(EXTRA_CHAIN_ROW, "a chain row whose event is gone (deleted)", position, e)
        elif leaf is not None and leaf != row_leaf:
            self.flag(CONTENT_MISMATCH, "the event's stored bytes (payload, topic, aggregate id"
                      " or version) differ from those chained when it was written (or its"
                      " chain row's leaf was edited)", position, e)
        expected = chain_hash(self.prev, row_leaf)
        if expected != row_chain:
            self.flag(CHAIN_MISMATCH, "the chain value does not follow from the previous row's",
                      position, e)
        self.prev = row_chain
        return expected

    def _count(self, e: tuple[Any, ...], position: int) -> None:
        self.events += 1
        if self.next_anchor == position:
            self._reached(position)

    def check_versions(self, by_aggregate: Rows) -> None:
        """Each aggregate's versions from 1, without gaps or repeats; problems merged into the
        log's in notification order."""
        found: list[Problem] = []
        current, last = None, 0
        for oid, version, position in by_aggregate:
            if oid != current:
                current, last = oid, 0
            if type(version) is not int:
                continue
            if version != last + 1 and len(found) < self.limit:
                kind = VERSION_DUPLICATE if version <= last else VERSION_GAP
                found.append(Problem(kind, f"version {version} follows version {last} of this"
                                     " aggregate", position, originator_id=str(oid),
                                     originator_version=version))
            last = max(version, last)
        self._merge(found)

    def _merge(self, found: list[Problem]) -> None:
        if not found:
            return
        report = self.report
        kept, dropped = report.problems, report.omitted
        merged = sorted([*kept, *found], key=lambda p: (p.position is None, p.position or 0))
        report.problems = merged[: self.limit]
        report.omitted = dropped + len(merged) - len(report.problems)

    def next(self) -> float:
        """Where the next checkpoint or signed head is met."""
        checkpoint = self.pending[0].last_id if self.pending else NEVER
        return min(checkpoint, self.marks.next if self.marks else NEVER)

    def _pop(self) -> Checkpoint:
        c = self.pending.popleft()
        self.next_anchor = self.next()
        return c

    def _reached(self, position: int) -> None:
        """Compare with the checkpoints and signed heads at the event at `position`."""
        if self.marks is not None:
            self.marks.reached(position, self.head, self.events)
            self.next_anchor = self.next()
        while self.pending and self.pending[0].last_id == position:
            c = self._pop()
            rooted = c.merkle_root is None or c.merkle_root == self.tree.root()
            if self.events == c.size and self.head == c.head and rooted:
                self.report.checkpoints.append(c)
                self.report.anchored_through, self.anchored_events = c.last_id, self.events
                continue
            self.add(Problem(
                CHECKPOINT_MISMATCH, f"{c.source} signed {c.size} events with head"
                f" {c.head.hex()[:16]}…; recomputed {self.events} events with head"
                f" {self.head.hex()[:16]}…" + ("" if rooted else "; the merkle root differs"),
                position, source=c.source))

    def _passed(self, position: int) -> None:
        if self.marks is not None:
            self.marks.passed(position)
            self.next_anchor = self.next()
        while self.pending and self.pending[0].last_id < position:
            c = self._pop()
            self.add(Problem(CHECKPOINT_MISMATCH, f"{c.source} ends at an event that is gone",
                             c.last_id, source=c.source))

    def _finish(self) -> None:
        report = self.report
        while self.pending:
            c = self._pop()
            self.add(Problem(
                CHECKPOINT_TRUNCATED, f"the store ends at notification {self.last_event}, before"
                f" the last event {c.source} covers ({c.size} events): the log was truncated",
                c.last_id, source=c.source))
        report.events, report.chain_rows, report.last_id = self.events, self.rows, self.last_event
        report.head, report.merkle_root = self.head, self.tree.root()
        report.unanchored = self.events - self.anchored_events
        if self.marks is not None:
            self.marks.finish(self.last_event, self.events)
