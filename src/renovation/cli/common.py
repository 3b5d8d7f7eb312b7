"""What every CLI command shares: the runtime, JSON output, and rule violations as exit code 1."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer

from renovation.bootstrap import Runtime, build
from renovation.config import Settings
from renovation.kernel.errors import RuleViolation
from renovation.logging import configure_logging


def settings(quiet: bool = False) -> Settings:
    """Settings from the environment; `quiet` logs warnings only unless a level was set."""
    current = Settings()
    level = current.log_level
    if quiet and "RENOVATION_LOG_LEVEL" not in os.environ:
        level = "WARNING"
    configure_logging(current.log_format, level)
    return current


@contextmanager
def runtime(quiet: bool = False, **kwargs: Any) -> Iterator[Runtime]:
    """The wired application; a refused command prints its rule and exits 1."""
    try:
        with build(settings(quiet), **kwargs) as rt:
            yield rt
    except RuleViolation as error:
        typer.echo(json.dumps(error.to_dict(), ensure_ascii=False), err=True)
        raise typer.Exit(1) from None


def emit(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
