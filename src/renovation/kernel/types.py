"""Constrained scalar types shared by events, commands and policies."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field, StringConstraints

Yuan = Annotated[int, Field(strict=True, ge=0, le=10_000_000)]
"""An amount for one household, in whole yuan: a non-negative integer, never a float."""

YuanTotal = Annotated[int, Field(strict=True, ge=0, le=10**13)]
"""An amount for a county, a programme or a province, in whole yuan."""

AreaM2 = Annotated[Decimal, Field(ge=0, le=10_000, max_digits=7, decimal_places=2)]
"""A floor area in square metres with at most two decimals."""

Sha256Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
"""The SHA-256 digest of a piece of evidence (a photo, a scanned form), lower-case hex."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
"""A short free-text field (a reason, an opinion)."""

Reference = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$")
]
"""An identifier given by people or systems: case references, command ids, document numbers."""

HouseholdSize = Annotated[int, Field(strict=True, ge=1, le=30)]
