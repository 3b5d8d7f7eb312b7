"""核验档案 — verify an exported archive (`dossier.json`) with the public key alone, no database.

Checks, in order, stopping at nothing so every problem is listed (the first one is named):
the checkpoint's signature and Merkle root; the case id against the case reference; each
event's versions 1..n, aggregate id, topic, positions and leaf indexes increasing; each event's
leaf recomputed from its stored bytes and its inclusion proof against the signed root.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from renovation.aggregates.case import case_id
from renovation.audit.chain import leaf_hash
from renovation.audit.checkpoint import CheckpointError, key_fingerprint, parse_checkpoint
from renovation.audit.dossier import FORMAT
from renovation.audit.merkle import verify_inclusion
from renovation.audit.report import Checkpoint

DOSSIER_FILE = "dossier.json"
CASE_TOPIC = "renovation.case:"
FIRST_TOPIC = "renovation.case:ApplicationSubmitted"


class DossierUnreadableError(ValueError):
    """No dossier to verify: missing file, not JSON, not an object."""


@dataclass
class DossierReport:
    case_ref: str | None = None
    events: int = 0
    key_id: str | None = None
    checkpoint: Checkpoint | None = None
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        c = self.checkpoint
        return {"ok": self.ok, "case_ref": self.case_ref, "events": self.events,
                "key_id": self.key_id, "checkpoint": c.to_dict() if c else None,
                "first_problem": self.problems[0] if self.problems else None,
                "problems": self.problems, "warnings": self.warnings}


def read_dossier(directory: Path) -> dict[str, Any]:
    path = directory / DOSSIER_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DossierUnreadableError(f"{path}: {error}") from None
    if not isinstance(data, dict):
        raise DossierUnreadableError(f"{path}: not a JSON object")
    return data


def verify_dossier(directory: Path, pinned: Ed25519PublicKey | None = None) -> DossierReport:
    data = read_dossier(directory)
    report = DossierReport(case_ref=_text(data.get("case_ref")))
    if data.get("format") != FORMAT:
        report.problems.append(f"format: expected {FORMAT}, found {data.get('format')!r}")
        return report
    key = _key(data, pinned, report)
    checkpoint = _checkpoint(data, key, report) if key is not None else None
    events = data.get("events")
    if not isinstance(events, list) or not events:
        report.problems.append("events: no list of events")
        return report
    report.events = len(events)
    expected_id = _case_id(report.case_ref, data, report)
    last_position = last_index = -1
    for n, e in enumerate(events, start=1):
        where = f"event #{n}"
        if not isinstance(e, dict):
            report.problems.append(f"{where}: not an object")
            continue
        where = f"event version {e.get('version')} (notification {e.get('position')})"
        problem = _check_event(e, n, expected_id, last_position, last_index, checkpoint)
        if problem:
            report.problems.append(f"{where}: {problem}")
        last_position = e["position"] if type(e.get("position")) is int else last_position
        last_index = e["leaf_index"] if type(e.get("leaf_index")) is int else last_index
    return report


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _key(
    data: dict[str, Any], pinned: Ed25519PublicKey | None, report: DossierReport
) -> Ed25519PublicKey | None:
    embedded: Any = None
    with contextlib.suppress(ValueError, TypeError):
        embedded = serialization.load_pem_public_key(str(data.get("public_key", "")).encode())
    if pinned is None:
        if not isinstance(embedded, Ed25519PublicKey):
            report.problems.append("public_key: no Ed25519 public key in the dossier")
            return None
        report.warnings.append("verified with the key inside the dossier: compare its key id"
                               " with the published one, or pass --public-key")
        pinned = embedded
    report.key_id = key_fingerprint(pinned)
    if data.get("key_id") != report.key_id:
        report.problems.append(f"key_id: the dossier names {data.get('key_id')!r}, the key is"
                               f" {report.key_id}")
    return pinned


def _checkpoint(
    data: dict[str, Any], key: Ed25519PublicKey, report: DossierReport
) -> Checkpoint | None:
    note = data.get("checkpoint", {}).get("note") if isinstance(data.get("checkpoint"),
                                                                  dict) else None
    if not isinstance(note, str):
        report.problems.append("checkpoint: no signed note")
        return None
    try:
        c = parse_checkpoint(note.encode(), key, str(data["checkpoint"].get("source", "")))
    except CheckpointError as error:
        report.problems.append(f"checkpoint: {error.kind}: {error}")
        return None
    if c.merkle_root is None:
        report.problems.append("checkpoint: it signs no merkle root, so it proves no event")
        return None
    report.checkpoint = c
    return c


def _case_id(case_ref: str | None, data: dict[str, Any], report: DossierReport) -> str | None:
    if case_ref is None:
        report.problems.append("case_ref: missing")
        return None
    try:
        expected = case_id(case_ref).hex
    except (TypeError, ValueError):
        report.problems.append(f"case_ref: {case_ref!r} is no case reference")
        return None
    if data.get("case_id") != expected:
        report.problems.append(f"case_id: {data.get('case_id')!r} is not the id of {case_ref}")
    return expected


def _check_event(
    e: dict[str, Any], n: int, expected_id: str | None, last_position: int, last_index: int,
    c: Checkpoint | None,
) -> str | None:
    """The first thing wrong with one event, or None."""
    version, position, index = e.get("version"), e.get("position"), e.get("leaf_index")
    oid, topic, proof = e.get("originator_id"), e.get("topic"), e.get("proof")
    if version != n:
        return f"expected version {n}: the events are not versions 1..n in order"
    if type(position) is not int or position <= last_position:
        return f"position {position!r} does not follow {last_position}"
    if type(index) is not int or index <= last_index or index >= position:
        return f"leaf_index {index!r} is impossible after {last_index}"
    if expected_id is not None and oid != expected_id:
        return f"originator_id {oid!r} is not the case's id {expected_id}"
    if not isinstance(topic, str) or not topic.startswith(CASE_TOPIC) or (
            n == 1 and topic != FIRST_TOPIC):
        return f"topic {topic!r} is not {'its application' if n == 1 else 'a case event'}"
    try:
        state = base64.b64decode(str(e.get("state")), validate=True)
        hashes = [base64.b64decode(p, validate=True) for p in proof] \
            if isinstance(proof, list) and all(isinstance(p, str) for p in proof) else None
    except binascii.Error:
        return "state or proof is not base64"
    if hashes is None:
        return "proof is not a list of base64 hashes"
    if c is None:
        return None  # already reported: no usable checkpoint
    assert c.merkle_root is not None
    if position > c.last_id or index >= c.size:
        return f"not covered by the checkpoint (through notification {c.last_id}, {c.size} leaves)"
    leaf = leaf_hash(position, str(oid), version, topic, state)
    if not verify_inclusion(leaf, index, c.size, hashes, c.merkle_root):
        return ("the record and its inclusion proof do not lead to the signed merkle root"
                " (its stored bytes, topic, id, version, position or proof were changed)")
    return None
