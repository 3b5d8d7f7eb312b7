"""A blind index is HMAC-SHA256 of `kind:value` under the index key: stored refs depend on it."""

from __future__ import annotations

import hashlib
import hmac

from renovation.identity import BlindIndexer, generate_key


def test_a_blind_index_is_the_hmac_of_kind_and_value_whatever_came_before() -> None:
    key = generate_key()
    indexer = BlindIndexer(key)
    for kind, value in [("id_number", "450321198506121234"), ("command", "{}"), ("phone", "中")]:
        expected = hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
        assert indexer.ref(kind, value) == expected
        assert indexer.ref(kind, value) == expected  # the keyed state is not consumed
