"""检查点 — signed checkpoints of the chain head, as C2SP-style signed notes with Ed25519.

The body (the signed message) is six lines, each ending in a newline:

    <origin>                      the store's identity, from audit_meta
    <size>                        number of chained events covered
    <base64 of the 32-byte head>  the chain value after the last of them
    last-id <notification id>     the last event covered
    time <YYYY-MM-DDTHH:MM:SSZ>   when it was signed (UTC)
    key-id <64 hex digits>        SHA-256 of the raw 32-byte public key
    merkle-root <base64>          RFC 6962 root over the same events' leaves (optional)

Notes written before the Merkle root existed have six lines and still verify; new ones have
seven. Then an empty line and one signature line, `— <key name> <base64(key hash ‖ signature)>`,
where the key hash is the first 4 bytes of SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ public key) (C2SP
signed-note). The private key never enters the database.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from renovation.audit.report import (
    CHECKPOINT_MALFORMED,
    CHECKPOINT_SIGNATURE,
    Checkpoint,
    Problem,
)

KEY_NAME = "renovation-audit"
PRIVATE_KEY_FILE = "audit-signing.key"
PUBLIC_KEY_FILE = "audit-signing.pub"
NOTE_SUFFIX = ".note"
MAX_NOTE_BYTES = 16 * 1024
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_DECIMAL = r"0|[1-9][0-9]{0,18}"
_BODY = re.compile(
    rf"(?P<origin>[\x21-\x7e]+)\n(?P<size>{_DECIMAL})\n(?P<head>[A-Za-z0-9+/]{{43}}=)\n"
    rf"last-id (?P<last_id>{_DECIMAL})\n"
    r"time (?P<time>[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)\n"
    r"key-id (?P<key_id>[0-9a-f]{64})\n"
    r"(?:merkle-root (?P<merkle_root>[A-Za-z0-9+/]{43}=)\n)?",
    re.ASCII,
)
_SIGNATURE = re.compile(r"\u2014 (?P<name>[\x21-\x2a\x2c-\x7e]+) (?P<sig>[A-Za-z0-9+/=]+)\n",
                        re.ASCII)


class CheckpointError(ValueError):
    """A checkpoint that cannot be trusted; `kind` is a report kind."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind


