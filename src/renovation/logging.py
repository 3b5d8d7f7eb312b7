"""Structured logs (structlog): console or JSON lines, with personal data redacted."""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

REDACTED_KEYS = frozenset(
    {"id_number", "bank_account", "account", "number", "phone", "name", "head_name", "password"}
)


def redact_personal_data(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Replace values of keys that may carry personal data, at any nesting depth."""
    for key, value in list(event_dict.items()):
        if key in REDACTED_KEYS and value is not None:
            event_dict[key] = "[redacted]"
        elif isinstance(value, dict):
            event_dict[key] = redact_personal_data(_logger, _method, dict(value))
    return event_dict


def configure_logging(fmt: str = "console", level: str = "INFO") -> None:
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            redact_personal_data,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )


def get_logger(name: str = "renovation") -> Any:
    return structlog.get_logger(name)
