"""The demo's plaintext personal data — ID numbers, phones, bank accounts, full names and the
free text officials wrote — appears nowhere at rest: not in the event store, the read models,
the key store, the witness log, nor in anything the commands printed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson

from renovation.simulation.staff import DEMO_PASSWORD

CLI = [sys.executable, "-c", "from renovation.cli import main; main()"]


def run(args: list[str], env: dict[str, str], stdin: str | None = None) -> str:
    done = subprocess.run([*CLI, *args], env=env, capture_output=True, text=True, timeout=600,
                          input=stdin)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout + done.stderr


def plaintext(commands: Path) -> set[str]:
    """Values from the demo's commands that must never be stored or printed as they are."""
    found: set[str] = set()
    for line in commands.read_bytes().splitlines():
        command = orjson.loads(line)
        payload = command.get("payload", {})
        household = payload.get("household")
        if household:
            people = [household["head"], *household.get("members", [])]
            found |= {p["id_number"] for p in people}
            found |= {p["name"] for p in people if len(p["name"]) >= 3}
            found |= {household["phone"], household["account"]["number"]}
        if command["type"] in ("withdraw_case", "reject_case", "correct_data"):
            found.add(payload["reason"])
    return found


def review_a_finding(listed: str, secrets: set[str], env: dict[str, str]) -> str:
    """An inspector reads a case and dismisses a finding, with reasons quoting a head's name:
    sealed too."""
    findings = orjson.loads(listed[listed.index("{"):])["findings"]
    assert findings, "the demo should produce findings to review"
    name = next(s for s in sorted(secrets) if 3 <= len(s) <= 4 and not s.isdigit())
    reason, why = f"经查户主{name}系代收，排除", f"举报人{name}反映情况，核查"
    secrets |= {reason, why}
    printed = run(["login", "dj-4503", "--password-stdin"], {**env, "PYTHONIOENCODING": "utf-8"},
                  stdin=DEMO_PASSWORD + "\n")
    printed += run(["case", "history", findings[0]["case_refs"][0], "--reason", why], env)
    printed += run(["findings", "dismiss", findings[0]["finding_id"], "--reason", reason], env)
    return printed + run(["projections", "run", "--once"], env)


def test_no_plaintext_personal_data_in_any_store_file_or_output(tmp_path: Path) -> None:
    env = {**os.environ, "RENOVATION_DB": f"sqlite:///{tmp_path}/store/renovation.db",
           "RENOVATION_SECRETS_DIR": str(tmp_path / "secrets"), "RENOVATION_LOG_LEVEL": "INFO"}
    env.pop("RENOVATION_KEK", None)
    env.pop("RENOVATION_INDEX_KEY", None)
    exported = tmp_path / "commands.jsonl"
    run(["demo", "--households", "250", "--export", str(exported)], env)
    secrets = plaintext(exported)
    assert len(secrets) > 150
    printed = run(["demo", "--households", "250"], env)
    printed += run(["projections", "run", "--once"], env)
    listed = run(["findings", "list", "--json"], env)
    printed += listed + review_a_finding(listed, secrets, env)
    printed += run(["report", "progress", "--json"], env)
    files = [p for p in (tmp_path / "store").rglob("*") if p.is_file()]
    assert any(p.name.endswith("-views.db") for p in files) and any(
        p.name.endswith("-witness.log") for p in files)
    for path in files:
        data = path.read_bytes()
        leaked = [s for s in secrets if s.encode() in data]
        assert not leaked, f"{path.name} holds plaintext: {len(leaked)} values"
    leaked = [s for s in secrets if s in printed]
    assert not leaked, f"the commands printed {len(leaked)} plaintext values"
