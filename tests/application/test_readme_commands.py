"""Every command README shows runs as written on the demo store, in README's order.

Lines with `<…>` are templates (README says so) and are not run."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from renovation.cli import app
from renovation.simulation.staff import DEMO_PASSWORD
from tests.support.cli import cli_runner

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_commands() -> list[list[str]]:
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words[:1] == ["renovation"] and "<" not in line:
                commands.append(words[1:])
    return commands


def test_readme_shows_commands_of_every_kind() -> None:
    shown = {" ".join(words[:2]) for words in readme_commands()}
    assert {"case history", "case dossier", "login dj-4503", "findings confirm",
            "spotcheck draw", "import demo.jsonl", "users add"} <= shown


@pytest.mark.slow
def test_every_command_in_readme_runs_as_written_on_the_demo_store(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)
    cli = cli_runner(monkeypatch, f"sqlite:///{tmp_path}/var/renovation.db", tmp_path)
    assert cli.invoke(app, ["demo"]).exit_code == 0
    for words in readme_commands():
        result = cli.invoke(app, words, input=f"{DEMO_PASSWORD}\n" * 3)
        assert result.exit_code == 0, (words, result.stdout[-2000:], result.stderr[-2000:])
