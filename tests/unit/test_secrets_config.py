"""Production takes the keys only from outside the database's reach; development makes them."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from renovation.config import Settings
from renovation.secrets_config import ConfigurationError, load_secrets

KEY = base64.b64encode(b"k" * 32).decode()


def settings(tmp_path: Path, **changes: object) -> Settings:
    return Settings(db=f"sqlite:///{tmp_path}/store/renovation.db", **changes)  # type: ignore[arg-type]


def refused(given: Settings) -> str:
    with pytest.raises(ConfigurationError) as caught:
        load_secrets(given)
    assert KEY not in str(caught.value)
    return caught.value.rule


def test_development_creates_missing_secrets_owner_readable(tmp_path: Path) -> None:
    kek, index = load_secrets(settings(tmp_path, secrets_dir=tmp_path / "store" / "secrets"))
    assert len(kek) == len(index) == 32 and kek != index
    assert ((tmp_path / "store" / "secrets" / "kek.key").stat().st_mode & 0o777) == 0o600


def test_production_takes_the_keys_from_the_environment(tmp_path: Path) -> None:
    kek, index = load_secrets(settings(tmp_path, mode="production", kek=KEY, index_key=KEY))
    assert kek == index == b"k" * 32
    assert refused(settings(tmp_path, mode="production", kek="bm90IDMyIGJ5dGVz",
                            index_key=KEY)) == "config.secret_form"


def test_production_refuses_the_default_directory_and_one_beside_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("RENOVATION_SECRETS_DIR", raising=False)
    assert refused(settings(tmp_path, mode="production")) == "config.secrets_dir_explicit"
    beside = settings(tmp_path, mode="production", secrets_dir=tmp_path / "store" / "keys")
    assert refused(beside) == "config.secrets_beside_store"


def test_production_creates_nothing_and_refuses_keys_others_can_read(tmp_path: Path) -> None:
    elsewhere = tmp_path / "vault"
    given = settings(tmp_path, mode="production", secrets_dir=elsewhere)
    assert refused(given) == "config.secret_missing"
    assert not elsewhere.exists()
    elsewhere.mkdir()
    for name in ("kek.key", "index.key"):
        (elsewhere / name).write_text(KEY + "\n")
        (elsewhere / name).chmod(0o644)
    assert refused(given) == "config.secret_permissions"
    for name in ("kek.key", "index.key"):
        (elsewhere / name).chmod(0o600)
    assert load_secrets(given) == (b"k" * 32, b"k" * 32)
