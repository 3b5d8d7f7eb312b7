"""Commands: pydantic models with `extra="forbid"`, one per act, in one discriminated union.

`parse_command` is the single entry point for every door (CLI, import, API): it turns raw JSON
or a mapping into a typed command, or raises `InvalidInputError` naming the rule, field, value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import Field, TypeAdapter, ValidationError

from renovation.application.commands.base import ActorInput, Command
from renovation.application.commands.delivery import (
    CloseCase,
    CompleteConstruction,
    CorrectData,
    DisbursePayment,
    RecordCitySpotCheck,
    RecordCountyAcceptance,
    RecordDemolition,
    RecordProvincialAcceptance,
    ReportProgress,
    RequestPayment,
    SignAgreement,
    StartConstruction,
)
from renovation.application.commands.selection import (
    AssessMeans,
    CertifyCategory,
    CloseNotice,
    GradeHouse,
    GrantCountyApproval,
    HoldDemocraticReview,
    PostNotice,
    RecordNoHouse,
    RejectCase,
    ReviewAtTownship,
    SubmitApplication,
    WithdrawCase,
)
from renovation.identity import mask_unknown
from renovation.kernel.errors import InvalidInputError

AnyCommand = Annotated[
    SubmitApplication
    | CertifyCategory
    | GradeHouse
    | RecordNoHouse
    | HoldDemocraticReview
    | PostNotice
    | CloseNotice
    | ReviewAtTownship
    | AssessMeans
    | GrantCountyApproval
    | RejectCase
    | WithdrawCase
    | SignAgreement
    | StartConstruction
    | ReportProgress
    | CompleteConstruction
    | RecordCountyAcceptance
    | RecordCitySpotCheck
    | RecordProvincialAcceptance
    | RecordDemolition
    | RequestPayment
    | DisbursePayment
    | CloseCase
    | CorrectData,
    Field(discriminator="type"),
]

_ADAPTER: TypeAdapter[Command] = TypeAdapter(AnyCommand)
COMMAND_TYPES: dict[str, type[Command]] = {
    cls.model_fields["type"].annotation.__args__[0]: cls  # type: ignore[union-attr]
    for cls in AnyCommand.__origin__.__args__  # type: ignore[attr-defined]
}
_PERSONAL_KEYS = ("id_number", "number", "account", "phone", "name", "new", "password", "token",
                  "statement", "contact")
_PERSONAL_PARTS = frozenset({"household", "head", "members", "payee", "person", "objector",
                             "reason", "note", "text", "basis"})
_LONG_DIGITS = re.compile(r"\d{6,}")
_CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _may_be_personal(field: str, kind: str, value: str) -> bool:
    """A field that holds personal data, one inside a person or household, a key nobody
    declared (its value could be anything), digits long enough to be an ID, a phone or an
    account, or Chinese text where a code was expected (a name typed in the wrong column):
    the value is masked. Codes, dates, numbers and enumerations are echoed."""
    parts = set(field.split("."))
    return (any(key in field for key in _PERSONAL_KEYS) or bool(parts & _PERSONAL_PARTS)
            or kind == "extra_forbidden" or _LONG_DIGITS.search(value) is not None
            or _CHINESE.search(value) is not None)


def command_schema() -> dict[str, Any]:
    """The JSON Schema of a command (every type), for documentation and integrators."""
    return _ADAPTER.json_schema()


def parse_command(data: Mapping[str, Any] | str | bytes) -> Command:
    """A typed command from JSON text or a mapping; InvalidInputError on the first problem."""
    try:
        if isinstance(data, str | bytes):
            return _ADAPTER.validate_json(data)
        return _ADAPTER.validate_python(data)
    except ValidationError as error:
        raise _input_error(error) from None


def _input_error(error: ValidationError) -> InvalidInputError:
    return input_error_from(error.errors(include_url=False)[0])


def input_error_from(first: Mapping[str, Any]) -> InvalidInputError:
    """The refusal for one pydantic error: rule `input.<type>`, the field's dotted path, the
    value — masked where the field may hold personal data, never a whole object."""
    loc = [str(part) for part in first["loc"]]
    if loc and loc[0] in COMMAND_TYPES:
        loc = loc[1:]
    field = ".".join(loc) or "type"
    value = first.get("input")
    problem = first["msg"]
    if first["type"] in ("union_tag_invalid", "union_tag_not_found"):
        value = first.get("ctx", {}).get("tag")
        problem = f"unknown command type; known: {', '.join(sorted(COMMAND_TYPES))}"
    if isinstance(value, str) and _may_be_personal(field, first["type"], value):
        value = mask_unknown(value)
    elif isinstance(value, dict | list):
        value = f"<{type(value).__name__}>"
    return InvalidInputError(f"input.{first['type']}", field, value, f"{field}: {problem}")


__all__ = [
    "COMMAND_TYPES",
    "ActorInput",
    "AnyCommand",
    "Command",
    "command_schema",
    "input_error_from",
    "parse_command",
]