def _raw(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_fingerprint(public_key: Ed25519PublicKey) -> str:
    """The key id: SHA-256 of the raw public key, in hex (publish it out of band)."""
    return hashlib.sha256(_raw(public_key)).hexdigest()


def note_key_hash(public_key: Ed25519PublicKey, name: str = KEY_NAME) -> bytes:
    """The 4-byte key hash of a signed-note signature line (algorithm byte 0x01: Ed25519)."""
    return hashlib.sha256(name.encode() + b"\n\x01" + _raw(public_key)).digest()[:4]


def generate_keys(out_dir: Path) -> tuple[Path, Path, str]:
    """Write a new key pair (private key mode 0600); refuses to overwrite. Returns paths, id."""
    out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    private_key = Ed25519PrivateKey.generate()
    private_pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    public_pem = private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    private_path, public_path = out_dir / PRIVATE_KEY_FILE, out_dir / PUBLIC_KEY_FILE
    if public_path.exists():
        raise FileExistsError(f"{public_path} exists; keys are never overwritten")
    write_new(private_path, private_pem, 0o600)
    write_new(public_path, public_pem, 0o644)
    return private_path, public_path, key_fingerprint(private_key.public_key())


def write_new(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        os.fchmod(fd, mode)
        os.write(fd, data)
    finally:
        os.close(fd)


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """The signing key; refused when group or others may read the file."""
    if path.stat().st_mode & 0o077:
        raise PermissionError(f"{path} is readable by group or others; chmod 600 it")
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(path.read_bytes())
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"{path} is not an Ed25519 public key")
    return key


def note_body(c: Checkpoint) -> str:
    """The signed message of a checkpoint."""
    body = (f"{c.origin}\n{c.size}\n{base64.b64encode(c.head).decode()}\n"
            f"last-id {c.last_id}\ntime {c.time.strftime(TIME_FORMAT)}\nkey-id {c.key_id}\n")
    if c.merkle_root is not None:
        body += f"merkle-root {base64.b64encode(c.merkle_root).decode()}\n"
    return body


def sign_checkpoint(c: Checkpoint, private_key: Ed25519PrivateKey) -> str:
    """The whole note: body, empty line, signature line."""
    body = note_body(c)
    public_key = private_key.public_key()
    if c.key_id != key_fingerprint(public_key):
        raise ValueError("the checkpoint names another key")
    signature = note_key_hash(public_key) + private_key.sign(body.encode())
    return f"{body}\n\u2014 {KEY_NAME} {base64.b64encode(signature).decode()}\n"


def write_checkpoint(out_dir: Path, c: Checkpoint, private_key: Ed25519PrivateKey) -> Path:
    """Sign and write `checkpoint-<last id>-<time>.note` into `out_dir` (never overwriting)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"checkpoint-{c.last_id:012d}-{c.time:%Y%m%dT%H%M%SZ}{NOTE_SUFFIX}"
    write_new(path, sign_checkpoint(c, private_key).encode(), 0o644)
    return path


def parse_checkpoint(data: bytes, public_key: Ed25519PublicKey, source: str = "") -> Checkpoint:
    """A checkpoint signed by `public_key`, or CheckpointError."""
    if len(data) > MAX_NOTE_BYTES:
        raise CheckpointError(CHECKPOINT_MALFORMED, "larger than any checkpoint")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise CheckpointError(CHECKPOINT_MALFORMED, "not UTF-8") from None
    body, sep, signatures = text.partition("\n\n")
    match = _BODY.fullmatch(body + "\n") if sep else None
    if match is None:
        raise CheckpointError(CHECKPOINT_MALFORMED, "the body is not a checkpoint")
    checkpoint = _from_match(match, source)
    _check_signature(body + "\n", signatures, public_key)
    if checkpoint.key_id != key_fingerprint(public_key):
        raise CheckpointError(CHECKPOINT_SIGNATURE, "the statement names another key id")
    return checkpoint


def _check_signature(body: str, signatures: str, public_key: Ed25519PublicKey) -> None:
    lines = list(_SIGNATURE.finditer(signatures))
    if not lines or sum(len(m.group(0)) for m in lines) != len(signatures):
        raise CheckpointError(CHECKPOINT_MALFORMED, "malformed signature lines")
    wanted = note_key_hash(public_key)
    for line in lines:
        try:
            raw = base64.b64decode(line.group("sig"), validate=True)
        except binascii.Error:
            raise CheckpointError(CHECKPOINT_MALFORMED, "signature is not base64") from None
        if line.group("name") != KEY_NAME or raw[:4] != wanted or len(raw) != 68:
            continue
        try:
            public_key.verify(raw[4:], body.encode())
        except InvalidSignature:
            raise CheckpointError(CHECKPOINT_SIGNATURE, "the signature does not verify") from None
        return
    raise CheckpointError(CHECKPOINT_SIGNATURE, "not signed by the pinned public key")


def _from_match(match: re.Match[str], source: str) -> Checkpoint:
    size, last_id = int(match["size"]), int(match["last_id"])
    if size > last_id or (size == 0) != (last_id == 0):
        raise CheckpointError(CHECKPOINT_MALFORMED, f"size {size} impossible at id {last_id}")
    try:
        time = datetime.strptime(match["time"], TIME_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise CheckpointError(CHECKPOINT_MALFORMED, "time is not a date") from None
    head = _hash(match["head"], "head")
    root = _hash(match["merkle_root"], "merkle-root") if match["merkle_root"] else None
    return Checkpoint(match["origin"], size, head, last_id, time, match["key_id"], source,
                      merkle_root=root)


def _hash(text: str, name: str) -> bytes:
    value = base64.b64decode(text)
    if base64.b64encode(value).decode() != text:
        raise CheckpointError(CHECKPOINT_MALFORMED, f"{name} is not canonical base64")
    return value


def load_checkpoints(
    directory: Path, public_key: Ed25519PublicKey
) -> tuple[list[Checkpoint], list[Problem]]:
    """Every `*.note` in `directory`: the valid ones, and a problem for each other."""
    valid: list[Checkpoint] = []
    problems: list[Problem] = []
    for path in sorted(directory.glob(f"*{NOTE_SUFFIX}")):
        try:
            valid.append(parse_checkpoint(path.read_bytes(), public_key, path.name))
        except CheckpointError as error:
            problems.append(Problem(error.kind, str(error), source=path.name))
    return valid, problems
