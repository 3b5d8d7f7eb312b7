"""The archive (一户一档) exported with inclusion proofs, verified offline, and every edit caught.

On SQLite and PostgreSQL; the dossier's verification needs no database, only the public key.
"""

from __future__ import annotations

import base64
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from renovation.audit.dossier import DossierRefusedError
from renovation.audit.inspection import ERASED
from renovation.audit.verify import verify_store
from renovation.audit.verify_dossier import verify_dossier
from renovation.bootstrap import Runtime, build
from renovation.config import Settings
from renovation.kernel.errors import InvalidInputError, NotAuthorizedError
from renovation.simulation.demo import SimulatedClock
from tests.integration.audit_reads import CITY, REF, drive, sign, signed_in
from tests.support.app import MANAGER, Scenario

KEY = Ed25519PrivateKey.generate()


@pytest.fixture
def exported(runtime: Runtime, clock: SimulatedClock, tmp_path: Path) -> Path:
    drive(runtime, clock, REF, "450321-2022-0002")
    sign(runtime, tmp_path / "checkpoints", KEY)
    runtime.inspection.export_dossier(signed_in(runtime), REF, tmp_path / "out",
                                      tmp_path / "checkpoints", KEY.public_key(), reason="核查")
    return tmp_path / "out"


def edit(directory: Path, change: Any) -> None:
    path = directory / "dossier.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def first_problem(directory: Path) -> str:
    report = verify_dossier(directory, KEY.public_key())
    assert not report.ok
    return report.problems[0]


def test_an_exported_dossier_verifies_with_the_public_key_alone(exported: Path) -> None:
    report = verify_dossier(exported, KEY.public_key())
    assert report.ok, report.problems
    assert report.events == 21 and report.case_ref == REF
    html = (exported / "dossier.html").read_text(encoding="utf-8")
    for label in ("申请", "房屋危险性鉴定", "民主评议", "公示", "乡镇审核", "县级审批", "改造协议",
                  "施工", "竣工验收", "资金拨付凭证", "销档"):
        assert f"<h2>{label}</h2>" in html
    assert html.count(f"<tr><th>录入人</th><td>{MANAGER}</td></tr>") == 21
    assert "<link" not in html and "<script" not in html and "src=" not in html


def _payload(data: dict[str, Any]) -> None:
    state = base64.b64decode(data["events"][4]["state"]).replace(b"village", b"villagE", 1)
    data["events"][4]["state"] = base64.b64encode(state).decode()


def _proof(data: dict[str, Any]) -> None:
    proof = data["events"][2]["proof"]
    proof[0] = base64.b64encode(bytes(32)).decode()


def _signature(data: dict[str, Any]) -> None:
    lines = data["checkpoint"]["note"].split("\n")
    lines[1] = str(int(lines[1]) - 1)  # the signed size
    data["checkpoint"]["note"] = "\n".join(lines)


def _remove(data: dict[str, Any]) -> None:
    del data["events"][7]


def _reorder(data: dict[str, Any]) -> None:
    events = data["events"]
    events[3], events[4] = events[4], events[3]


def _topic(data: dict[str, Any]) -> None:
    data["events"][9]["topic"] = "renovation.case:CaseWithdrawn"


@pytest.mark.parametrize(("change", "named"), [
    (_payload, "event version 5 "), (_proof, "event version 3 "),
    (_signature, "checkpoint: checkpoint_signature"), (_remove, "expected version 8"),
    (_reorder, "expected version 4"), (_topic, "event version 10 "),
])
def test_any_edit_of_the_dossier_fails_verification_naming_the_first_problem(
    exported: Path, change: Any, named: str
) -> None:
    edit(exported, change)
    assert named in first_problem(exported)


def test_a_dossier_for_another_case_reference_fails(exported: Path) -> None:
    edit(exported, lambda d: d.update(case_ref="450321-2022-0002"))
    assert first_problem(exported).startswith("case_id:")


