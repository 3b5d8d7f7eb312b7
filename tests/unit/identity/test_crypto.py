"""Rules for field encryption and blind indexes."""

from __future__ import annotations

import base64

import pytest

from renovation.identity import BlindIndexer, FieldCipher, SealedValueError, generate_key
from renovation.kernel.protected import Sealed

KEY_ID = "a" * 64
OTHER_KEY_ID = "b" * 64
FIELD = "head.id_number"
PLAINTEXT = "45032119850612123X"


def test_a_sealed_value_opens_with_the_same_key_and_field() -> None:
    cipher, key = FieldCipher(), generate_key()
    sealed = cipher.seal(key, KEY_ID, FIELD, PLAINTEXT)
    assert sealed.key_id == KEY_ID
    assert len(base64.b64decode(sealed.nonce)) == 12
    assert PLAINTEXT not in sealed.ciphertext
    assert cipher.open(key, sealed, FIELD) == PLAINTEXT


def test_sealing_the_same_value_twice_gives_different_ciphertexts() -> None:
    cipher, key = FieldCipher(), generate_key()
    first = cipher.seal(key, KEY_ID, FIELD, PLAINTEXT)
    second = cipher.seal(key, KEY_ID, FIELD, PLAINTEXT)
    assert first.nonce != second.nonce
    assert first.ciphertext != second.ciphertext


def test_empty_and_non_ascii_text_round_trip() -> None:
    cipher, key = FieldCipher(), generate_key()
    for text in ("", "买买提·艾力"):
        assert cipher.open(key, cipher.seal(key, KEY_ID, "name", text), "name") == text


def test_a_tampered_ciphertext_does_not_open() -> None:
    cipher, key = FieldCipher(), generate_key()
    sealed = cipher.seal(key, KEY_ID, FIELD, PLAINTEXT)
    raw = bytearray(base64.b64decode(sealed.ciphertext))
    raw[0] ^= 1
    tampered = sealed.model_copy(update={"ciphertext": base64.b64encode(raw).decode()})
    with pytest.raises(SealedValueError):
        cipher.open(key, tampered, FIELD)


def test_a_ciphertext_moved_to_another_field_does_not_open() -> None:
    cipher, key = FieldCipher(), generate_key()
    sealed = cipher.seal(key, KEY_ID, FIELD, PLAINTEXT)
    with pytest.raises(SealedValueError):
        cipher.open(key, sealed, "member.id_number")


def test_a_ciphertext_moved_to_another_household_does_not_open() -> None:
    cipher, key = FieldCipher(), generate_key()
    sealed = cipher.seal(key, KEY_ID, FIELD, PLAINTEXT)
    moved = Sealed(key_id=OTHER_KEY_ID, nonce=sealed.nonce, ciphertext=sealed.ciphertext)
    with pytest.raises(SealedValueError):
        cipher.open(key, moved, FIELD)


def test_a_sealed_value_does_not_open_under_another_key() -> None:
    cipher = FieldCipher()
    sealed = cipher.seal(generate_key(), KEY_ID, FIELD, PLAINTEXT)
    with pytest.raises(SealedValueError):
        cipher.open(generate_key(), sealed, FIELD)


def test_garbled_base64_is_a_sealed_value_error() -> None:
    cipher, key = FieldCipher(), generate_key()
    sealed = cipher.seal(key, KEY_ID, FIELD, PLAINTEXT)
    garbled = sealed.model_copy(update={"ciphertext": "!!!!" + sealed.ciphertext[4:]})
    with pytest.raises(SealedValueError):
        cipher.open(key, garbled, FIELD)


def test_a_data_key_must_be_32_bytes() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        FieldCipher().seal(b"short", KEY_ID, FIELD, PLAINTEXT)


def test_a_value_too_long_for_an_event_is_refused() -> None:
    with pytest.raises(ValueError, match="too long"):
        FieldCipher().seal(generate_key(), KEY_ID, "notes", "x" * 4000)


def test_generated_keys_are_32_random_bytes() -> None:
    assert len(generate_key()) == 32
    assert generate_key() != generate_key()


def test_a_blind_index_is_deterministic_lower_case_hex() -> None:
    indexer = BlindIndexer(b"k" * 32)
    ref = indexer.ref("id_number", PLAINTEXT)
    assert ref == indexer.ref("id_number", PLAINTEXT)
    assert len(ref) == 64
    assert ref == ref.lower()
    int(ref, 16)


def test_a_blind_index_differs_per_kind_per_value_and_per_key() -> None:
    indexer = BlindIndexer(b"k" * 32)
    ref = indexer.ref("id_number", "13812345678")
    assert ref != indexer.ref("phone", "13812345678")
    assert ref != indexer.ref("id_number", "13812345679")
    assert ref != BlindIndexer(b"j" * 32).ref("id_number", "13812345678")


def test_a_blind_index_key_shorter_than_32_bytes_is_refused() -> None:
    with pytest.raises(ValueError):
        BlindIndexer(b"k" * 31)


def test_a_blind_index_kind_may_not_contain_the_separator() -> None:
    with pytest.raises(ValueError):
        BlindIndexer(b"k" * 32).ref("id:number", "x")


def test_the_index_key_does_not_show_in_repr() -> None:
    assert "kkkk" not in repr(BlindIndexer(b"k" * 32))
