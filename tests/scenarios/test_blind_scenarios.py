"""The blind scenario (tests/scenarios/blind/): recall and precision of the irregularity findings
on cases written by someone who had not read the product's rules.

The test drives the installed `renovation` command as an operator would, following the documented
steps only (README.md, docs/identity.md, docs/registries.md, docs/import-format.md), in a fresh
store: import the staff directory, set the programme manager's password and sign in, open the
programme, load the departments' registries, import the cases, then score the findings against
the scenario's expected.csv. The score JSON is printed to stdout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BLIND = Path(__file__).resolve().parent / "blind"
DATA = BLIND / "data"
RENOVATION = Path(sys.executable).parent / "renovation"
PASSWORD = "blind-scenario-pass-2022"

MIN_RECALL = 0.95
MIN_PRECISION = 0.90


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RENOVATION_")}
    env.update(
        {
            "RENOVATION_DB": f"sqlite:///{tmp_path}/renovation.db",
            "RENOVATION_SECRETS_DIR": str(tmp_path / "secrets"),
            "RENOVATION_CONFIG_DIR": str(tmp_path / "config"),
            "RENOVATION_LOG_LEVEL": "WARNING",
        }
    )
    return env


def _run(
    env: dict[str, str], *args: str, stdin: str | None = None, ok: tuple[int, ...] = (0,)
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(RENOVATION), *args],
        env=env,
        cwd=ROOT,
        input=stdin,
        text=True,
        capture_output=True,
        timeout=900,
        check=False,
    )
    assert done.returncode in ok, (args, done.returncode, done.stdout[-3000:], done.stderr[-3000:])
    return done


@pytest.mark.slow
def test_blind_scenario_recall_and_precision(tmp_path: Path) -> None:
    programme = json.loads((DATA / "programme.json").read_text(encoding="utf-8"))
    env = _env(tmp_path)

    _run(env, "users", "import", str(DATA / "staff.csv"))
    manager = programme["manager"]
    _run(env, "users", "passwd", manager, "--password-stdin", stdin=f"{PASSWORD}\n")
    _run(env, "login", manager, "--password-stdin", stdin=f"{PASSWORD}\n")
    _run(
        env,
        "programme",
        "open",
        programme["programme_id"],
        "--policy",
        programme["policy"],
        "--on",
        programme["open_on"],
    )

    for kind, registry in programme["registries"].items():
        done = _run(
            env,
            "registry",
            "import",
            kind,
            str(DATA / registry["file"]),
            "--as-of",
            programme["registries_as_of"],
            "--department",
            registry["department"],
            "--rejects",
            str(tmp_path / f"{kind}.rejects.jsonl"),
            "--json",
        )
        report = json.loads(done.stdout)
        assert report["rejected"] == 0, (kind, report)
        assert report["rows"] == registry["rows"], (kind, report)

    rejects = tmp_path / "cases.rejects.jsonl"
    done = _run(
        env, "import", str(DATA / "cases.jsonl"), "--rejects", str(rejects), "--json", ok=(0, 1)
    )
    report = json.loads(done.stdout)
    refused = rejects.read_text(encoding="utf-8") if rejects.exists() else ""
    assert report["rejected"] == 0, refused[:5000]
    assert report["applied"] == programme["commands"], report

    done = _run(
        env,
        "findings",
        "score",
        str(DATA / "expected.csv"),
        "--as-of",
        programme["score_as_of"],
        "--json",
    )
    score = json.loads(done.stdout)
    print(json.dumps(score, ensure_ascii=False, indent=2))

    assert score["recall"] >= MIN_RECALL, score
    assert score["precision"] >= MIN_PRECISION, score
