"""Personal data as events carry it: sealed (encrypted) values with a masked display form.

No plaintext personal data ever enters an event. A `ProtectedValue` holds the AES-GCM ciphertext
under the household's own key (`Sealed.key_id`), the masked form that public notices may show,
and — where matching is needed — a keyed-hash blind index (`ref`).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

BlindIndex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
"""HMAC-SHA256 of a normalised identifier under the secret index key, lower-case hex."""


class Sealed(BaseModel):
    """AES-256-GCM ciphertext of one field, under the data key named by `key_id`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key_id: BlindIndex
    nonce: Annotated[str, StringConstraints(min_length=16, max_length=16)]
    ciphertext: Annotated[str, StringConstraints(min_length=4, max_length=4096)]


class ProtectedValue(BaseModel):
    """One item of personal data: sealed, masked for display, optionally blind-indexed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sealed: Sealed
    masked: Annotated[str, StringConstraints(max_length=64)]
    ref: BlindIndex | None = None


FreeText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)] \
    | ProtectedValue
"""Free text an official writes about a household (a reason, a note): sealed with the
household's key since it may name people or numbers; events recorded before that hold it as
text. Readers show the masked form (its length) unless someone may unmask it."""
