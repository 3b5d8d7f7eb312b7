"""The one place where the application is wired from configuration."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pydantic import SecretStr

from renovation.application.app import RenovationApp
from renovation.application.authorization import Authorizer
from renovation.application.commands import Command
from renovation.application.programmes import ProgrammeService
from renovation.application.service import CaseService
from renovation.config import Settings
from renovation.identity import (
    BlindIndexer,
    HouseholdKeyStore,
    PiiProtector,
    PiiReader,
    load_or_create_secret,
)


@dataclass
class Runtime:
    """Everything a door (CLI, API, import) needs, built once per process."""

    settings: Settings
    app: RenovationApp
    keystore: HouseholdKeyStore
    service: CaseService
    programmes: ProgrammeService
    reader: PiiReader

    def close(self) -> None:
        self.app.close()
        self.keystore.close()

    def __enter__(self) -> Runtime:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _secret(given: SecretStr | None, path: Path) -> bytes:
    if given is not None:
        return base64.b64decode(given.get_secret_value(), validate=True)
    return load_or_create_secret(path)


def build(
    settings: Settings | None = None,
    clock: Callable[[], datetime] | None = None,
    stamp: Callable[[Command], datetime] | None = None,
) -> Runtime:
    """Wire the application; `clock` and `stamp` are for simulations and tests only."""
    settings = settings or Settings()
    kek = _secret(settings.kek, settings.secrets_dir / "kek.key")
    indexer = BlindIndexer(_secret(settings.index_key, settings.secrets_dir / "index.key"))
    keystore = HouseholdKeyStore(settings.keystore_url(), kek, schema=settings.keystore_schema())
    app = RenovationApp(settings.db)
    authorizer = Authorizer()
    service = CaseService(
        app, PiiProtector(keystore, indexer), indexer, authorizer=authorizer, clock=clock,
        stamp=stamp,
    )
    programmes = ProgrammeService(app, authorizer, clock)
    return Runtime(settings, app, keystore, service, programmes, PiiReader(keystore))
