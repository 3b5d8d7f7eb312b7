"""The published form of an event: what leaves the system for integrators, versioned and
documented, separate from the stored form.

An envelope — `position` (the cursor), `id`, `type` (`case.county_approval_granted`),
`schema_version`, `case_ref`, `county`, `occurred_on`, `recorded_at`, the acting official and
the recorder — around a payload with no plaintext personal data: a sealed value leaves as its
masked form and blind-index reference only, and free text is scrubbed of anything shaped like an
ID, card or phone number. Events are decoded by the application's mapper, which upcasts stored
old versions, so consumers see one version per type.

Only the programme's business is published — cases, programmes, objections to notices, the
decisions on findings. The staff directory, tokens, access logs, command records, claims and
ledgers stay inside.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from hashlib import sha1
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

import orjson

from renovation.aggregates.case import RenovationCase
from renovation.aggregates.finding import FindingReview
from renovation.aggregates.objection import NoticeObjection
from renovation.aggregates.programme import Programme
from renovation.kernel.jurisdiction import Level, at_level, level_of

PUBLISHED_NAMESPACE = uuid5(NAMESPACE_URL, "urn:renovation:published-event")
FAMILIES: dict[str, str] = {
    "renovation.case": "case", "renovation.programme": "programme",
    "renovation.objection": "objection", "renovation.finding": "finding",
}
"""Stored topic module → published family; topics of other modules are not published."""
ENVELOPE_EXCLUDES = frozenset({"originator_id", "originator_version", "timestamp", "actor",
                               "occurred_on", "originator_topic"})
_NUMBERS = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{11,19})(?![0-9])")
"""An 18-character ID number, or a run of 11 to 19 digits (phone, card or account number)."""
_SHORTEST = 11
"""No shorter text holds a number `_NUMBERS` scrubs."""
_KEPT = re.compile(r"[0-9]{12}|[0-9a-f]{64}"
                   r"|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
"""Whole values that are codes, not personal numbers: a division code, a hash or reference, an
identifier (a UUID's last group can be twelve digits)."""
_NAMESPACE_BYTES = PUBLISHED_NAMESPACE.bytes
_DIGITS_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")
_ELEVEN_DIGITS = b"0" * 11
"""Every digit made a zero, a run of eleven is a run of eleven zeros: found in C, where a regular
expression tries a match at every digit."""


def published_classes() -> dict[str, type[Any]]:
    """Every published event class, by published type, in a stable order."""
    found: dict[str, type[Any]] = {}
    for aggregate in (RenovationCase, Programme, NoticeObjection, FindingReview):
        for value in vars(aggregate).values():
            topic = getattr(value, "TOPIC", None)
            if isinstance(value, type) and isinstance(topic, str) and ":" in topic:
                name = type_of(topic)
                if name is not None and hasattr(value, "model_fields") \
                        and "occurred_on" in value.model_fields:
                    found.setdefault(name, value)
    return dict(sorted(found.items()))


@cache
def type_of(topic: str) -> str | None:
    """`renovation.case:CountyApprovalGranted` → `case.county_approval_granted`."""
    module, _, name = topic.partition(":")
    family = FAMILIES.get(module)
    if family is None or not name:
        return None
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
    return f"{family}.{snake.removeprefix(family + '_')}"


def event_id(originator_id: UUID, version: int) -> str:
    """Stable across re-publishing: a consumer (or JetStream) drops what it has seen.

    `uuid5(PUBLISHED_NAMESPACE, "<originator id>/<version>")`, spelled out: the feed computes
    one per event, and `uuid.uuid5` spends most of its time building the `UUID` object."""
    raw = bytearray(sha1(_NAMESPACE_BYTES + f"{_text(originator_id)}/{version}".encode(),
                         usedforsecurity=False).digest()[:16])
    raw[6], raw[8] = (raw[6] & 0x0F) | 0x50, (raw[8] & 0x3F) | 0x80
    text = raw.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


@lru_cache(maxsize=10_000)
def _text(originator_id: UUID) -> str:
    """An aggregate's events come together: its id's text is made once for all of them."""
    return str(originator_id)


def publish(position: int, topic: str, event: Any, area: str | None,
            case_ref: str | None) -> dict[str, Any]:
    """The published form of one stored event (of a published type)."""
    state = event.model_dump(mode="json", exclude={"originator_id", "originator_version"})
    return publish_state(position, topic, type(event), event.originator_id,
                         event.originator_version, state, area, case_ref)


def publish_state(position: int, topic: str, cls: type[Any], originator_id: UUID,
                  version: int, state: dict[str, Any], area: str | None,
                  case_ref: str | None) -> dict[str, Any]:
    """The published form from the event's fields in their JSON form (as stored, or dumped)."""
    kind = type_of(topic)
    assert kind is not None, topic
    actor = state["actor"]
    payload = {key: value for key, value in state.items() if key not in ENVELOPE_EXCLUDES}
    recorded_at = state["timestamp"]
    return {
        "position": position,
        "id": event_id(originator_id, version),
        "type": kind,
        "schema_version": _schema_version(cls),
        "case_ref": case_ref,
        "county": county_of(area),
        "area": area,
        "occurred_on": state["occurred_on"],
        "recorded_at": recorded_at[:-1] + "+00:00" if recorded_at[-1] == "Z" else recorded_at,
        "actor": {"id": actor["id"], "role": actor.get("role"),
                  "jurisdiction": actor.get("jurisdiction")},
        "recorded_by": actor.get("recorded_by"),
        "payload": _public_payload(payload),
    }


@cache
def _schema_version(cls: type[Any]) -> int:
    """Per class, once: pydantic looks a missing class attribute up slowly, per event else."""
    return int(getattr(cls, "class_version", 1))


@lru_cache(maxsize=100_000)
def county_of(area: str | None) -> str | None:
    if area is None or level_of(area) < Level.COUNTY:
        return None
    return at_level(area, Level.COUNTY)


def _public_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """`public(payload)`, skipping the walk for the nineteen in twenty payloads it would leave
    as they are: no sealed value and no run of eleven digits anywhere in their JSON."""
    text = orjson.dumps(payload)
    if b'"sealed"' not in text and _ELEVEN_DIGITS not in text.translate(_DIGITS_TO_ZERO):
        return payload
    walked: dict[str, Any] = public(payload)
    return walked


def public(value: Any) -> Any:
    """A payload with sealed values reduced to masked form and reference, numbers scrubbed."""
    kind = type(value)
    if kind is dict:
        if "sealed" in value and "masked" in value:
            return {"masked": value["masked"], "ref": value.get("ref")}
        return {key: public(item) for key, item in value.items()}
    if kind is list:
        return [public(item) for item in value]
    if kind is str and len(value) >= _SHORTEST and not _KEPT.fullmatch(value):
        return _NUMBERS.sub(_masked_number, value)
    return value


def _masked_number(match: re.Match[str]) -> str:
    digits = match.group(0)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"
