"""Errors that reject a command, each naming the rule it enforces, the field and the value."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any


def _plain(value: Any) -> Any:
    """A JSON-friendly rendering of an offending value."""
    if isinstance(value, Enum):
        return value.value
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, date | Decimal):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return str(value)


class RuleViolation(Exception):  # noqa: N818 - the name says what happened: a rule was violated
    """A command broke a rule; nothing was written.

    `rule` is a stable dotted identifier (e.g. ``payment.requires_county_acceptance``) that
    reports, import rejects and the API use to group errors.
    """

    def __init__(self, rule: str, field: str, value: Any, message: str) -> None:
        self.rule = rule
        self.field = field
        self.value = _plain(value)
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.message} [rule {self.rule}; {self.field}={self.value!r}]"

    def to_dict(self) -> dict[str, Any]:
        return {
            "error": type(self).__name__,
            "rule": self.rule,
            "field": self.field,
            "value": self.value,
            "message": self.message,
        }


class InvalidInputError(RuleViolation):
    """Input that does not fit its schema: a wrong type, format, range or an unknown field."""


class NotAuthorizedError(RuleViolation):
    """The actor's role may not perform this action."""


class OutsideJurisdictionError(RuleViolation):
    """The case lies outside the actor's jurisdiction."""
