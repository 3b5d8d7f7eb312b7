"""Signed heads in verification: the store's own latest signed head and the witness's heads.

Each is a mark at a notification id where the chain recomputed from the events must equal the
signed value. The store's signed head must also be at its last event: events after it were
written without the head-signing key. A witnessed head beyond the store's last event means the
log was truncated after the witness saw it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from renovation.audit.heads import SIGNED_HEAD, HeadFormatError, SignedHead, head_from_meta
from renovation.audit.report import (
    HEAD_MISMATCH,
    HEAD_SIGNATURE,
    HEAD_TRUNCATED,
    HEAD_UNSIGNED,
    TRUNCATED_AFTER_WITNESS,
    WITNESS_MISMATCH,
    Problem,
    Report,
)
from renovation.audit.witness import Witnessed

NEVER = float("inf")


@dataclass(frozen=True)
class Mark:
    head: SignedHead
    witnessed: bool

    @property
    def source(self) -> str:
        if not self.witnessed:
            return "the store's signed head"
        when = self.head.time.strftime("%Y-%m-%dT%H:%M:%SZ") if self.head.time else "?"
        return f"the witness's head of {when}"


class Marks:
    """The heads to meet during the walk, in notification order."""

    def __init__(self, report: Report, add: Callable[[Problem], None],
                 key: Ed25519PublicKey | None, meta: dict[str, str],
                 witnessed: Witnessed | None) -> None:
        self.report, self.add, self.key = report, add, key
        self.store_head: SignedHead | None = None
        marks: list[Mark] = []
        if key is not None:
            self.store_head = self._store_head(meta, report.origin)
            if self.store_head is not None:
                marks.append(Mark(self.store_head, witnessed=False))
            marks += self._witnessed(witnessed)
        self.pending = deque(sorted(marks, key=lambda m: m.head.last_id))
        self.last_witnessed: Mark | None = None
        self.store_broken = False  # its head already reported: the tail is not said again

    @property
    def next(self) -> float:
        return self.pending[0].head.last_id if self.pending else NEVER

    def _store_head(self, meta: dict[str, str], origin: str | None) -> SignedHead | None:
        value = meta.get(SIGNED_HEAD)
        if value is None or origin is None:
            return None
        try:
            head = head_from_meta(origin, value)
        except HeadFormatError as error:
            self.add(Problem(HEAD_SIGNATURE, f"the store's signed head is unreadable: {error}"))
            return None
        if not head.verifies(self.key):  # type: ignore[arg-type]
            self.add(Problem(HEAD_SIGNATURE, "the store's signed head does not verify with the"
                             " head-signing public key", head.last_id))
            return None
        return head

    def _witnessed(self, witnessed: Witnessed | None) -> list[Mark]:
        if witnessed is None:
            return []
        marks = []
        for head in witnessed.heads:
            if head.verifies(self.key):  # type: ignore[arg-type]
                marks.append(Mark(head, witnessed=True))
            else:
                self.report.warnings.append(
                    f"a witness record for notification {head.last_id} does not verify with the"
                    " head-signing key: ignored")
        for where, reason in witnessed.unreadable:
            self.report.warnings.append(f"witness {where} unreadable: {reason}")
        return marks

    def reached(self, position: int, chain: bytes, events: int) -> None:
        while self.pending and self.pending[0].head.last_id == position:
            mark = self.pending.popleft()
            if mark.head.chain == chain:
                if mark.witnessed:
                    self.last_witnessed = mark
                    self.report.witnessed_events = events
                else:
                    self.report.signed_through = position
                continue
            kind = WITNESS_MISMATCH if mark.witnessed else HEAD_MISMATCH
            self.store_broken |= not mark.witnessed
            self.add(Problem(kind, f"{mark.source} signed the chain value"
                             f" {mark.head.chain.hex()[:16]}… here; the events give"
                             f" {chain.hex()[:16]}…: events up to here were changed and the"
                             " chain recomputed", position, source=mark.source))

    def passed(self, position: int) -> None:
        while self.pending and self.pending[0].head.last_id < position:
            mark = self.pending.popleft()
            kind = WITNESS_MISMATCH if mark.witnessed else HEAD_MISMATCH
            self.store_broken |= not mark.witnessed
            self.add(Problem(kind, f"{mark.source} ends at an event that is gone",
                             mark.head.last_id, source=mark.source))

    def finish(self, last_event: int, events: int) -> None:
        report = self.report
        beyond = [mark for mark in self.pending if mark.witnessed]
        for mark in self.pending:
            if not mark.witnessed:
                self.store_broken = True
                self.add(Problem(
                    HEAD_TRUNCATED, f"the store's signed head names notification"
                    f" {mark.head.last_id}, beyond its last event {last_event}: events were"
                    " deleted", mark.head.last_id, source=mark.source))
        self.pending.clear()
        if beyond:
            last = beyond[-1]
            self.add(Problem(
                TRUNCATED_AFTER_WITNESS, f"the store ends at notification {last_event}; the"
                f" witness holds {len(beyond)} signed heads beyond it, the last at notification"
                f" {last.head.last_id} ({last.source}): the log was truncated after they were"
                " witnessed", last.head.last_id, source=last.source))
        if self.key is None:
            report.warnings.append("signed heads not checked: no head-signing public key")
            return
        if last_event and report.signed_through < last_event and not self.store_broken:
            self.add(Problem(
                HEAD_UNSIGNED, f"the events after notification {report.signed_through} are not"
                " covered by a signed head: written without the head-signing key (appended, or"
                " the chain recomputed after a change)", last_event))
        if self.last_witnessed is not None:
            report.witnessed_through = self.last_witnessed.head.last_id
        report.unwitnessed_events = events - report.witnessed_events
