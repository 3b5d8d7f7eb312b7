"""一户一档 — a case's archive, exported with the proofs that tie it to a signed checkpoint.

`dossier.json` holds every stored record of the case, byte for byte as the chain hashed it
(base64), each with its RFC 6962 inclusion proof against the Merkle root a checkpoint signed,
the signed checkpoint itself and the public key. `verify_dossier` needs nothing else.
Refuses to export a case whose records no longer match the chain or the checkpoint, or that has
events no checkpoint covers yet.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from renovation.aggregates.case import case_id
from renovation.application.app import RenovationApp
from renovation.audit.checkpoint import key_fingerprint, load_checkpoints
from renovation.audit.merkle import ProofCollector
from renovation.audit.records import StoredRecord, chain_leaves
from renovation.audit.report import Checkpoint
from renovation.kernel.errors import RuleViolation

FORMAT = "renovation-dossier/1"


class DossierRefusedError(RuleViolation):
    """The archive cannot be exported with valid proofs; nothing was written."""


@dataclass(frozen=True)
class SignedCheckpoint:
    checkpoint: Checkpoint
    note: str


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def newest_rooted(directory: Path, public_key: Ed25519PublicKey) -> SignedCheckpoint:
    """The newest checkpoint in `directory` that signs a Merkle root (signature checked)."""
    valid, _ = load_checkpoints(directory, public_key)
    rooted = [c for c in valid if c.merkle_root is not None]
    if not rooted:
        raise DossierRefusedError(
            "dossier.checkpoint_available", "checkpoints", str(directory),
            "no checkpoint there signs a merkle root under this key; sign one with"
            " `renovation audit checkpoint`")
    newest = max(rooted, key=lambda c: (c.last_id, c.size, c.time))
    return SignedCheckpoint(newest, (directory / newest.source).read_text(encoding="utf-8"))


def check_records(case_ref: str, records: list[StoredRecord], signed: Checkpoint) -> None:
    for r in records:
        if r.chained_leaf != r.leaf:
            raise DossierRefusedError(
                "dossier.store_intact", "version", r.version,
                f"case {case_ref} version {r.version} (notification {r.position}) does not"
                " match the audit chain; run `renovation audit verify`")
    last = records[-1]
    if last.position > signed.last_id:
        raise DossierRefusedError(
            "dossier.case_anchored", "version", last.version,
            f"case {case_ref} version {last.version} (notification {last.position}) is after"
            f" the newest checkpoint (through {signed.last_id}); sign a new checkpoint first")


def prove(
    app: RenovationApp, records: list[StoredRecord], signed: Checkpoint
) -> dict[int, tuple[int, list[bytes]]]:
    """position → (leaf index, inclusion proof), from the chain's leaves through the checkpoint."""
    assert signed.merkle_root is not None
    wanted = {r.position for r in records}
    tree = ProofCollector(signed.size)
    indexes: dict[int, int] = {}
    with chain_leaves(app, signed.last_id) as leaves:
        for position, leaf in leaves:
            if tree.size == signed.size:
                break
            if position in wanted:
                indexes[position] = tree.size
            tree.add(leaf, position in wanted)
    if tree.size != signed.size or tree.root() != signed.merkle_root:
        raise DossierRefusedError(
            "dossier.store_matches_checkpoint", "checkpoint", signed.source,
            f"the store's chain through notification {signed.last_id} does not give the root"
            f" {signed.source} signed; run `renovation audit verify`")
    return {p: (i, tree.proof(i)) for p, i in indexes.items()}


def dossier_document(
    app: RenovationApp, case_ref: str, records: list[StoredRecord], signed: SignedCheckpoint,
    public_key: Ed25519PublicKey, export: dict[str, Any],
) -> dict[str, Any]:
    """The content of `dossier.json` (`export` describes the act of exporting; not evidence)."""
    c = signed.checkpoint
    check_records(case_ref, records, c)
    proofs = prove(app, records, c)
    pem = public_key.public_bytes(serialization.Encoding.PEM,
                                  serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return {
        "format": FORMAT,
        "case_ref": case_ref,
        "case_id": case_id(case_ref).hex,
        "checkpoint": {"source": c.source, "note": signed.note},
        "public_key": pem,
        "key_id": key_fingerprint(public_key),
        "events": [_event(r, *proofs[r.position]) for r in records],
        "export": export,
    }


def _event(r: StoredRecord, index: int, proof: list[bytes]) -> dict[str, Any]:
    return {
        "version": r.version, "position": r.position, "leaf_index": index,
        "originator_id": r.originator_id, "topic": r.topic, "state": b64(r.state),
        "proof": [b64(p) for p in proof],
    }
