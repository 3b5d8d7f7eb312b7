"""The witness on NATS JetStream (127.0.0.1:4222): heads kept in a stream of their own survive a
truncation of the store. Without NATS these tests are skipped, unless RENOVATION_REQUIRE_NATS=1."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import uuid
from collections.abc import Iterator

import nats
import pytest

from renovation.audit import report as kinds
from renovation.audit.verify import verify_store
from renovation.config import Settings
from renovation.secrets_config import head_public_key
from tests.security.test_signed_heads import drive, meta, set_meta
from tests.support.raw_store import RawStore


@pytest.fixture
def witness_stream() -> Iterator[str]:
    with socket.socket() as s:
        s.settimeout(1)
        if s.connect_ex(("127.0.0.1", 4222)) != 0:
            if os.environ.get("RENOVATION_REQUIRE_NATS") == "1":
                pytest.fail("NATS with JetStream is not running on 127.0.0.1:4222")
            pytest.skip("NATS is not running on 127.0.0.1:4222")
    name = f"TEST_WITNESS_{uuid.uuid4().hex[:8].upper()}"
    yield name
    asyncio.run(_delete(name))


async def _delete(name: str) -> None:
    client = await nats.connect("nats://127.0.0.1:4222")
    with contextlib.suppress(nats.js.errors.NotFoundError):
        await client.jetstream().delete_stream(name)
    await client.drain()


def test_a_truncation_back_to_an_old_signed_head_is_caught_by_the_jetstream_witness(
        settings: Settings, witness_stream: str) -> None:
    # Only this test's stream takes the subjects: another stream would overlap them.
    url = f"nats://127.0.0.1:4222?stream={witness_stream}"
    witnessed = settings.model_copy(update={"witness": url, "witness_every": 1})
    drive(witnessed, "450321-2022-0001", stop_after="county_approved")
    store = RawStore(witnessed.db)
    earlier = meta(store)
    cut = store.events()[-1].position
    drive(witnessed, "450321-2022-0002", stop_after="county_approved")
    last = store.events()[-1].position
    key, _ = head_public_key(witnessed)
    intact = verify_store(witnessed.db, head_key=key, witness=url)
    assert intact.ok and intact.witnessed_through == last, intact.problems[:3]
    store.run("DELETE FROM {events} WHERE {id} > ?", cut)
    store.run("DELETE FROM {chain} WHERE notification_id > ?", cut)
    set_meta(store, earlier)
    report = verify_store(witnessed.db, head_key=key, witness=url)
    assert [p.kind for p in report.problems] == [kinds.TRUNCATED_AFTER_WITNESS], report.problems
    assert report.problems[0].position == last
