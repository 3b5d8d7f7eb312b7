"""The one place where the application is wired from configuration."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from renovation.application.app import RenovationApp
from renovation.application.authorization import Authorizer
from renovation.application.certifying_lists import CertifyingLists
from renovation.application.commands import Command
from renovation.application.directory import (
    Authenticator,
    StaffAdministration,
    StaffDirectory,
)
from renovation.application.erasure import HouseholdErasures
from renovation.application.findings import FindingReviews
from renovation.application.houses import HouseRecords
from renovation.application.objections import PublicObjections
from renovation.application.pipeline import Pipeline
from renovation.application.programmes import ProgrammeService
from renovation.application.registries import RegistryImports
from renovation.application.service import CaseService
from renovation.application.spotcheck import AcceptedCases, SpotCheckService
from renovation.application.tipoffs import TipOffs
from renovation.audit.inspection import Inspection
from renovation.audit.witness import Witness, open_witness
from renovation.config import Settings
from renovation.identity import (
    BlindIndexer,
    HouseholdKeyStore,
    PiiProtector,
    PiiReader,
)
from renovation.identity.credentials import CredentialStore
from renovation.registry.store import RegistryStore
from renovation.secrets_config import check_durability, load_head_signer, load_secrets
from renovation.store_schema import ensure_schema


@dataclass
class Runtime:
    """Everything a door (CLI, API, import) needs, built once per process.

    Every service that records an act takes the authenticated `Principal` first; `auth` turns a
    token or a password into one.
    """

    settings: Settings
    app: RenovationApp
    keystore: HouseholdKeyStore
    credentials: CredentialStore
    pipeline: Pipeline
    directory: StaffDirectory
    auth: Authenticator
    staff: StaffAdministration
    service: CaseService
    programmes: ProgrammeService
    findings: FindingReviews
    inspection: Inspection
    reader: PiiReader
    objections: PublicObjections
    erasures: HouseholdErasures
    tipoffs: TipOffs
    houses: HouseRecords
    registries: RegistryImports  # 参照数据: imports, and `.store` the read API over them
    witness: Witness | None = None

    def spot_checks(self, cases: AcceptedCases) -> SpotCheckService:
        """The spot-check service over a source of accepted cases (the read model)."""
        return SpotCheckService(self.pipeline, cases)

    def close(self) -> None:
        if self.witness is not None:
            self.witness.close()  # sends the last signed head
        self.app.close()
        self.registries.store.close()
        self.keystore.close()
        self.credentials.close()

    def __enter__(self) -> Runtime:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def build(
    settings: Settings | None = None,
    clock: Callable[[], datetime] | None = None,
    stamp: Callable[[Command], datetime] | None = None,
) -> Runtime:
    """Wire the application; `clock` and `stamp` are for simulations and tests only."""
    settings = settings or Settings()
    ensure_schema(settings.db)  # before the key store's and the library's tables
    if settings.views:
        ensure_schema(settings.views, "RENOVATION_VIEWS")
    kek, index_key = load_secrets(settings)
    indexer = BlindIndexer(index_key)
    keystore = HouseholdKeyStore(settings.keystore_url(), kek, schema=settings.keystore_schema())
    credentials = CredentialStore(settings.keystore_url(), schema=settings.keystore_schema())
    app = RenovationApp(settings.db)
    check_durability(app.recorder.datastore, settings.is_postgres)  # type: ignore[attr-defined]
    witness = _sign_heads(app, settings)
    authorizer = Authorizer()
    pipeline = Pipeline(app, authorizer, clock)
    directory = StaffDirectory(app, authorizer)
    protector = PiiProtector(keystore, indexer)
    reader = PiiReader(keystore)
    registry_store = RegistryStore(settings.db)
    auth = Authenticator(pipeline, directory, credentials)
    return Runtime(
        settings=settings, app=app, keystore=keystore, credentials=credentials,
        pipeline=pipeline, directory=directory, auth=auth,
        staff=StaffAdministration(pipeline, directory, protector, indexer, credentials, auth),
        service=CaseService(app, protector, indexer, directory, clock=clock, stamp=stamp,
                            lists=CertifyingLists(registry_store)),
        programmes=ProgrammeService(pipeline), findings=FindingReviews(pipeline, protector, reader),
        inspection=Inspection(pipeline, protector, reader, indexer), reader=reader,
        objections=PublicObjections(pipeline, protector),
        tipoffs=TipOffs(pipeline, directory, protector, reader),
        erasures=HouseholdErasures(pipeline, keystore), witness=witness,
        houses=HouseRecords(pipeline, protector),
        registries=RegistryImports(pipeline, indexer, registry_store),
    )


def _sign_heads(app: RenovationApp, settings: Settings) -> Witness | None:
    """Every commit signs the new chain head; heads go to the witness, if there is one."""
    recorder = app.recorder
    url = settings.witness_url()
    witness = (open_witness(url, settings.witness_every, settings.witness_seconds)
               if url else None)
    recorder.sign_heads(load_head_signer(settings), witness)  # type: ignore[attr-defined]
    return witness
