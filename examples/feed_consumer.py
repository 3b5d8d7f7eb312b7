"""Follow the HTTP event feed and keep a per-county tally of approvals and payments.

Written from the published form only (`renovation schema asyncapi`): it stores the last
position it processed beside its tally, so a restart resumes without missing or repeating.

    RENOVATION_TOKEN=rnv_… python examples/feed_consumer.py --state tally.json [--once]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

import httpx2 as httpx

TYPES = "case.county_approval_granted,case.payment_disbursed"


def apply(state: dict[str, Any], event: dict[str, Any]) -> None:
    county = state["counties"].setdefault(event["county"], {"approved": 0, "paid_yuan": 0})
    if event["type"] == "case.county_approval_granted":
        county["approved"] += 1
    else:
        county["paid_yuan"] += sum(event["payload"]["amounts"]["by_source"].values())
    state["position"] = event["position"]


def follow(base: str, token: str, state_file: Path, once: bool) -> dict[str, Any]:
    state = (json.loads(state_file.read_text()) if state_file.exists()
             else {"position": 0, "counties": {}})
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        while True:
            answer = client.get("/events", params={"after": state["position"], "limit": 500,
                                                   "types": TYPES})
            answer.raise_for_status()
            page = answer.json()
            for event in page["events"]:
                apply(state, event)
            state["position"] = page["next"]
            saved = state_file.with_suffix(".tmp")
            saved.write_text(json.dumps(state, ensure_ascii=False, indent=1))
            saved.replace(state_file)  # the tally and its position move together
            if not page["events"]:
                if once:
                    return state
                time.sleep(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--state", type=Path, default=Path("feed-tally.json"))
    parser.add_argument("--once", action="store_true", help="stop at the head of the log")
    args = parser.parse_args()
    state = follow(args.url, os.environ["RENOVATION_TOKEN"], args.state, args.once)
    print(json.dumps(state["counties"], ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
