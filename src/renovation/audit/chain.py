"""审计链 — the audit chain: one leaf per stored event, chained in notification order.

    leaf  = SHA-256(0x00 ‖ field(notification_id) ‖ field(originator_id)
                         ‖ field(originator_version) ‖ field(topic) ‖ field(state))
    field(b) = uint32 big-endian length of b ‖ b
    chain = SHA-256(previous chain ‖ leaf), the previous chain of the first event being GENESIS

Integers are written as ASCII decimal; the originator id and the topic as UTF-8 text (a UUID as
32 lowercase hex digits, the form the SQLite store keeps); the state exactly as stored, so
encrypted or compressed bytes are hashed as they are and destroying a household's key never
breaks verification. The recorders and the verifier both use these functions, nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from hashlib import sha256
from typing import NamedTuple
from uuid import UUID

GENESIS = bytes(32)
LEAF_PREFIX = b"\x00"


class ChainRow(NamedTuple):
    """One row of `audit_chain`."""

    notification_id: int
    leaf_hash: bytes
    chain_hash: bytes


class EventRow(NamedTuple):
    """One stored event as the chain sees it."""

    notification_id: int
    originator_id: str
    originator_version: int
    topic: str
    state: bytes


def leaf_hash(
    notification_id: int, originator_id: str, originator_version: int, topic: str, state: bytes
) -> bytes:
    """The leaf of one stored event. Raises TypeError on values of the wrong type."""
    if not (type(notification_id) is int and type(originator_id) is str
            and type(originator_version) is int and type(topic) is str and type(state) is bytes):
        raise TypeError(_types(notification_id, originator_id, originator_version, topic, state))
    n = b"%d" % notification_id
    o = originator_id.encode()
    v = b"%d" % originator_version
    t = topic.encode()
    return sha256(b"".join((
        LEAF_PREFIX,
        len(n).to_bytes(4, "big"), n,
        len(o).to_bytes(4, "big"), o,
        len(v).to_bytes(4, "big"), v,
        len(t).to_bytes(4, "big"), t,
        len(state).to_bytes(4, "big"), state,
    ))).digest()


def _types(*values: object) -> str:
    names = ", ".join(type(v).__name__ for v in values)
    return f"stored values of types ({names}), expected (int, str, int, str, bytes)"


def chain_hash(previous: bytes, leaf: bytes) -> bytes:
    """The chain value after `leaf`."""
    return sha256(previous + leaf).digest()


def originator_text(originator_id: UUID | str) -> str:
    """The id as the chain hashes it: a UUID as 32 lowercase hex digits, text as it is."""
    return originator_id.hex if isinstance(originator_id, UUID) else originator_id


def link(previous: bytes, events: Iterable[EventRow]) -> list[ChainRow]:
    """Chain rows for events (in notification order) that follow a chain head `previous`."""
    rows = []
    for event in events:
        leaf = leaf_hash(*event)
        previous = chain_hash(previous, leaf)
        rows.append(ChainRow(event.notification_id, leaf, previous))
    return rows


def head_of(rows: Sequence[ChainRow]) -> bytes:
    """The chain value after the last row, GENESIS for none."""
    return rows[-1].chain_hash if rows else GENESIS
