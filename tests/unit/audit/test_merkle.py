"""The Merkle tree over the chain's leaves: roots by definition, proofs that verify, and fail."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from hashlib import sha256

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from renovation.audit.checkpoint import (
    CheckpointError,
    key_fingerprint,
    parse_checkpoint,
    sign_checkpoint,
)
from renovation.audit.merkle import (
    EMPTY_ROOT,
    ProofCollector,
    TreeBuilder,
    node,
    root_of,
    verify_inclusion,
)
from renovation.audit.report import Checkpoint


def leaves(n: int) -> list[bytes]:
    return [sha256(b"\x00" + i.to_bytes(4, "big")).digest() for i in range(n)]


def collect(items: list[bytes], wanted: set[int]) -> ProofCollector:
    tree = ProofCollector(len(items))
    for i, leaf in enumerate(items):
        tree.add(leaf, i in wanted)
    return tree


def test_roots_follow_rfc_6962_splitting_at_the_largest_power_of_two_below_n() -> None:
    a, b, c = leaves(3)
    assert root_of([]) == EMPTY_ROOT == sha256(b"").digest()
    assert root_of([a]) == a
    assert root_of([a, b, c]) == node(node(a, b), c)


@pytest.mark.parametrize("n", range(1, 40))
def test_the_streamed_root_equals_the_defined_root(n: int) -> None:
    tree = TreeBuilder()
    for leaf in leaves(n):
        tree.append(leaf)
    assert tree.root() == root_of(leaves(n))


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8, 13, 31, 32, 33])
def test_every_leaf_has_a_proof_that_verifies_against_the_root(n: int) -> None:
    items, root = leaves(n), root_of(leaves(n))
    tree = collect(items, set(range(n)))
    assert tree.root() == root
    for i in range(n):
        assert verify_inclusion(items[i], i, n, tree.proof(i), root)


def test_a_proof_fails_for_another_leaf_index_size_root_or_a_changed_hash() -> None:
    items, n = leaves(21), 21
    root, proof = root_of(items), collect(items, {6}).proof(6)
    assert verify_inclusion(items[6], 6, n, proof, root)
    assert not verify_inclusion(items[7], 6, n, proof, root)
    assert not verify_inclusion(items[6], 7, n, proof, root)
    assert not verify_inclusion(items[6], 6, 9, proof, root)
    assert not verify_inclusion(items[6], 6, n, proof, root_of(items[:-1]))
    assert not verify_inclusion(items[6], 6, n, [proof[0][::-1], *proof[1:]], root)
    assert not verify_inclusion(items[6], 6, n, proof[:-1], root)
    assert not verify_inclusion(items[6], 6, n, [*proof, proof[0]], root)
    assert not verify_inclusion(items[6], 21, n, proof, root)


KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))


def checkpoint(root: bytes | None) -> Checkpoint:
    return Checkpoint("renovation/audit-chain/" + "ab" * 16, 21, bytes(32), 40,
                      datetime(2026, 11, 20, tzinfo=UTC), key_fingerprint(KEY.public_key()),
                      merkle_root=root)


def test_a_checkpoint_signs_its_merkle_root_as_a_seventh_line() -> None:
    root = root_of(leaves(21))
    note = sign_checkpoint(checkpoint(root), KEY)
    assert f"merkle-root {base64.b64encode(root).decode()}\n\n" in note
    assert parse_checkpoint(note.encode(), KEY.public_key()).merkle_root == root


def test_a_six_line_checkpoint_from_before_merkle_roots_still_verifies() -> None:
    note = sign_checkpoint(checkpoint(None), KEY)
    assert "merkle-root" not in note
    assert parse_checkpoint(note.encode(), KEY.public_key()).merkle_root is None


def test_an_edited_merkle_root_breaks_the_signature() -> None:
    note = sign_checkpoint(checkpoint(root_of(leaves(21))), KEY)
    forged = note.replace("merkle-root A", "merkle-root B", 1)
    if forged == note:
        forged = note.replace("merkle-root ", "merkle-root A", 1).replace("=\n\n", "\n\n", 1)
    with pytest.raises(CheckpointError):
        parse_checkpoint(forged.encode(), KEY.public_key())
