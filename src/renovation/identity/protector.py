"""个人信息保护 — sealing personal data into events, and revealing it to authorised readers.

A command seals values with the household's key first and persists a brand-new key only after
the domain accepted the command (`HouseholdSealer.commit`), so a rejected command leaves the
key table untouched.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping

from renovation.identity.crypto import BlindIndexer, FieldCipher, SealedValueError, generate_key
from renovation.identity.keystore import HouseholdKeyStore, KeyDestroyedError
from renovation.identity.masking import mask_account, mask_id_number, mask_phone
from renovation.kernel.protected import ProtectedValue


class KeyConflictError(Exception):
    """Another writer stored a different key for the household first; retry the whole command."""

    def __init__(self, key_id: str) -> None:
        self.key_id = key_id
        super().__init__(
            f"Another writer stored a key for household {key_id!r} first; retry the command."
        )


class HouseholdSealer:
    """One household's sealing session: seal values now, persist a new key on `commit`."""

    def __init__(
        self,
        keystore: HouseholdKeyStore,
        indexer: BlindIndexer,
        cipher: FieldCipher,
        key_id: str,
        key: bytes,
        is_new_key: bool,
    ) -> None:
        self._keystore = keystore
        self._indexer = indexer
        self._cipher = cipher
        self._key = key
        self.key_id = key_id
        self.is_new_key = is_new_key
        self._committed = not is_new_key

    def _protect(self, plaintext: str, field: str, masked: str, ref: str | None) -> ProtectedValue:
        sealed = self._cipher.seal(self._key, self.key_id, field, plaintext)
        return ProtectedValue(sealed=sealed, masked=masked, ref=ref)

    def id_number(self, normalised: str, field: str) -> ProtectedValue:
        """身份证号: sealed, masked, blind-indexed as ``id_number``."""
        ref = self._indexer.ref("id_number", normalised)
        return self._protect(normalised, field, mask_id_number(normalised), ref)

    def bank_account(self, normalised: str, field: str) -> ProtectedValue:
        """银行账号: sealed, masked, blind-indexed as ``bank_account``."""
        ref = self._indexer.ref("bank_account", normalised)
        return self._protect(normalised, field, mask_account(normalised), ref)

    def phone(self, normalised: str, field: str) -> ProtectedValue:
        """电话: sealed, masked, blind-indexed as ``phone``."""
        ref = self._indexer.ref("phone", normalised)
        return self._protect(normalised, field, mask_phone(normalised), ref)

    def person_name(self, normalised: str, field: str, masked: str) -> ProtectedValue:
        """姓名: sealed, masked, blind-indexed as ``person_name`` (case-folded), so that an
        inspector with a tip-off can find the household by the full name alone."""
        ref = self._indexer.ref("person_name", normalised.casefold())
        return self._protect(normalised, field, masked, ref)

    def text(self, plaintext: str, field: str, masked: str) -> ProtectedValue:
        """Any other personal text (e.g. 姓名): sealed with the given masked form, no index."""
        return self._protect(plaintext, field, masked, None)

    def commit(self) -> None:
        """Persist a new key; `KeyConflictError` if another writer's key won. Idempotent."""
        commit_sealers([self])


def commit_sealers(sealers: list[HouseholdSealer]) -> None:
    """Persist the new keys of many sealers in one write per key store (a batch's households).

    `KeyConflictError` names the first household whose key another writer stored first.
    """
    by_store: dict[int, list[HouseholdSealer]] = {}
    for sealer in sealers:
        if not sealer._committed:
            by_store.setdefault(id(sealer._keystore), []).append(sealer)
    for group in by_store.values():
        wanted = {sealer.key_id: sealer._key for sealer in group}
        stored = group[0]._keystore.put_many_if_absent(wanted)
        for sealer in group:
            if not hmac.compare_digest(stored[sealer.key_id], sealer._key):
                raise KeyConflictError(sealer.key_id)
            sealer._committed = True


class PiiProtector:
    """The application layer's entry point for sealing personal data."""

    def __init__(
        self,
        keystore: HouseholdKeyStore,
        indexer: BlindIndexer,
        cipher: FieldCipher | None = None,
    ) -> None:
        self._keystore = keystore
        self._indexer = indexer
        self._cipher = cipher or FieldCipher()

    def household_ref(self, head_id_number: str) -> str:
        """The household's key id: the blind index of the head's normalised ID number."""
        return self._indexer.ref("id_number", head_id_number)

    def record_ref(self, kind: str, record: str) -> str:
        """The key id of personal data that belongs to a record, not a household (an
        objector's words): erasable on its own."""
        return self._indexer.ref(kind, record)

    def known_keys(self, household_refs: Iterable[str]) -> dict[str, bytes | None]:
        """The stored keys of many households, read together, for `begin(ref, known)`."""
        return self._keystore.get_many(household_refs)

    def begin(
        self, household_ref: str, known: Mapping[str, bytes | None] | None = None
    ) -> HouseholdSealer:
        """Seal with the stored key, or a new in-memory key (raises `KeyDestroyedError`).

        `known` holds keys read ahead by `known_keys`; a household missing from it is read now.
        """
        if known is not None and household_ref in known:
            key = known[household_ref]
        else:
            key = self._keystore.get(household_ref)
        is_new = key is None
        return HouseholdSealer(
            self._keystore,
            self._indexer,
            self._cipher,
            key_id=household_ref,
            key=generate_key() if key is None else key,
            is_new_key=is_new,
        )


class PiiReader:
    """Reveals sealed personal data to authorised readers."""

    def __init__(self, keystore: HouseholdKeyStore, cipher: FieldCipher | None = None) -> None:
        self._keystore = keystore
        self._cipher = cipher or FieldCipher()

    def reveal(self, value: ProtectedValue, field: str) -> str | None:
        """The plaintext, or None when the household's key was destroyed (crypto-shredded)."""
        key_id = value.sealed.key_id
        try:
            key = self._keystore.get(key_id)
        except KeyDestroyedError:
            return None
        if key is None:
            raise SealedValueError(f"No key is stored for {key_id!r}; the value cannot be opened.")
        return self._cipher.open(key, value.sealed, field)
