"""JSON Schemas of the published events: one per type, envelope and payload, derived from the
event classes themselves, so a schema cannot drift from what is published.

The payload's schema is the event class's own with the envelope's fields taken out and every
sealed value (`ProtectedValue`) replaced by its published form: the masked text and the
blind-index reference, never the ciphertext.
"""

from __future__ import annotations

import copy
from typing import Any

from renovation.stream.published import ENVELOPE_EXCLUDES, published_classes

DIALECT = "https://json-schema.org/draft/2020-12/schema"
PUBLISHED_VALUE = {
    "type": "object", "additionalProperties": False, "required": ["masked", "ref"],
    "description": "Personal data as published: the masked form (as on a notice board) and the"
                   " keyed-hash reference that matches the same value elsewhere, or null.",
    "properties": {"masked": {"type": "string", "maxLength": 64},
                   "ref": {"anyOf": [{"type": "string", "pattern": "^[0-9a-f]{64}$"},
                                     {"type": "null"}]}},
}
ENVELOPE: dict[str, Any] = {
    "position": {"type": "integer", "minimum": 1,
                 "description": "the log position: ask `after` it for what follows"},
    "id": {"type": "string", "format": "uuid",
           "description": "stable per event: a consumer drops what it has seen"},
    "schema_version": {"type": "integer", "minimum": 1},
    "case_ref": {"type": ["string", "null"]},
    "county": {"type": ["string", "null"], "pattern": "^[0-9]{12}$"},
    "area": {"type": ["string", "null"], "pattern": "^[0-9]{12}$",
             "description": "the division the event belongs to (village, county or city)"},
    "occurred_on": {"type": "string", "format": "date", "description": "the business date"},
    "recorded_at": {"type": "string", "format": "date-time",
                    "description": "when the system recorded it (UTC)"},
    "actor": {"type": "object", "additionalProperties": False,
              "required": ["id", "role", "jurisdiction"],
              "properties": {"id": {"type": "string"}, "role": {"type": ["string", "null"]},
                             "jurisdiction": {"type": ["string", "null"]}}},
    "recorded_by": {"type": ["string", "null"]},
}


def event_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema of every published type, by type."""
    return {kind: event_schema(kind, cls) for kind, cls in published_classes().items()}


def event_schema(kind: str, cls: type[Any]) -> dict[str, Any]:
    source = copy.deepcopy(cls.model_json_schema(mode="serialization"))
    definitions = source.pop("$defs", {})
    definitions.pop("Sealed", None)
    if "ProtectedValue" in definitions:
        definitions["ProtectedValue"] = PUBLISHED_VALUE
    properties = {k: v for k, v in source.get("properties", {}).items()
                  if k not in ENVELOPE_EXCLUDES}
    required = [k for k in source.get("required", []) if k not in ENVELOPE_EXCLUDES]
    payload = {"type": "object", "properties": properties, "required": required,
               "additionalProperties": False}
    envelope = {**ENVELOPE, "type": {"const": kind}, "payload": payload}
    schema: dict[str, Any] = {
        "$schema": DIALECT, "$id": f"urn:renovation:event:{kind}",
        "title": kind, "description": _first_line(cls),
        "type": "object", "additionalProperties": False,
        "required": sorted(envelope), "properties": envelope,
    }
    if definitions:
        schema["$defs"] = definitions
    return schema


def _first_line(cls: type[Any]) -> str:
    """The event's own docstring (a bound subclass of the aggregate has none of its own)."""
    doc = next((c.__doc__ for c in cls.__mro__ if c.__doc__), "") or ""
    return doc.strip().splitlines()[0] if doc.strip() else cls.__name__
