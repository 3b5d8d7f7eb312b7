"""The signed-head parsers (the store's `signed_head` row, a witness's records) answer any
input with a head or HeadFormatError — never another exception — and a head survives its own
round trip."""

from __future__ import annotations

import contextlib
from typing import Any

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from renovation.audit.heads import (
    HeadFormatError,
    HeadSigner,
    head_from_meta,
    head_from_record,
)

SIGNER = HeadSigner(Ed25519PrivateKey.generate())
ORIGIN = "renovation/audit-chain/" + "a" * 32
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
                    | st.text(max_size=80),
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=12), inner, max_size=6), max_leaves=20)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_any_meta_value_is_a_head_or_a_format_error(value: str) -> None:
    with contextlib.suppress(HeadFormatError):
        head_from_meta(ORIGIN, value)


@settings(max_examples=400, deadline=None)
@given(JSON)
def test_any_json_record_is_a_head_or_a_format_error(record: Any) -> None:
    with contextlib.suppress(HeadFormatError):
        head_from_record(record)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 10**15), st.binary(min_size=32, max_size=32),
       st.sampled_from(["last_id", "chain", "signature", "time", "origin"]), JSON)
def test_a_signed_head_round_trips_and_any_changed_field_fails_or_does_not_verify(
        last_id: int, chain: bytes, field: str, replacement: Any) -> None:
    head = SIGNER.sign(ORIGIN, last_id, chain)
    record = orjson.loads(orjson.dumps(head.to_record()))
    assert head_from_record(record).verifies(SIGNER.public_key)
    assert head_from_meta(ORIGIN, head.to_meta()) == head
    changed = {**record, field: replacement}
    try:
        parsed = head_from_record(changed)
    except HeadFormatError:
        return
    if changed[field] != record[field] and field != "time":
        assert not parsed.verifies(SIGNER.public_key)
