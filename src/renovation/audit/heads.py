"""签名链头 — every commit signs the new chain head with a key the database never holds.

The recorder keeps the latest signed head in `audit_meta` (`signed_head`), written in the
commit's own transaction. Someone who can write the database but lacks the key can append events
with well-formed chain rows, or edit an event and recompute the chain after it, but cannot sign
the head that results: `audit verify` finds the store's last event outside the signed head.
The signed message is four lines, each ending in a newline:

    renovation-head/v1
    <origin>                      the store's identity, from audit_meta
    <notification id>             the last event of the commit
    <base64 of the 32-byte chain value after it>

Truncating back to an earlier signed head is what the witness (`audit.witness`) catches: it
keeps heads outside the database.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from renovation.audit.checkpoint import load_private_key, write_new

SIGNED_HEAD = "signed_head"  # the audit_meta row
HEAD_KEY_FILE, HEAD_PUBLIC_FILE = "head-signing.key", "head-signing.pub"
MESSAGE_TAG = "renovation-head/v1"
MAX_FIELD = 200  # an origin is ~55 characters; anything longer is not ours


class HeadFormatError(ValueError):
    """A stored or witnessed head that is not in the signed-head form."""


@dataclass(frozen=True)
class SignedHead:
    """The chain value after event `last_id`, signed for the store `origin`."""

    origin: str
    last_id: int
    chain: bytes
    signature: bytes
    time: datetime | None = None  # when a witness received it; not signed

    def message(self) -> bytes:
        return signed_message(self.origin, self.last_id, self.chain)

    def verifies(self, public_key: Ed25519PublicKey) -> bool:
        try:
            public_key.verify(self.signature, self.message())
        except InvalidSignature:
            return False
        return True

    def to_meta(self) -> str:
        """The `audit_meta` value: id, chain, signature (the origin is the store's own)."""
        return f"{self.last_id} {_b64(self.chain)} {_b64(self.signature)}"

    def to_record(self) -> dict[str, object]:
        """A witness record (JSON object)."""
        when = (self.time or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return {"origin": self.origin, "last_id": self.last_id, "chain": _b64(self.chain),
                "signature": _b64(self.signature), "time": when}


def signed_message(origin: str, last_id: int, chain: bytes) -> bytes:
    return f"{MESSAGE_TAG}\n{origin}\n{last_id}\n{_b64(chain)}\n".encode()


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode()


def _unb64(text: object, size: int, name: str) -> bytes:
    if not isinstance(text, str) or len(text) > MAX_FIELD:
        raise HeadFormatError(f"{name} is not base64 text")
    try:
        value = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise HeadFormatError(f"{name} is not base64") from None
    if len(value) != size:
        raise HeadFormatError(f"{name} is {len(value)} bytes, not {size}")
    return value


def _position(value: object, text: bool = False) -> int:
    """A notification id: an integer in a witness record, its digits in the meta row."""
    if text and isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 20:
        value = int(value)
    if type(value) is not int or value < 1:
        raise HeadFormatError("the head's notification id is not a positive integer")
    return value


def head_from_meta(origin: str, value: str) -> SignedHead:
    """The store's `signed_head` row, or HeadFormatError."""
    parts = value.split(" ")
    if len(parts) != 3:
        raise HeadFormatError("the signed head row is not 'id chain signature'")
    return SignedHead(origin, _position(parts[0], text=True), _unb64(parts[1], 32, "chain"),
                      _unb64(parts[2], 64, "signature"))


def head_from_record(record: object) -> SignedHead:
    """A witness record, or HeadFormatError."""
    if not isinstance(record, dict) or set(record) != {
            "origin", "last_id", "chain", "signature", "time"}:
        raise HeadFormatError("not a witness record")
    origin, when = record["origin"], record["time"]
    if not isinstance(origin, str) or not 0 < len(origin) <= MAX_FIELD:
        raise HeadFormatError("the origin is not text")
    try:
        time = datetime.strptime(str(when), "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    except ValueError:
        raise HeadFormatError("the time is not a UTC timestamp") from None
    return SignedHead(origin, _position(record["last_id"]), _unb64(record["chain"], 32, "chain"),
                      _unb64(record["signature"], 64, "signature"), time)


class HeadSigner:
    """Signs chain heads; held by the writing process, loaded from the secrets configuration."""

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._key = private_key
        self.public_key = private_key.public_key()

    def sign(self, origin: str, last_id: int, chain: bytes) -> SignedHead:
        message = signed_message(origin, last_id, chain)
        return SignedHead(origin, last_id, chain, self._key.sign(message))


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def private_from_seed(seed: bytes) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(seed)


def load_or_create_head_key(directory: Path, create: bool) -> Ed25519PrivateKey:
    """The head-signing key in `directory` (PEM, owner-only); created there when `create`,
    with its public key beside it for verifiers to pin."""
    path = directory / HEAD_KEY_FILE
    if not path.exists():
        if not create:
            raise FileNotFoundError(path)
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        try:
            write_new(path, pem, 0o600)
        except FileExistsError:  # another process created it first: use theirs
            return load_or_create_head_key(directory, create=False)
        public = directory / HEAD_PUBLIC_FILE
        public.write_bytes(public_pem(key.public_key()))
        return key
    return load_private_key(path)


def public_pem(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.PEM,
                                   serialization.PublicFormat.SubjectPublicKeyInfo)
