"""加密与盲索引 — field encryption (AES-256-GCM) and keyed-hash blind indexes."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from renovation.kernel.protected import Sealed

KEY_BYTES = 32
NONCE_BYTES = 12
_MAX_CIPHERTEXT_CHARS = 4096  # Sealed.ciphertext's limit, checked here for a clearer error


class SealedValueError(Exception):
    """A sealed value cannot be opened: tampered, moved to another field, or the wrong key."""


def generate_key() -> bytes:
    """A fresh random 256-bit key."""
    return os.urandom(KEY_BYTES)


def _require_key(key: bytes, what: str) -> None:
    if not isinstance(key, bytes | bytearray) or len(key) != KEY_BYTES:
        raise ValueError(f"The {what} must be {KEY_BYTES} bytes.")


def _associated_data(key_id: str, field: str) -> bytes:
    # Binds the ciphertext to its household and field: it cannot be replayed elsewhere.
    return f"{key_id}|{field}".encode()


class FieldCipher:
    """字段加密 — AES-256-GCM for one field of personal data."""

    def seal(self, key: bytes, key_id: str, field: str, plaintext: str) -> Sealed:
        """Encrypt `plaintext` under `key`, bound to `key_id` and `field`."""
        _require_key(key, "data key")
        nonce = os.urandom(NONCE_BYTES)
        ciphertext = AESGCM(bytes(key)).encrypt(
            nonce, plaintext.encode(), _associated_data(key_id, field)
        )
        encoded = base64.b64encode(ciphertext).decode("ascii")
        if len(encoded) > _MAX_CIPHERTEXT_CHARS:
            raise ValueError(f"The value for {field!r} is too long to seal.")
        return Sealed(
            key_id=key_id,
            nonce=base64.b64encode(nonce).decode("ascii"),
            ciphertext=encoded,
        )

    def open(self, key: bytes, sealed: Sealed, field: str) -> str:
        """Decrypt `sealed`; raise `SealedValueError` unless key, field and bytes all match."""
        _require_key(key, "data key")
        try:
            nonce = base64.b64decode(sealed.nonce, validate=True)
            ciphertext = base64.b64decode(sealed.ciphertext, validate=True)
        except (binascii.Error, ValueError):
            raise SealedValueError("The sealed value is not valid base64.") from None
        if len(nonce) != NONCE_BYTES:
            raise SealedValueError("The sealed value has a nonce of the wrong length.")
        try:
            plaintext = AESGCM(bytes(key)).decrypt(
                nonce, ciphertext, _associated_data(sealed.key_id, field)
            )
        except InvalidTag:
            raise SealedValueError(
                f"The sealed value for {field!r} does not open: tampered, moved from another "
                "field or household, or sealed under a different key."
            ) from None
        try:
            return plaintext.decode()
        except UnicodeDecodeError:
            raise SealedValueError("The sealed value does not hold UTF-8 text.") from None


class BlindIndexer:
    """盲索引 — keyed-hash blind index for matching identifiers without storing them."""

    def __init__(self, index_key: bytes) -> None:
        if not isinstance(index_key, bytes | bytearray) or len(index_key) < KEY_BYTES:
            raise ValueError(f"The blind-index key must be at least {KEY_BYTES} bytes.")
        # Keyed once; each ref copies it (cheaper than keying a new HMAC per value).
        self._keyed = hmac.new(bytes(index_key), digestmod=hashlib.sha256)

    def ref(self, kind: str, normalised_value: str) -> str:
        """HMAC-SHA256 of ``kind:value``, lower-case hex (64 characters)."""
        if not kind or ":" in kind:
            raise ValueError("The blind-index kind must be non-empty and contain no ':'.")
        mac = self._keyed.copy()
        mac.update(f"{kind}:{normalised_value}".encode())
        return mac.hexdigest()

    def __repr__(self) -> str:
        return "BlindIndexer(<key hidden>)"
