"""The CLI's static table of sub-commands matches the commands, and start-up stays light."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from renovation.cli import COMMANDS, app

# What must not be imported to print the version or the top-level help.
HEAVY = ("pydantic", "sqlalchemy", "eventsourcing", "structlog", "renovation.application",
         "renovation.bootstrap", "renovation.policy")


def listed(help_text: str | None) -> str:
    """The part of a command's help that a group's help lists (typer shows the first paragraph)."""
    return inspect.cleandoc(help_text or "").split("\n\n")[0].strip()


@pytest.mark.parametrize("entry", COMMANDS, ids=lambda e: e.name)
def test_the_static_help_is_the_commands_own(entry):
    command = entry.command()
    assert listed(command.short_help or command.help) == entry.help


def test_every_sub_command_is_listed_once_in_the_top_level_help():
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    names = [entry.name for entry in COMMANDS]
    assert len(set(names)) == len(names)
    for entry in COMMANDS:
        assert f" {entry.name} " in result.output
        assert entry.help.splitlines()[0] in result.output


def test_an_unknown_command_is_refused_with_a_suggestion():
    result = CliRunner().invoke(app, ["imprt"])
    assert result.exit_code == 2
    assert "Did you mean 'import'?" in result.output


@pytest.mark.parametrize("args", [["version"], ["--help"], ["--db", "sqlite:///x.db", "version"]])
def test_start_up_imports_nothing_heavy(args):
    probe = ("import sys; sys.argv = ['renovation', *sys.argv[1:]]\n"
             "from renovation.cli import main\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             f"print(sorted(m for m in sys.modules if m.startswith({HEAVY!r})), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True,
                          check=True)
    assert done.stderr.strip() == "[]", done.stderr
