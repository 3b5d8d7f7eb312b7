"""How events are stored: pydantic models serialised with orjson, on SQLite or PostgreSQL.

The store is chosen by one URL (`RENOVATION_DB`); this module turns it into the eventsourcing
library's environment, and supplies the mapper that converts pydantic events to stored records.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import orjson
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent, Transcoder
from eventsourcing.utils import get_topic, resolve_topic
from pydantic import BaseModel

from renovation.audit import POSTGRES_RECORDER_TOPIC, SQLITE_RECORDER_TOPIC

_BASE_FIELDS = ("originator_id", "originator_version")
_EXCLUDED = set(_BASE_FIELDS)  # a set: pydantic-core takes it faster than a frozenset


class OrjsonTranscoder(Transcoder):
    """JSON bytes via orjson; values are already plain JSON types (pydantic dumped them)."""

    def encode(self, obj: Any) -> bytes:
        return orjson.dumps(obj)

    def decode(self, data: bytes) -> Any:
        return orjson.loads(data)


class PydanticMapper(Mapper[Any]):
    """Maps pydantic events to stored events and back, upcasting old `class_version`s."""

    def to_stored_event(self, domain_event: DomainEventProtocol[Any]) -> StoredEvent:
        assert isinstance(domain_event, BaseModel)
        cls = type(domain_event)
        class_version = _class_version(cls)
        if type(self.transcoder) is OrjsonTranscoder:
            # pydantic-core writes the same compact UTF-8 JSON as orjson over `model_dump`
            # (tests/unit/test_mapper_bytes.py compares them), without the Python dict between.
            data = cls.__pydantic_serializer__.to_json(domain_event, exclude=_EXCLUDED)
            if class_version > 1:
                data = data[:-1] + (b"," if len(data) > 2 else b"") + (
                    b'"class_version":%d}' % class_version)
        else:
            state = domain_event.model_dump(mode="json", exclude=_EXCLUDED)
            if class_version > 1:
                state["class_version"] = class_version
            data = self.transcoder.encode(state)
        if self.compressor:
            data = self.compressor.compress(data)
        if self.cipher:
            data = self.cipher.encrypt(data)
        return StoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=get_topic(type(domain_event)),
            state=data,
        )

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[Any]:
        cls, state, _ = self.to_state(stored_event)
        state["originator_id"] = stored_event.originator_id
        state["originator_version"] = stored_event.originator_version
        return cls.model_validate(state)

    def to_state(self, stored_event: StoredEvent) -> tuple[type[Any], dict[str, Any], bool]:
        """The event's class and its stored fields, upcast to the class's version, without
        building the event (readers that only pass the fields on skip validation); and
        whether the stored form was already current."""
        cls = resolve_topic(stored_event.topic)
        data = stored_event.state
        if self.cipher:
            data = self.cipher.decrypt(data)
        if self.compressor:
            data = self.compressor.decompress(data)
        state: dict[str, Any] = self.transcoder.decode(data)
        stored_version = version = state.pop("class_version", 1)
        while version < _class_version(cls):
            getattr(cls, f"upcast_v{version}_v{version + 1}")(state)
            version += 1
        return cls, state, stored_version == version


@cache
def _class_version(cls: type) -> int:
    """Remembered per class: a missing attribute on a pydantic model class is looked up through
    its metaclass's slow `__getattr__`, once per event otherwise."""
    return int(getattr(cls, "class_version", 1))


def store_env(db_url: str) -> dict[str, str]:
    """The eventsourcing environment for a `sqlite:///path` or `postgresql://…` URL."""
    parts = urlsplit(db_url)
    common = {
        "MAPPER_TOPIC": get_topic(PydanticMapper),
        "TRANSCODER_TOPIC": get_topic(OrjsonTranscoder),
    }
    if parts.scheme == "sqlite":
        path = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        if not path or path == ":memory:":
            raise ValueError("a SQLite store needs a file: sqlite:///var/renovation.db")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return {
            **common,
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": path,
            "APPLICATION_RECORDER_TOPIC": SQLITE_RECORDER_TOPIC,
        }
    if parts.scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        query = parse_qs(parts.query)
        return {
            **common,
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "APPLICATION_RECORDER_TOPIC": POSTGRES_RECORDER_TOPIC,
            "POSTGRES_DBNAME": unquote(parts.path.lstrip("/")) or "postgres",
            "POSTGRES_HOST": parts.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(parts.port or 5432),
            "POSTGRES_USER": unquote(parts.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(parts.password or ""),
            "POSTGRES_SCHEMA": query.get("schema", ["public"])[0],
        }
    raise ValueError(f"unsupported store URL scheme {parts.scheme!r}: use sqlite:/// or postgresql://")
