"""Browser tests: the dashboard served by a real server on loopback, driven in Debian's
Chromium through Playwright (no browser download). Without Chromium they are skipped with a
note, unless RENOVATION_REQUIRE_BROWSER=1 (CI), which makes that a failure."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from renovation.api import create_app
from renovation.bootstrap import build
from renovation.config import Settings
from renovation.simulation.demo import Settings as DemoSettings
from renovation.simulation.demo import SimulatedClock, run_demo, stamps_for
from tests.conftest import INDEX_KEY, KEK
from tests.integration.audit_reads import sign

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "e2e"
HOUSEHOLDS = 250
SIGNING_KEY = Ed25519PrivateKey.generate()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("RENOVATION_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is not installed (apt-get install chromium fonts-noto-cjk)")
        pytest.skip("Chromium is not installed: browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture(scope="package")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo programme (250 households) served at a loopback address."""
    root = tmp_path_factory.mktemp("site")
    settings = Settings(db=f"sqlite:///{root}/renovation.db", kek=KEK, index_key=INDEX_KEY,
                        secrets_dir=root / "secrets")
    demo = DemoSettings(households=HOUSEHOLDS)
    clock = SimulatedClock()
    with build(settings, clock=clock, stamp=stamps_for(demo)) as rt:
        run_demo(rt, clock, demo)
        sign(rt, root / "checkpoints", SIGNING_KEY)  # the archives downloaded are proved by it
    public = root / "audit-signing.pub"
    public.write_bytes(SIGNING_KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    settings = settings.model_copy(update={"checkpoints": root / "checkpoints",
                                           "audit_public_key": public})
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, interval=0.5), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
