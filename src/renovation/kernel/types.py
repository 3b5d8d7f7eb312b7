"""Constrained scalar types shared by events, commands and policies."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated

from pydantic import BeforeValidator, Field, StringConstraints, WithJsonSchema


def _integral(value: object) -> object:
    """JSON Schema counts 3.0 as an integer, so the published schemas accept it: take it as 3.
    Every other float, a bool or a string is still refused (strict mode)."""
    if type(value) is float and value.is_integer():
        return int(value)
    return value


INTEGRAL = BeforeValidator(_integral)
"""After the constraints in an `Annotated` whole number, so that schemas keep them as
`minimum`/`maximum`: `Annotated[int, Field(strict=True, ge=0), INTEGRAL]`."""

Yuan = Annotated[int, Field(strict=True, ge=0, le=10_000_000), INTEGRAL]
"""An amount for one household, in whole yuan: a non-negative integer, never a float."""

YuanTotal = Annotated[int, Field(strict=True, ge=0, le=10**13), INTEGRAL]
"""An amount for a county, a programme or a province, in whole yuan."""

AREA_PATTERN = r"^(?:[0-9]{1,4}(?:\.[0-9]{1,2})?|10000(?:\.0{1,2})?)$"


def _area(value: object) -> object:
    """An area is written as a decimal string ("52.50") or a whole number: a binary float
    (52.499999…) or a string of another form is refused, as the published schema says."""
    if type(value) is float:
        if not value.is_integer():
            raise ValueError("write an area as a decimal string such as \"52.50\"")
        return int(value)
    if isinstance(value, str) and not re.fullmatch(AREA_PATTERN, value):
        raise ValueError("an area is 0 to 10000 square metres with at most two decimals")
    return value


AreaM2 = Annotated[
    Decimal, Field(ge=0, le=10_000, max_digits=7, decimal_places=2), BeforeValidator(_area),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": AREA_PATTERN},
                              {"type": "integer", "minimum": 0, "maximum": 10_000}]}),
]
"""A floor area in square metres with at most two decimals."""

Sha256Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
"""The SHA-256 digest of a piece of evidence (a photo, a scanned form), lower-case hex."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
"""A short free-text field (a reason, an opinion)."""

Reference = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$")
]
"""An identifier given by people or systems: case references, command ids, document numbers."""

HouseholdSize = Annotated[int, Field(strict=True, ge=1, le=30), INTEGRAL]
