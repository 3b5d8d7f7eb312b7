"""False positives, measured: a clean generated programme of 10,000 households yields no finding.

The generator varies categories, modes, sizes, dates, returns, rejections, withdrawals and late
builds, and stamps each act during the working hours of its business day, as a county office
would enter it. Any finding here is a rule that would waste an inspector's time.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from renovation.cli import app
from tests.support.cli import cli_runner

HOUSEHOLDS = 10_000


def test_a_clean_programme_of_ten_thousand_households_has_no_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = cli_runner(monkeypatch, f"sqlite:///{tmp_path}/store.db", tmp_path)
    made = cli.invoke(app, ["demo", "--clean", "--households", str(HOUSEHOLDS)])
    assert made.exit_code == 0, made.output
    listed = cli.invoke(app, ["findings", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    answer = json.loads(listed.stdout)
    assert answer["findings"] == [], answer["counts"]
