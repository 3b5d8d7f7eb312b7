"""Configuration: environment variables prefixed `RENOVATION_`, read once per process.

- RENOVATION_DB — the event store, `sqlite:///var/renovation.db` (default) or
  `postgresql://user:password@host:port/db?schema=name`.
- RENOVATION_KEYSTORE — the household key store (SQLAlchemy URL). Default: a sibling SQLite file
  (`var/renovation-keys.db`), or for PostgreSQL a table in the same database and schema.
- RENOVATION_VIEWS — the read-model database (SQLAlchemy URL). Default: a sibling SQLite file
  (`var/renovation-views.db`), or for PostgreSQL the store's own database and schema.
- RENOVATION_SECRETS_DIR — where the key-encryption key and the blind-index key live
  (default `var/secrets`, created on first use; production mounts them from a secret store).
- RENOVATION_KEK, RENOVATION_INDEX_KEY — the same two secrets given directly (base64 of 32 bytes);
  they take precedence over the files.
- RENOVATION_HEAD_KEY — the key that signs every commit's chain head (base64 of a 32-byte
  Ed25519 seed); else `head-signing.key` in the secrets directory (created in development).
  RENOVATION_HEAD_PUBLIC_KEY — the PEM public key `audit verify` pins (default: derived from the
  deployment's own key, with a warning).
- RENOVATION_WITNESS — where signed heads are also kept, outside the database: `file:///path` or
  `nats://host:4222[?stream=NAME]`. Development default: `<store>-witness.log` beside a SQLite
  store; production has none unless set. RENOVATION_WITNESS_EVERY (commits, default 100) and
  RENOVATION_WITNESS_SECONDS (default 10) say how often a head is sent.
- RENOVATION_CHECKPOINT_KEY (a PEM signing key) with RENOVATION_CHECKPOINTS: `renovation serve`
  verifies the store and signs a checkpoint every RENOVATION_CHECKPOINT_MINUTES (60) when new
  events were written (`audit.scheduled`).
- RENOVATION_LOG_FORMAT — `console` (default) or `json`; RENOVATION_LOG_LEVEL — default INFO.
- RENOVATION_MODE — `development` (default) or `production`: production never creates secrets
  and refuses them beside the store or readable by others (`secrets_config`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RENOVATION_", extra="ignore")

    db: str = "sqlite:///var/renovation.db"
    keystore: str | None = None
    views: str | None = None
    secrets_dir: Path = Path("var/secrets")
    kek: SecretStr | None = None
    index_key: SecretStr | None = None
    log_format: Literal["console", "json"] = "console"
    log_level: str = Field(default="INFO", pattern=r"^(DEBUG|INFO|WARNING|ERROR)$")
    mode: Literal["development", "production"] = "development"
    # Signed checkpoints and their public key: what a dossier downloaded from the server is
    # proved against (the signing key itself stays with the inspectors, never here).
    checkpoints: Path | None = None
    audit_public_key: Path | None = None
    # With a key, `renovation serve` signs a checkpoint into `checkpoints` on a schedule.
    checkpoint_key: Path | None = None
    checkpoint_minutes: float = Field(default=60.0, gt=0)
    head_key: SecretStr | None = None
    head_public_key: Path | None = None
    witness: str | None = None
    witness_every: int = Field(default=100, ge=1)
    witness_seconds: float = Field(default=10.0, gt=0)

    def witness_url(self) -> str | None:
        """Where signed heads are witnessed: as configured, else (development, SQLite) a log
        beside the store."""
        if self.witness is not None:
            return self.witness or None
        parts = urlsplit(self.db)
        if self.mode == "development" and parts.scheme == "sqlite":
            path = Path(parts.path[1:]).resolve()
            return f"file://{path.with_name(path.stem + '-witness.log')}"
        return None

    def keystore_url(self) -> str:
        """The key store: a sibling SQLite file, or the same PostgreSQL database (own table)."""
        if self.keystore:
            return self.keystore
        parts = urlsplit(self.db)
        if parts.scheme == "sqlite":
            path = Path(parts.path[1:])
            return f"sqlite:///{path.with_name(path.stem + '-keys.db')}"
        return parts._replace(query="").geturl()

    def views_url(self) -> str:
        """The read models: a sibling SQLite file, or the store's PostgreSQL database and schema."""
        if self.views:
            return self.views
        parts = urlsplit(self.db)
        if parts.scheme == "sqlite":
            path = Path(parts.path[1:])
            return f"sqlite:///{path.with_name(path.stem + '-views.db')}"
        return self.db

    def keystore_schema(self) -> str | None:
        query = urlsplit(self.db).query
        for pair in query.split("&"):
            if pair.startswith("schema="):
                return pair.removeprefix("schema=")
        return None

    @property
    def is_postgres(self) -> bool:
        return urlsplit(self.db).scheme.startswith("postgres")
