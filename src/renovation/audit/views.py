"""Plain, masked views of a case's state and of its events, and the difference between two states.

Nothing here knows the procedure's rules: the aggregate's own event methods build the state, and
these functions only render whatever attributes it has, so a new field shows up by itself.
Personal data appears only in its masked form (`ProtectedValue.masked`), unless a `reveal`
function, given by an authorised caller, opens it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from renovation.kernel.protected import ProtectedValue

Reveal = Callable[[ProtectedValue, str], str]
"""Opens a sealed value (given the field path); returns the text to show instead of the mask."""

_PLAIN = frozenset({str, int, float, bool})
_BASE_EVENT_FIELDS = frozenset({"originator_id", "originator_version", "timestamp",
                                "originator_topic", "actor", "occurred_on"})


def plain(value: Any, path: str = "", reveal: Reveal | None = None) -> Any:
    """JSON types only; personal data masked (or revealed)."""
    if value is None or type(value) in _PLAIN:
        return value
    if isinstance(value, ProtectedValue):
        return reveal(value, path) if reveal else value.masked
    if isinstance(value, dict) and {"sealed", "masked"} <= value.keys():
        return _sealed_json(value, path, reveal)
    if isinstance(value, BaseModel):
        return {k: plain(getattr(value, k), _join(path, k), reveal)
                for k in type(value).model_fields}
    if isinstance(value, dict):
        return {str(plain(k)): plain(v, _join(path, str(plain(k))), reveal)
                for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v, _join(path, str(i)), reveal) for i, v in enumerate(value)]
    if isinstance(value, set | frozenset):
        return sorted(plain(v, path, reveal) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name), _join(path, f.name), reveal)
                for f in dataclasses.fields(value)}
    return scalar(value)


def _sealed_json(value: dict[str, Any], path: str, reveal: Reveal | None) -> Any:
    # A sealed value inside free JSON (a correction's old and new value).
    if reveal is None:
        return value["masked"]
    try:
        return reveal(ProtectedValue.model_validate(value), path)
    except ValueError:
        return value["masked"]


def scalar(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date | Decimal | UUID):
        return str(value)
    return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def state_of(aggregate: Any, reveal: Reveal | None = None) -> dict[str, Any]:
    """The aggregate's public attributes (not the library's `_id`, `_version`…), plain."""
    if aggregate is None:
        return {}
    return {k: plain(v, k, reveal) for k, v in sorted(vars(aggregate).items())
            if not k.startswith("_")}


def fields_of(domain_event: Any, reveal: Reveal | None = None) -> dict[str, Any]:
    """What the act's form recorded: the event's own fields, without the envelope."""
    return {k: plain(getattr(domain_event, k), k, reveal)
            for k in type(domain_event).model_fields if k not in _BASE_EVENT_FIELDS}


def flatten(value: Any, path: str = "") -> dict[str, Any]:
    """Nested dicts as dotted paths; lists of scalars stay whole, lists of objects by index."""
    if isinstance(value, dict):
        if not value and path:
            return {path: {}}
        out: dict[str, Any] = {}
        for k, v in value.items():
            out.update(flatten(v, _join(path, k)))
        return out
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        out = {}
        for i, v in enumerate(value):
            out.update(flatten(v, _join(path, str(i))))
        return out
    return {path: value}


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """What changed between two states, field by field (dotted paths), in path order."""
    return diff_flat(flatten(before), flatten(after))


def diff_flat(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """`diff` of two states already flattened."""
    changes = []
    for path in sorted(old.keys() | new.keys()):
        a, b = old.get(path), new.get(path)
        if path not in old:
            if b is None or b == [] or b == {}:
                continue  # a field the first event set to nothing is no change worth showing
            changes.append({"field": path, "change": "added", "after": b})
        elif path not in new:
            if a is None or a == [] or a == {}:
                continue  # an empty field that now holds a record: its parts show as added
            changes.append({"field": path, "change": "removed", "before": a})
        elif a != b:
            changes.append({"field": path, "change": "changed", "before": a, "after": b})
    return changes
