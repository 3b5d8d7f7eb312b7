"""一户一档 downloaded from the case page and the API: a zip that verifies offline, recorded in
the case's access log, refused (with nothing recorded) when it cannot be proved."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient

from renovation.application.directory import Principal
from renovation.audit.verify_dossier import verify_dossier
from renovation.bootstrap import Runtime
from renovation.simulation.demo import SimulatedClock
from tests.integration.audit_reads import CITY, INSPECTOR, REF, drive, sign, signed_in
from tests.support.api import api_client, token

KEY = Ed25519PrivateKey.generate()
PASSWORD = "a good password 1"


@pytest.fixture
def anchored(runtime: Runtime, clock: SimulatedClock, tmp_path: Path) -> Runtime:
    """A closed case, a checkpoint signed over it, the server configured with the public key."""
    drive(runtime, clock, REF)
    sign(runtime, tmp_path / "checkpoints", KEY)
    public = tmp_path / "audit-signing.pub"
    public.write_bytes(KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    runtime.settings = runtime.settings.model_copy(
        update={"checkpoints": tmp_path / "checkpoints", "audit_public_key": public})
    for staff_id in (INSPECTOR, CITY):
        runtime.staff.set_password(Principal.local("ops"), staff_id, PASSWORD)
    return runtime


@pytest.fixture
def client(anchored: Runtime) -> Iterator[TestClient]:
    with api_client(anchored) as test_client:
        yield test_client


def unpack(content: bytes, into: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert sorted(archive.namelist()) == [f"{REF}/dossier.html", f"{REF}/dossier.json"]
        archive.extractall(into)
    return into / REF


def page_session(client: TestClient, staff_id: str) -> str:
    client.post("/login", data={"staff_id": staff_id, "password": PASSWORD, "next": "/"})
    found = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', client.get(f"/cases/{REF}").text)
    assert found is not None
    return found.group(1)


def test_the_case_page_downloads_an_archive_that_verifies_with_the_public_key_alone(
    client: TestClient, anchored: Runtime, tmp_path: Path
) -> None:
    csrf = page_session(client, INSPECTOR)
    assert "下载一户一档" in client.get(f"/cases/{REF}").text
    response = client.post(f"/cases/{REF}/dossier", data={
        "csrf_token": csrf, "reason": "线索核查", "as_of": ""})
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    disposition = unquote(response.headers["content-disposition"])
    assert f"一户一档-{REF}.zip" in disposition
    report = verify_dossier(unpack(response.content, tmp_path / "got"), KEY.public_key())
    assert report.ok and report.case_ref == REF and report.events == 21, report.problems
    exports = [e for e in anchored.inspection.access_log(signed_in(anchored), REF)
               if e["action"] == "dossier_exported"]
    assert [(e["actor"]["id"], e["reason"]) for e in exports] == [(INSPECTOR, "线索核查")]


def test_an_archive_as_of_a_version_holds_the_case_as_it_stood_then(
    client: TestClient, tmp_path: Path
) -> None:
    response = client.post(f"/api/cases/{REF}/dossier", headers=token(client.app.state.runtime,
                                                                        INSPECTOR),
                           json={"reason": "线索核查", "as_of": "5"})
    assert response.status_code == 200, response.text
    folder = unpack(response.content, tmp_path / "got")
    report = verify_dossier(folder, KEY.public_key())
    assert report.ok and report.events == 5, report.problems
    assert "截至第 5 版" in (folder / "dossier.html").read_text(encoding="utf-8")


def test_a_refused_download_says_why_in_chinese_and_records_nothing(
    client: TestClient, anchored: Runtime
) -> None:
    csrf = page_session(client, CITY)
    page = client.get(f"/cases/{REF}").text
    assert "下载一户一档" in page and 'name="unmask"' not in page  # the city may not unmask
    no_reason = client.post(f"/cases/{REF}/dossier", data={"csrf_token": csrf, "reason": " "})
    assert no_reason.status_code == 422 and "请填写导出事由" in no_reason.text
    unmask = client.post(f"/cases/{REF}/dossier", data={
        "csrf_token": csrf, "reason": "线索核查", "unmask": "true"})
    assert unmask.status_code == 403 and "不能导出本案档案" in unmask.text
    forged = client.post(f"/cases/{REF}/dossier", data={"csrf_token": "0" * 64, "reason": "x"})
    assert forged.status_code == 403
    actions = {e["action"] for e in anchored.inspection.access_log(signed_in(anchored), REF)}
    assert "dossier_exported" not in actions and "personal_data_unmasked" not in actions


def test_a_server_without_checkpoints_refuses_with_the_setting_to_make(
    client: TestClient, anchored: Runtime
) -> None:
    anchored.settings = anchored.settings.model_copy(update={"checkpoints": None})
    response = client.post(f"/api/cases/{REF}/dossier", headers=token(anchored, INSPECTOR),
                           json={"reason": "线索核查"})
    assert response.status_code == 409
    assert response.json()["rule"] == "dossier.anchor_configured"
    assert response.json()["field"] == "RENOVATION_CHECKPOINTS"
