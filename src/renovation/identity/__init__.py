"""个人信息 — personal data: edge validation, masking, per-household encryption, blind indexes."""

from renovation.identity.crypto import (
    BlindIndexer,
    FieldCipher,
    SealedValueError,
    generate_key,
)
from renovation.identity.keystore import (
    HouseholdKeyStore,
    KeyDestroyedError,
    KeyUnwrapError,
    load_or_create_secret,
)
from renovation.identity.masking import (
    mask_account,
    mask_id_number,
    mask_name,
    mask_phone,
    mask_unknown,
)
from renovation.identity.protector import (
    HouseholdSealer,
    KeyConflictError,
    PiiProtector,
    PiiReader,
)
from renovation.identity.validation import (
    validate_bank_account,
    validate_id_number,
    validate_person_name,
    validate_phone,
)

__all__ = [
    "BlindIndexer",
    "FieldCipher",
    "HouseholdKeyStore",
    "HouseholdSealer",
    "KeyConflictError",
    "KeyDestroyedError",
    "KeyUnwrapError",
    "PiiProtector",
    "PiiReader",
    "SealedValueError",
    "generate_key",
    "load_or_create_secret",
    "mask_account",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "mask_unknown",
    "validate_bank_account",
    "validate_id_number",
    "validate_person_name",
    "validate_phone",
]
