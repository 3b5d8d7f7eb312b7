"""The leaf and chain definitions, against vectors whose preimages are spelled out byte by byte.

The expected digests were computed outside Python (printf | sha256sum) from the same bytes.
"""

from __future__ import annotations

from hashlib import sha256
from uuid import UUID

import pytest

from renovation.audit.chain import (
    GENESIS,
    EventRow,
    chain_hash,
    head_of,
    leaf_hash,
    link,
    originator_text,
)

TOPIC = "renovation.case:ApplicationSubmitted"
V1 = EventRow(1, "0123456789abcdef0123456789abcdef", 1, TOPIC, b'{"a":1}')
V1_PREIMAGE = (
    b"\x00"
    + b"\x00\x00\x00\x01" + b"1"
    + b"\x00\x00\x00\x20" + b"0123456789abcdef0123456789abcdef"
    + b"\x00\x00\x00\x01" + b"1"
    + b"\x00\x00\x00\x24" + TOPIC.encode()
    + b"\x00\x00\x00\x07" + b'{"a":1}'
)
V1_LEAF = "b8b07c65fef5d0e20e1d46223225f550117411eb6194e559e3cd49b219b22cc4"
V2 = EventRow(1000, "危房", 12, "t", b"")
V2_PREIMAGE = (
    b"\x00"
    + b"\x00\x00\x00\x04" + b"1000"
    + b"\x00\x00\x00\x06" + "危房".encode()
    + b"\x00\x00\x00\x02" + b"12"
    + b"\x00\x00\x00\x01" + b"t"
    + b"\x00\x00\x00\x00"
)
V2_LEAF = "83f56937be04bc29466bfd76d5731de76574df7bfc3f98f723ef2186c16a3da4"
CHAIN_1 = "dede46853f73adc6742a0a0ef031a35a754c66e2b8cffe67d450f15c7fb0ce58"
CHAIN_2 = "2d22e4fdf959027d6ca4f46afb3d0019a964383f5d602c234f8a1de3766bf5a9"


def test_leaves_match_the_hand_built_preimages() -> None:
    assert sha256(V1_PREIMAGE).hexdigest() == V1_LEAF
    assert leaf_hash(*V1).hex() == V1_LEAF
    assert sha256(V2_PREIMAGE).hexdigest() == V2_LEAF
    assert leaf_hash(*V2).hex() == V2_LEAF


def test_the_chain_starts_from_32_zero_bytes_and_hashes_previous_then_leaf() -> None:
    assert bytes.fromhex("00" * 32) == GENESIS
    first = chain_hash(GENESIS, bytes.fromhex(V1_LEAF))
    assert first.hex() == CHAIN_1
    assert chain_hash(first, bytes.fromhex(V2_LEAF)).hex() == CHAIN_2
    rows = link(GENESIS, [V1, V2])
    assert [r.notification_id for r in rows] == [1, 1000]
    assert [r.chain_hash.hex() for r in rows] == [CHAIN_1, CHAIN_2]
    assert head_of(rows).hex() == CHAIN_2 and head_of([]) == GENESIS


def test_length_prefixes_keep_field_boundaries_apart() -> None:
    # Moving a character across a boundary keeps the concatenation but changes the leaf.
    assert leaf_hash(1, "ab", 1, "c", b"") != leaf_hash(1, "a", 1, "bc", b"")
    assert leaf_hash(12, "a", 1, "t", b"") != leaf_hash(1, "a", 21, "t", b"")
    assert leaf_hash(1, "a", 1, "t", b"x") != leaf_hash(1, "a", 1, "tx", b"")


@pytest.mark.parametrize(
    "row",
    [
        (1, "a", 1, "t", "text, not bytes"),
        (1, "a", 1.5, "t", b""),
        (1, "a", True, "t", b""),
        (1, b"a", 1, "t", b""),
        (None, "a", 1, "t", b""),
        (1, "a", 1, None, b""),
    ],
)
def test_values_of_another_type_are_refused_not_coerced(row: tuple[object, ...]) -> None:
    with pytest.raises(TypeError, match="expected"):
        leaf_hash(*row)  # type: ignore[arg-type]


def test_a_uuid_is_hashed_as_32_lowercase_hex_digits() -> None:
    uid = UUID("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
    assert originator_text(uid) == "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    assert originator_text("case-text-id") == "case-text-id"
