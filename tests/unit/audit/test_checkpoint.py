"""Signing keys and signed checkpoints: formats, modes, and every way a note is refused."""

from __future__ import annotations

import base64
import stat
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from renovation.audit.checkpoint import (
    KEY_NAME,
    CheckpointError,
    generate_keys,
    key_fingerprint,
    load_checkpoints,
    load_private_key,
    load_public_key,
    note_body,
    note_key_hash,
    parse_checkpoint,
    sign_checkpoint,
    write_checkpoint,
)
from renovation.audit.report import CHECKPOINT_MALFORMED, CHECKPOINT_SIGNATURE, Checkpoint

ORIGIN = "renovation/audit-chain/0123456789abcdef0123456789abcdef"
HEAD = bytes(range(32))


def checkpoint(key: Ed25519PrivateKey, size: int = 42, last_id: int = 57) -> Checkpoint:
    return Checkpoint(ORIGIN, size, HEAD, last_id, datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
                      key_fingerprint(key.public_key()))


def test_keygen_writes_a_private_key_only_its_owner_can_read(tmp_path: Path) -> None:
    private, public, key_id = generate_keys(tmp_path / "keys")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert key_fingerprint(load_private_key(private).public_key()) == key_id
    assert key_fingerprint(load_public_key(public)) == key_id
    with pytest.raises(FileExistsError):
        generate_keys(tmp_path / "keys")


def test_a_private_key_readable_by_others_is_refused(tmp_path: Path) -> None:
    private, _, _ = generate_keys(tmp_path)
    private.chmod(0o644)
    with pytest.raises(PermissionError, match="chmod 600"):
        load_private_key(private)


def test_the_note_is_the_documented_body_an_empty_line_and_one_signature() -> None:
    key = Ed25519PrivateKey.generate()
    note = sign_checkpoint(checkpoint(key), key)
    body, signature = note.split("\n\n")
    assert body.split("\n") == [
        ORIGIN, "42", base64.b64encode(HEAD).decode(), "last-id 57", "time 2026-11-20T08:00:00Z",
        f"key-id {key_fingerprint(key.public_key())}",
    ]
    dash, name, sig = signature.rstrip("\n").split(" ")
    raw = base64.b64decode(sig)
    assert (dash, name, raw[:4], len(raw)) == ("\u2014", KEY_NAME, note_key_hash(key.public_key()),
                                               68)
    key.public_key().verify(raw[4:], note_body(checkpoint(key)).encode())


def test_a_note_round_trips(tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    path = write_checkpoint(tmp_path, checkpoint(key), key)
    assert path.name == "checkpoint-000000000057-20261120T080000Z.note"
    parsed = parse_checkpoint(path.read_bytes(), key.public_key(), path.name)
    assert parsed == replace(checkpoint(key), source=path.name)


def test_another_public_key_does_not_accept_the_note() -> None:
    key, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    note = sign_checkpoint(checkpoint(key), key).encode()
    with pytest.raises(CheckpointError) as error:
        parse_checkpoint(note, other.public_key())
    assert error.value.kind == CHECKPOINT_SIGNATURE


@pytest.mark.parametrize(
    ("old", "new"),
    [("\n42\n", "\n43\n"), ("last-id 57", "last-id 58"), ("08:00:00Z", "08:00:01Z")],
)
def test_an_edited_body_fails_the_signature(old: str, new: str) -> None:
    key = Ed25519PrivateKey.generate()
    note = sign_checkpoint(checkpoint(key), key).replace(old, new, 1)
    with pytest.raises(CheckpointError) as error:
        parse_checkpoint(note.encode(), key.public_key())
    assert error.value.kind == CHECKPOINT_SIGNATURE


def test_a_note_naming_another_key_id_is_refused_even_if_signed() -> None:
    key = Ed25519PrivateKey.generate()
    forged = Checkpoint(ORIGIN, 42, HEAD, 57, datetime(2026, 11, 20, tzinfo=UTC), "ab" * 32)
    body = note_body(forged)
    sig = note_key_hash(key.public_key()) + key.sign(body.encode())
    note = f"{body}\n\u2014 {KEY_NAME} {base64.b64encode(sig).decode()}\n"
    with pytest.raises(CheckpointError, match="another key id"):
        parse_checkpoint(note.encode(), key.public_key())


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("\n42\n", "\n042\n"),  # leading zero
        ("\n42\n", "\n4²\n"),  # not an ASCII digit
        ("\n42\n", "\n99\n"),  # more events than ids
        ("last-id 57", "last-id  57"),
        ("time 2026-11-20T08:00:00Z", "time 2026-13-20T08:00:00Z"),
        ("\n\n\u2014", "\n\u2014"),  # no empty line before the signature
        ("\n\n\u2014", "\r\n\r\n\u2014"),
        ("key-id ", "key-id X"),
        ("\n\n\u2014", "\nextra line\n\n\u2014"),
    ],
)
def test_malformed_notes_are_refused(old: str, new: str) -> None:
    key = Ed25519PrivateKey.generate()
    note = sign_checkpoint(checkpoint(key), key)
    assert old in note
    with pytest.raises(CheckpointError) as error:
        parse_checkpoint(note.replace(old, new, 1).encode(), key.public_key())
    assert error.value.kind == CHECKPOINT_MALFORMED


def test_garbage_and_oversized_input_is_malformed_not_a_crash() -> None:
    key = Ed25519PrivateKey.generate().public_key()
    for data in (b"", b"\xff\xfe", b"x" * 20_000, b"a\n1\n\n\n", "—\n\n— x y\n".encode()):
        with pytest.raises(CheckpointError):
            parse_checkpoint(data, key)


def test_loading_a_directory_reports_each_bad_note_by_file(tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    write_checkpoint(tmp_path, checkpoint(key), key)
    (tmp_path / "forged.note").write_text("nonsense\n")
    valid, problems = load_checkpoints(tmp_path, key.public_key())
    assert [c.last_id for c in valid] == [57]
    assert [(p.kind, p.source) for p in problems] == [(CHECKPOINT_MALFORMED, "forged.note")]
