"""What verification found: problems (breaks) and the report around them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from renovation.audit.chain import GENESIS
from renovation.audit.merkle import EMPTY_ROOT

# Breaks in the log, named at a notification position.
ID_ORDER = "id_order"  # notification ids not strictly increasing
CONTENT_MISMATCH = "content_mismatch"  # the event's bytes no longer give its leaf
MISSING_CHAIN_ROW = "missing_chain_row"  # an event the chain does not cover
EXTRA_CHAIN_ROW = "extra_chain_row"  # a chain row whose event is gone
CHAIN_MISMATCH = "chain_mismatch"  # a chain value that does not follow from the previous one
VERSION_DUPLICATE = "version_duplicate"  # (originator_id, version) again or going backwards
VERSION_GAP = "version_gap"  # versions of an aggregate not contiguous from 1
CHECKPOINT_MISMATCH = "checkpoint_mismatch"  # recomputed head/size differ from a checkpoint
CHECKPOINT_TRUNCATED = "checkpoint_truncated"  # the store ends before a checkpoint's last event
HEAD_UNSIGNED = "head_unsigned"  # events after the store's signed head, or the head beyond them
HEAD_TRUNCATED = "head_truncated"  # the store's signed head names an event that is gone
HEAD_MISMATCH = "head_mismatch"  # the recomputed chain differs from the store's signed head
HEAD_SIGNATURE = "head_signature"  # the store's signed head does not verify
WITNESS_MISMATCH = "witness_mismatch"  # the recomputed chain differs from a witnessed head
TRUNCATED_AFTER_WITNESS = "truncated_after_witness"  # the store ends before a witnessed head
READ_MODEL_MISMATCH = "read_model_mismatch"  # a read model differs from a replay of the log
# Problems with the evidence itself, named without a position.
NO_CHAIN = "no_chain"
CHECKPOINT_MALFORMED = "checkpoint_malformed"
CHECKPOINT_SIGNATURE = "checkpoint_signature"
CHECKPOINT_ORIGIN = "checkpoint_origin"
CHECKPOINT_ORDER = "checkpoint_order"


@dataclass(frozen=True)
class Problem:
    """One break: what is wrong, and where (notification position, aggregate, version)."""

    kind: str
    detail: str
    position: int | None = None
    originator_id: str | None = None
    originator_version: int | None = None
    topic: str | None = None
    source: str | None = None

    def describe(self) -> str:
        where = []
        if self.position is not None:
            where.append(f"notification {self.position}")
        if self.originator_id is not None:
            where.append(f"aggregate {self.originator_id}")
        if self.originator_version is not None:
            where.append(f"version {self.originator_version}")
        if self.topic is not None:
            where.append(f"topic {self.topic}")
        if self.source is not None:
            where.append(self.source)
        place = f" at {', '.join(where)}" if where else ""
        return f"{self.kind}{place}: {self.detail}"

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement of the chain head (the signature is checked when it is loaded)."""

    origin: str
    size: int
    head: bytes
    last_id: int
    time: datetime
    key_id: str
    source: str = ""
    merkle_root: bytes | None = None  # RFC 6962 root over the same leaves; older notes: None

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "origin": self.origin, "size": self.size,
                "last_id": self.last_id, "head": self.head.hex(),
                "time": self.time.strftime("%Y-%m-%dT%H:%M:%SZ"), "key_id": self.key_id,
                "merkle_root": self.merkle_root.hex() if self.merkle_root else None}


@dataclass
class Report:
    """The outcome of one verification of a store."""

    origin: str | None = None
    adopted_through: int | None = None
    events: int = 0
    chain_rows: int = 0
    last_id: int = 0
    head: bytes = GENESIS
    merkle_root: bytes = EMPTY_ROOT
    checkpoints: list[Checkpoint] = field(default_factory=list)
    anchored_through: int = 0
    unanchored: int = 0
    signed_through: int = 0
    witnessed_through: int = 0
    witnessed_events: int = 0
    unwitnessed_events: int = 0
    problems: list[Problem] = field(default_factory=list)
    omitted: int = 0
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    def to_dict(self) -> dict[str, Any]:
        rate = round(self.events / self.seconds) if self.seconds > 0 else None
        return {
            "ok": self.ok, "origin": self.origin, "adopted_through": self.adopted_through,
            "events": self.events, "chain_rows": self.chain_rows, "last_id": self.last_id,
            "head": self.head.hex(), "merkle_root": self.merkle_root.hex(),
            "anchored_through": self.anchored_through,
            "unanchored": self.unanchored,
            "signed_through": self.signed_through,
            "witnessed_through": self.witnessed_through,
            "unwitnessed_events": self.unwitnessed_events,
            "checkpoints": [c.to_dict() for c in self.checkpoints],
            "first_problem": self.first.to_dict() if self.first else None,
            "problems": [p.to_dict() for p in self.problems], "problems_omitted": self.omitted,
            "warnings": self.warnings, "seconds": round(self.seconds, 3),
            "events_per_second": rate,
        }
