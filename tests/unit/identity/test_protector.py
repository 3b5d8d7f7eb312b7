"""Rules for sealing personal data into events and revealing it again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from stdnum.cn import ric

from renovation.identity import (
    BlindIndexer,
    HouseholdKeyStore,
    KeyConflictError,
    KeyDestroyedError,
    PiiProtector,
    PiiReader,
    SealedValueError,
    generate_key,
)
from renovation.kernel.protected import ProtectedValue


def make_id(region: str = "450321", born: str = "19850612", seq: str = "123") -> str:
    body = region + born + seq
    return body + ric.calc_check_digit(body + "0")


HEAD_ID = make_id()
CARD = "6222021001123456789"
PHONE = "13812345678"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HouseholdKeyStore]:
    with HouseholdKeyStore(f"sqlite:///{tmp_path / 'keys.db'}", generate_key()) as keystore:
        yield keystore


@pytest.fixture
def indexer() -> BlindIndexer:
    return BlindIndexer(generate_key())


@pytest.fixture
def protector(store: HouseholdKeyStore, indexer: BlindIndexer) -> PiiProtector:
    return PiiProtector(store, indexer)


def test_the_household_ref_is_the_blind_index_of_the_head_id_number(
    protector: PiiProtector, indexer: BlindIndexer
) -> None:
    assert protector.household_ref(HEAD_ID) == indexer.ref("id_number", HEAD_ID)


def test_an_unknown_household_gets_a_new_key_that_is_not_stored_before_commit(
    protector: PiiProtector, store: HouseholdKeyStore
) -> None:
    ref = protector.household_ref(HEAD_ID)
    sealer = protector.begin(ref)
    assert sealer.is_new_key
    assert sealer.key_id == ref
    sealer.id_number(HEAD_ID, "head.id_number")
    assert store.get(ref) is None


def test_commit_persists_the_new_key_and_a_second_begin_reuses_it(
    protector: PiiProtector, store: HouseholdKeyStore
) -> None:
    ref = protector.household_ref(HEAD_ID)
    sealer = protector.begin(ref)
    value = sealer.id_number(HEAD_ID, "head.id_number")
    sealer.commit()
    sealer.commit()  # idempotent
    assert store.get(ref) is not None
    again = protector.begin(ref)
    assert not again.is_new_key
    again.commit()  # nothing to persist
    reader = PiiReader(store)
    assert reader.reveal(value, "head.id_number") == HEAD_ID
    later = again.phone(PHONE, "head.phone")
    assert reader.reveal(later, "head.phone") == PHONE


def test_a_rejected_command_leaves_the_key_table_unchanged(
    protector: PiiProtector, store: HouseholdKeyStore
) -> None:
    ref = protector.household_ref(HEAD_ID)
    protector.begin(ref).id_number(HEAD_ID, "head.id_number")  # never committed
    assert store.get(ref) is None
    assert protector.begin(ref).is_new_key


def test_a_commit_that_loses_the_race_is_a_key_conflict(
    protector: PiiProtector, store: HouseholdKeyStore
) -> None:
    ref = protector.household_ref(HEAD_ID)
    mine, theirs = protector.begin(ref), protector.begin(ref)
    theirs.commit()
    with pytest.raises(KeyConflictError) as caught:
        mine.commit()
    assert caught.value.key_id == ref


def test_sealed_values_carry_masked_forms_and_blind_indexes(
    protector: PiiProtector, indexer: BlindIndexer
) -> None:
    sealer = protector.begin(protector.household_ref(HEAD_ID))
    id_value = sealer.id_number(HEAD_ID, "head.id_number")
    card = sealer.bank_account(CARD, "subsidy.account")
    phone = sealer.phone(PHONE, "head.phone")
    name = sealer.text("张三", "head.name", "张*")
    assert id_value.masked == "450321********" + HEAD_ID[-4:]
    assert id_value.ref == indexer.ref("id_number", HEAD_ID)
    assert card.masked == "****6789"
    assert card.ref == indexer.ref("bank_account", CARD)
    assert phone.masked == "138****5678"
    assert phone.ref == indexer.ref("phone", PHONE)
    assert name.masked == "张*"
    assert name.ref is None
    for value, plain in [(id_value, HEAD_ID), (card, CARD), (phone, PHONE), (name, "张三")]:
        assert plain not in value.model_dump_json()


def test_a_value_round_trips_through_json_and_reveals(
    protector: PiiProtector, store: HouseholdKeyStore
) -> None:
    sealer = protector.begin(protector.household_ref(HEAD_ID))
    value = sealer.text("张三", "head.name", "张*")
    sealer.commit()
    restored = ProtectedValue.model_validate_json(value.model_dump_json())
    assert PiiReader(store).reveal(restored, "head.name") == "张三"


def test_a_value_revealed_under_the_wrong_field_fails(
    protector: PiiProtector, store: HouseholdKeyStore
) -> None:
    sealer = protector.begin(protector.household_ref(HEAD_ID))
    value = sealer.phone(PHONE, "head.phone")
    sealer.commit()
    with pytest.raises(SealedValueError):
        PiiReader(store).reveal(value, "member.phone")


def test_a_destroyed_household_key_reveals_nothing(
    protector: PiiProtector, store: HouseholdKeyStore
) -> None:
    ref = protector.household_ref(HEAD_ID)
    sealer = protector.begin(ref)
    value = sealer.id_number(HEAD_ID, "head.id_number")
    sealer.commit()
    reader = PiiReader(store)
    assert reader.reveal(value, "head.id_number") == HEAD_ID
    store.destroy(ref, "household data erased")
    assert reader.reveal(value, "head.id_number") is None
    with pytest.raises(KeyDestroyedError):
        protector.begin(ref)


def test_a_value_whose_key_was_never_committed_cannot_be_revealed(
    protector: PiiProtector, store: HouseholdKeyStore
) -> None:
    value = protector.begin(protector.household_ref(HEAD_ID)).phone(PHONE, "head.phone")
    with pytest.raises(SealedValueError):
        PiiReader(store).reveal(value, "head.phone")
