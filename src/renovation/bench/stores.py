"""Scratch stores for a run: SQLite files under var/bench/, or schemas of a `bench` database.

Every store is emptied before its phase writes it, so each figure starts from the same state.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from renovation.config import Settings

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/bench"
IMPORT_OPENED, IMPORT_ENDED = "import.opened", "import.ended"
"""Markers a catch-up that follows the import waits for: the store is new and open; no more
events will come (written by the runner whether the import succeeded or not)."""
BACKENDS = ("sqlite", "postgres")


def postgres_url() -> str:
    return os.environ.get("RENOVATION_BENCH_PG_URL", DEFAULT_PG)


@dataclass(frozen=True)
class Stores:
    backend: str
    root: Path  # var/bench/<backend>: SQLite files, secrets, generated command files

    @property
    def secrets(self) -> Path:
        return self.root / "secrets"

    def settings(self, name: str) -> Settings:
        """The application's settings for the scratch store `name`."""
        if self.backend == "sqlite":
            db = f"sqlite:///{self.root / name / 'store.db'}"
        else:
            db = f"{postgres_url()}?schema=bench_{name}"
        return Settings(db=db, secrets_dir=self.secrets)

    def rebuild_settings(self, name: str) -> Settings:
        """The store `name` with read models of their own, emptied: a rebuild measured there
        runs beside the catch-up of the store's usual read models without touching them."""
        settings = self.settings(name)
        if self.backend == "sqlite":
            views = self.root / name / "rebuild-views.db"
            for leftover in views.parent.glob(f"{views.name}*"):
                leftover.unlink()
            return settings.model_copy(update={"views": f"sqlite:///{views}"})
        _recreate_schema(f"bench_{name}_rebuild")
        return settings.model_copy(
            update={"views": f"{postgres_url()}?schema=bench_{name}_rebuild"})

    def marker(self, name: str) -> Path:
        return self.root / name

    def bare_env(self, name: str) -> dict[str, str]:
        """The bare library's environment for its own scratch store `name`."""
        if self.backend == "sqlite":
            path = self.root / f"bare-{name}" / "store.db"
            path.parent.mkdir(parents=True, exist_ok=True)
            return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)}
        parts = urlsplit(postgres_url())
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": parts.path.lstrip("/"), "POSTGRES_HOST": parts.hostname or "",
            "POSTGRES_PORT": str(parts.port or 5432), "POSTGRES_USER": parts.username or "",
            "POSTGRES_PASSWORD": parts.password or "", "POSTGRES_SCHEMA": f"bench_bare_{name}",
        }

    def reset(self, name: str) -> None:
        if self.backend == "sqlite":
            shutil.rmtree(self.root / name, ignore_errors=True)
            (self.root / name).mkdir(parents=True)
        else:
            _recreate_schema(f"bench_{name}")

    def reset_bare(self, name: str) -> None:
        if self.backend == "sqlite":
            shutil.rmtree(self.root / f"bare-{name}", ignore_errors=True)
        else:
            _recreate_schema(f"bench_bare_{name}")


def ensure_database() -> None:
    """Create the bench database when the server lacks it (connecting to `postgres`)."""
    parts = urlsplit(postgres_url())
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not found:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _recreate_schema(schema: str) -> None:
    with psycopg.connect(postgres_url(), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
