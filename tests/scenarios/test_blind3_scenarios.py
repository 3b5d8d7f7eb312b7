"""Blind scenario 3 (tests/scenarios/blind3/): recall and precision of the irregularity findings
on Guilin 2022 cases of 永福县, 灌阳县, 平乐县 and 恭城瑶族自治县, written by a third writer who
read only the plans (docs/seeds/), the domain research's audit patterns and the documented
formats — not the product's rules.

The test drives the installed `renovation` command in subprocesses, as an operator would, with
the documented steps only: the staff directory (docs/identity.md), the programme manager's
password and sign-in, the programme, the departments' registries (docs/registries.md), the
command file (docs/import-format.md), then `renovation findings score`.

Regenerate the data with `.venv/bin/python tests/scenarios/blind3/generate.py`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "scenarios" / "blind3" / "data"
CLI = Path(sys.executable).with_name("renovation")
if not CLI.exists():
    CLI = ROOT / ".venv" / "bin" / "renovation"

MANAGER = "pm3-4503"
PASSWORD = "blind-three-Guilin-2022"
AS_OF = "2022-12-15"

REGISTRIES = [  # kind, the department that supplies it
    ("dibao", "桂林市民政局"),
    ("tekun", "桂林市民政局"),
    ("dibao_marginal", "桂林市民政局"),
    ("monitoring", "桂林市乡村振兴局"),
    ("household_registration", "桂林市公安局"),
    ("vehicles", "桂林市公安局交通警察支队"),
    ("companies", "桂林市市场监督管理局"),
    ("real_estate", "桂林市自然资源和规划局"),
    ("public_employees", "桂林市财政局"),
]


def environment(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("RENOVATION_")}
    env.update({
        "RENOVATION_DB": f"sqlite:///{tmp}/renovation.db",
        "RENOVATION_SECRETS_DIR": str(tmp / "secrets"),
        "RENOVATION_CONFIG_DIR": str(tmp / "config"),
        "RENOVATION_LOG_LEVEL": "WARNING",
    })
    return env


def run(env: dict[str, str], *args: str, stdin: str | None = None,
        ok: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(CLI), *args], env=env, input=stdin, capture_output=True,
                            text=True, timeout=1800, check=False)
    assert result.returncode in ok, (args, result.returncode, result.stdout[-3000:],
                                     result.stderr[-3000:])
    return result


def load_scenario(tmp: Path) -> dict[str, object]:
    """Every documented step up to the import; returns the import report."""
    env = environment(tmp)
    run(env, "users", "import", str(DATA / "staff.csv"))
    run(env, "users", "passwd", MANAGER, "--password-stdin", stdin=PASSWORD + "\n")
    run(env, "login", MANAGER, "--password-stdin", stdin=PASSWORD + "\n")
    run(env, "programme", "open", "guilin-2022", "--policy", "guilin-2022", "--on", "2022-01-04")
    for kind, department in REGISTRIES:
        result = run(env, "registry", "import", kind, str(DATA / f"{kind}.csv"),
                     "--as-of", AS_OF, "--department", department,
                     "--rejects", str(tmp / f"{kind}.rejects.jsonl"), "--json")
        report = json.loads(result.stdout)
        assert report["rejected"] == 0, (kind, report)
    result = run(env, "import", str(DATA / "cases.jsonl"), "--rejects",
                 str(tmp / "cases.rejects.jsonl"), "--json", ok=(0, 1))
    report = json.loads(result.stdout)
    rejects = tmp / "cases.rejects.jsonl"
    detail = rejects.read_text(encoding="utf-8") if rejects.exists() else report
    assert report["rejected"] == 0, detail
    return report


@pytest.mark.slow
def test_blind3_findings_recall_and_precision(tmp_path: Path) -> None:
    env = environment(tmp_path)
    load_scenario(tmp_path)
    result = run(env, "findings", "score", str(DATA / "expected.csv"), "--as-of", "2022-12-31",
                 "--json")
    score = json.loads(result.stdout)
    print(json.dumps(score, ensure_ascii=False, indent=2))
    assert score["recall"] >= 0.95, score
    assert score["precision"] >= 0.90, score
