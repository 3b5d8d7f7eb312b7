"""An AsyncAPI 3 document of the event stream: the NATS subjects the relay publishes to, the
HTTP feed and its live SSE form, and one message per published type with its JSON Schema."""

from __future__ import annotations

import json
from typing import Any

from renovation import __version__
from renovation.stream.relay import PREFIX, STREAM
from renovation.stream.schemas import event_schemas


def asyncapi_document() -> dict[str, Any]:
    schemas = event_schemas()
    messages = {_key(kind): {
        "name": kind, "title": schema["description"], "contentType": "application/json",
        "headers": {"type": "object", "properties": {
            "Nats-Msg-Id": {"type": "string", "description": "the event's stable id"},
            "Renovation-Position": {"type": "string", "description": "its log position"}}},
        "payload": {"$ref": f"#/components/schemas/{_key(kind)}"},
    } for kind, schema in schemas.items()}
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "renovation — published events (农村危房改造)", "version": __version__,
                 "description": "Every act of the programme, in the log's order, without"
                                " plaintext personal data. See docs/stream.md."},
        "defaultContentType": "application/json",
        "servers": {
            "nats": {"host": "127.0.0.1:4222", "protocol": "nats",
                     "description": f"JetStream stream {STREAM}, file storage"},
            "feed": {"host": "127.0.0.1:8000", "protocol": "http", "pathname": "/events",
                     "description": "GET /events?after=&limit=&types=&within= (pages) and"
                                    " GET /events/stream (Server-Sent Events); bearer token of"
                                    " an integrator"},
        },
        "channels": {
            "events": {
                "address": f"{PREFIX}.{{county}}.{{type}}",
                "servers": [{"$ref": "#/servers/nats"}],
                "parameters": {
                    "county": {"description": "12-digit county code (city-level programme"
                                              " events: the city's code)"},
                    "type": {"enum": sorted(schemas),
                             "description": "the published type, e.g."
                                            " case.county_approval_granted"}},
                "messages": {key: {"$ref": f"#/components/messages/{key}"}
                             for key in messages},
            },
            "feed": {
                "address": "/events/stream",
                "servers": [{"$ref": "#/servers/feed"}],
                "messages": {key: {"$ref": f"#/components/messages/{key}"}
                             for key in messages},
            },
        },
        "operations": {
            "receiveEvents": {"action": "receive", "channel": {"$ref": "#/channels/events"},
                              "summary": "a durable JetStream consumer follows the stream"},
            "receiveFeed": {"action": "receive", "channel": {"$ref": "#/channels/feed"},
                            "summary": "follow the HTTP feed live (resume: Last-Event-ID)"},
        },
        "components": {"messages": messages,
                       "schemas": {_key(kind): _inline(schema)
                                   for kind, schema in schemas.items()}},
    }


def _key(kind: str) -> str:
    return kind.replace(".", "_")


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """A component schema: the JSON Schema, its $defs kept beside it (refs rewritten)."""
    key = _key(schema["title"])
    text = json.dumps({k: v for k, v in schema.items() if k not in ("$schema", "$id")})
    return json.loads(text.replace('"#/$defs/', f'"#/components/schemas/{key}/$defs/'))
