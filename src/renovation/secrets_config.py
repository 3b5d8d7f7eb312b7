"""Where the two secrets come from: the key-encryption key (wraps every household's data key)
and the blind-index key (makes ID numbers matchable without being readable).

Whoever holds them together with the database can read every household's personal data, so in
production (`RENOVATION_MODE=production`) they must come from outside the database's reach: the
environment (`RENOVATION_KEK`, `RENOVATION_INDEX_KEY`, e.g. injected by a secret manager) or an
explicitly configured directory (`RENOVATION_SECRETS_DIR`) that is not beside the store and is
readable by its owner only. Nothing is created there on first use. In development (the default)
missing secrets are created under `var/secrets`, so that `scripts/run` works on a fresh machine.
"""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import SecretStr

from renovation.audit.heads import (
    HEAD_PUBLIC_FILE,
    HeadSigner,
    load_or_create_head_key,
    private_from_seed,
)
from renovation.config import Settings
from renovation.identity import load_or_create_secret
from renovation.identity.crypto import KEY_BYTES
from renovation.kernel.errors import RuleViolation

KEK_FILE, INDEX_KEY_FILE = "kek.key", "index.key"


class ConfigurationError(RuleViolation):
    """The deployment's configuration breaks a rule; nothing was opened."""


def load_secrets(settings: Settings) -> tuple[bytes, bytes]:
    """(key-encryption key, blind-index key), checked for production when it is one."""
    production = settings.mode == "production"
    if production and (settings.kek is None or settings.index_key is None):
        _check_directory(settings)
    kek = _secret(settings.kek, settings.secrets_dir / KEK_FILE, "kek", production)
    index_key = _secret(settings.index_key, settings.secrets_dir / INDEX_KEY_FILE, "index_key",
                        production)
    return kek, index_key


def _secret(given: SecretStr | None, path: Path, name: str, production: bool) -> bytes:
    if given is not None:
        try:
            secret = base64.b64decode(given.get_secret_value(), validate=True)
        except (binascii.Error, ValueError):
            secret = b""
        if len(secret) != KEY_BYTES:
            raise ConfigurationError("config.secret_form", f"RENOVATION_{name.upper()}", "***",
                                     f"RENOVATION_{name.upper()} is the base64 of"
                                     f" {KEY_BYTES} random bytes")
        return secret
    if not production:
        return load_or_create_secret(path)
    if not path.is_file():
        raise ConfigurationError("config.secret_missing", "secrets_dir", str(path.parent),
                                 f"{path.name} is missing; production creates no secrets")
    if path.stat().st_mode & 0o077:
        raise ConfigurationError("config.secret_permissions", "secrets_dir", str(path),
                                 f"{path} is readable by others than its owner (chmod 600)")
    return load_or_create_secret(path)


def load_head_signer(settings: Settings) -> HeadSigner:
    """The key that signs every commit's chain head: RENOVATION_HEAD_KEY, else the secrets
    directory's `head-signing.key` (created there in development only)."""
    production = settings.mode == "production"
    if settings.head_key is not None:
        seed = _secret(settings.head_key, Path("-"), "head_key", production)
        return HeadSigner(private_from_seed(seed))
    try:
        return HeadSigner(load_or_create_head_key(settings.secrets_dir, create=not production))
    except FileNotFoundError:
        raise ConfigurationError(
            "config.secret_missing", "secrets_dir", str(settings.secrets_dir),
            "head-signing.key is missing; production creates no secrets") from None
    except PermissionError:
        raise ConfigurationError(
            "config.secret_permissions", "secrets_dir", str(settings.secrets_dir),
            "head-signing.key is readable by others than its owner (chmod 600)") from None


def head_public_key(settings: Settings) -> tuple[Ed25519PublicKey | None, str]:
    """The public key that signed heads are verified with, and where it came from: the pinned
    RENOVATION_HEAD_PUBLIC_KEY, else the deployment's own key (None when there is none)."""
    if settings.head_public_key is not None:
        key = serialization.load_pem_public_key(settings.head_public_key.read_bytes())
        if not isinstance(key, Ed25519PublicKey):
            raise ConfigurationError("config.secret_form", "head_public_key",
                                     str(settings.head_public_key), "not an Ed25519 public key")
        return key, "pinned"
    if settings.head_key is not None:
        return load_head_signer(settings).public_key, "deployment"
    public = settings.secrets_dir / HEAD_PUBLIC_FILE
    if public.is_file():
        key = serialization.load_pem_public_key(public.read_bytes())
        return (key if isinstance(key, Ed25519PublicKey) else None), "deployment"
    return None, "none"


def _check_directory(settings: Settings) -> None:
    if "RENOVATION_SECRETS_DIR" not in os.environ and "secrets_dir" not in (
            settings.model_fields_set):
        raise ConfigurationError(
            "config.secrets_dir_explicit", "secrets_dir", str(settings.secrets_dir),
            "production reads the secrets from RENOVATION_KEK/RENOVATION_INDEX_KEY or an"
            " explicitly set RENOVATION_SECRETS_DIR, never from the default beside the store")
    secrets_dir = settings.secrets_dir.resolve()
    for url in (settings.db, settings.keystore_url(), settings.views_url()):
        parts = urlsplit(url)
        if parts.scheme == "sqlite" and parts.path[1:]:
            store_dir = Path(parts.path[1:]).resolve().parent
            if secrets_dir == store_dir or store_dir in secrets_dir.parents:
                raise ConfigurationError(
                    "config.secrets_beside_store", "secrets_dir", str(settings.secrets_dir),
                    f"the secrets lie beside the database in {store_dir}: whoever copies the"
                    " store's directory would take the keys with it")


def require_store(settings: Settings) -> None:
    """Refuse to run against an embedded store that does not exist (rather than quietly make an
    empty one where someone happened to type a command). PostgreSQL stores are created by
    their administrators; their tables appear on first use."""
    parts = urlsplit(settings.db)
    if parts.scheme == "sqlite" and parts.path[1:] and not Path(parts.path[1:]).is_file():
        raise ConfigurationError(
            "store.missing", "RENOVATION_DB", settings.db,
            f"there is no store at {parts.path[1:]}: run scripts/run (or renovation demo) in the"
            " project folder, or set RENOVATION_DB to the store to use")


def check_durability(datastore: Any, postgres: bool) -> None:
    """A commit the store acknowledged must survive a power cut: SQLite's `synchronous` FULL
    (or EXTRA), PostgreSQL's `synchronous_commit` not `off`. Checked on the store's own
    connections when the application starts."""
    with datastore.transaction(commit=False) as cursor:
        cursor.execute("SHOW synchronous_commit" if postgres else "PRAGMA synchronous")
        row = cursor.fetchone()
    value = str(row[0] if not isinstance(row, dict) else next(iter(row.values())))
    durable = value != "off" if postgres else value in ("2", "3")
    if not durable:
        setting = "synchronous_commit" if postgres else "synchronous"
        raise ConfigurationError(
            "store.durability", setting, value,
            f"the store runs with {setting}={value}: an acknowledged commit could be lost in a"
            " crash; set it to on (PostgreSQL) or FULL (SQLite)")
