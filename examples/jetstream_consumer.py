"""Follow the JetStream stream with a durable consumer; keep a per-county tally of approvals
and payments.

The consumer's position is kept by JetStream (the durable's acknowledgements): a message is
acknowledged only after the tally holding it is saved, and a message seen again after a
restart (saved, not yet acknowledged) is recognised by its position and skipped.

    python examples/jetstream_consumer.py --state tally.json [--once]
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
from typing import Any

import nats

COUNTED = ("case.county_approval_granted", "case.payment_disbursed")


def apply(state: dict[str, Any], event: dict[str, Any]) -> None:
    if event["position"] <= state["position"]:
        return  # delivered again after a restart: already counted
    if event["type"] not in COUNTED:
        state["position"] = event["position"]
        return
    county = state["counties"].setdefault(event["county"], {"approved": 0, "paid_yuan": 0})
    if event["type"] == "case.county_approval_granted":
        county["approved"] += 1
    else:
        county["paid_yuan"] += sum(event["payload"]["amounts"]["by_source"].values())
    state["position"] = event["position"]


async def follow(url: str, stream: str, durable: str, prefix: str, state_file: Path,
                 once: bool) -> dict[str, Any]:
    state = (json.loads(state_file.read_text()) if state_file.exists()
             else {"position": 0, "counties": {}})
    client = await nats.connect(url)
    js = client.jetstream()
    # One subject filter for the whole stream (older servers take only one); the tally keeps
    # what it counts.
    subscription = await js.pull_subscribe(f"{prefix}.>", durable=durable, stream=stream)
    try:
        while True:
            try:
                batch = await subscription.fetch(200, timeout=2)
            except TimeoutError:  # nats-py raises its own subclass, or asyncio's plain one
                if once:
                    return state
                continue
            for message in batch:
                apply(state, json.loads(message.data))
            saved = state_file.with_suffix(".tmp")
            saved.write_text(json.dumps(state, ensure_ascii=False, indent=1))
            saved.replace(state_file)
            for message in batch:
                await message.ack()
    finally:
        await client.flush()  # the acknowledgements sent, then leave (no drain: a pull
        await client.close()  # subscription would hold it for its whole timeout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nats", default="nats://127.0.0.1:4222")
    parser.add_argument("--stream", default="RENOVATION")
    parser.add_argument("--prefix", default="renovation")
    parser.add_argument("--durable", default="tally")
    parser.add_argument("--state", type=Path, default=Path("jetstream-tally.json"))
    parser.add_argument("--once", action="store_true", help="stop when nothing new arrives")
    args = parser.parse_args()
    state = asyncio.run(follow(args.nats, args.stream, args.durable, args.prefix, args.state,
                               args.once))
    print(json.dumps(state["counties"], ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
