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
def refusals() -> Iterator[None]:
    """A refused command prints its rule, field and value as JSON on stderr and exits 1."""
    try:
        yield
    except RuleViolation as error:
        typer.echo(json.dumps(error.to_dict(), ensure_ascii=False), err=True)
        raise typer.Exit(1) from None


@contextmanager
def runtime(quiet: bool = False, **kwargs: Any) -> Iterator[Runtime]:
    """The wired application, with refusals reported as above."""
    with refusals(), build(settings(quiet), **kwargs) as rt:
        yield rt


def emit(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