def test_exporting_needs_a_reason_and_a_case_covered_by_a_checkpoint(
    runtime: Runtime, clock: SimulatedClock, tmp_path: Path
) -> None:
    drive(runtime, clock, REF, stop_after="applied")
    reads, me, notes = runtime.inspection, signed_in(runtime), tmp_path / "checkpoints"
    with pytest.raises(InvalidInputError, match="reason"):
        reads.export_dossier(me, REF, tmp_path / "out", notes, KEY.public_key(), "  ")
    notes.mkdir()
    with pytest.raises(DossierRefusedError) as error:
        reads.export_dossier(me, REF, tmp_path / "out", notes, KEY.public_key(), "核查")
    assert error.value.rule == "dossier.checkpoint_available"
    sign(runtime, notes, KEY)
    drive(runtime, clock, "450321-2022-0002", stop_after="applied")
    runtime.service.execute(drive_one_more(runtime, clock), signed_in(runtime, MANAGER))
    with pytest.raises(DossierRefusedError) as error:
        reads.export_dossier(me, REF, tmp_path / "out", notes, KEY.public_key(), "核查")
    assert error.value.rule == "dossier.case_anchored"
    assert not (tmp_path / "out").exists() and reads.access_log(me, REF) == []


def drive_one_more(rt: Runtime, clock: SimulatedClock) -> dict[str, Any]:
    """The case's next command (its category certified), with the clock on its date."""
    scenario = Scenario(rt, clock)
    plan = scenario.plan(REF, household=scenario.people.household("450321", 2022, index=1))
    command = scenario.commands(plan)[1]
    clock.business_day(date.fromisoformat(command["occurred_on"]))
    return command


def test_unmasking_is_refused_to_a_role_without_the_unmask_action(
    runtime: Runtime, clock: SimulatedClock, tmp_path: Path
) -> None:
    drive(runtime, clock, REF)
    sign(runtime, tmp_path / "checkpoints", KEY)
    with pytest.raises(NotAuthorizedError) as error:
        runtime.inspection.export_dossier(signed_in(runtime, CITY), REF, tmp_path / "out",
                                          tmp_path / "checkpoints", KEY.public_key(), "核查",
                                          unmask=True)
    assert error.value.rule == "authorization.role_action"
    assert not (tmp_path / "out").exists()


def test_unmasking_shows_the_plain_values_and_is_recorded_with_the_fields(
    runtime: Runtime, clock: SimulatedClock, tmp_path: Path
) -> None:
    scenario = drive(runtime, clock, REF)
    plain_id = scenario.people.household("450321", 2022, index=1)["head"]["id_number"]
    sign(runtime, tmp_path / "checkpoints", KEY)
    reads, me = runtime.inspection, signed_in(runtime)
    reads.export_dossier(me, REF, tmp_path / "out", tmp_path / "checkpoints",
                         KEY.public_key(), "核查", unmask=True)
    assert plain_id in (tmp_path / "out" / "dossier.html").read_text(encoding="utf-8")
    exported, unmasked = reads.access_log(me, REF)
    assert exported["action"] == "dossier_exported" and exported["reason"] == "核查"
    assert unmasked["action"] == "personal_data_unmasked"
    assert "household.head.id_number" in unmasked["fields"]


def test_data_whose_household_key_was_destroyed_shows_as_erased(
    runtime: Runtime, clock: SimulatedClock, tmp_path: Path
) -> None:
    drive(runtime, clock, REF)
    sign(runtime, tmp_path / "checkpoints", KEY)
    case = runtime.service.load_case(REF)
    runtime.keystore.destroy(case.household.head.name.sealed.key_id, "retention period over")
    runtime.inspection.export_dossier(signed_in(runtime), REF, tmp_path / "out",
                                      tmp_path / "checkpoints", KEY.public_key(), "核查",
                                      unmask=True)
    assert ERASED in (tmp_path / "out" / "dossier.html").read_text(encoding="utf-8")
    assert verify_dossier(tmp_path / "out", KEY.public_key()).ok


def test_an_honest_store_verifies_across_a_close_and_restart_with_more_writes(
    settings: Settings, clock: SimulatedClock, tmp_path: Path
) -> None:
    notes = tmp_path / "checkpoints"
    with build(settings, clock=clock) as rt:
        drive(rt, clock, REF)
        sign(rt, notes, KEY)
    with build(settings, clock=clock) as rt:
        drive(rt, clock, "450321-2022-0002")
        rt.inspection.history(signed_in(rt), REF)
        sign(rt, notes, KEY)
        rt.inspection.export_dossier(signed_in(rt), "450321-2022-0002", tmp_path / "out", notes,
                                     KEY.public_key(), "核查")
    report = verify_store(settings.db, notes, KEY.public_key())
    assert report.ok and len(report.checkpoints) == 2, report.problems
    assert verify_dossier(tmp_path / "out", KEY.public_key()).ok
