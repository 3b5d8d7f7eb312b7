"""Progress bars with rate and ETA, on stderr only: stdout carries the commands' output.

Shown when stderr is a terminal, or when `--progress` asks for it (drawn as on a terminal
then, so a log of stderr holds the bar). Texts are counts and fixed words, never data of a case.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.text import Text

ProgressOption = Annotated[bool, typer.Option(
    "--progress", help="Show a progress bar on stderr even when it is not a terminal.")]


class Bar:
    """One task of a progress display: `update` sets how far it is, `stage` renames it."""

    def __init__(self, progress: Progress, label: str, total: int | None) -> None:
        self._progress = progress
        self._task = progress.add_task(label, total=total)

    def update(self, done: int, total: int | None = None, label: str | None = None) -> None:
        self._progress.update(self._task, completed=done, total=total, description=label)

    def stage(self, label: str) -> None:
        """A stage of unknown length: the bar pulses and counts nothing."""
        self._progress.remove_task(self._task)
        self._task = self._progress.add_task(label, total=None)


class _Count(ProgressColumn):
    """Done of total and the rate, in `unit`s; nothing while the total is unknown."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        if task.total is None:
            return Text("")
        speed = task.finished_speed or task.speed
        rate = "?" if speed is None else f"{speed:,.0f}"
        return Text(f"{task.completed:,.0f}/{task.total:,.0f} {self.unit}  {rate}/s",
                    style="progress.data.speed")


def shown(forced: bool) -> bool:
    return forced or sys.stderr.isatty()


@contextmanager
def progress_bar(label: str, total: int | None, unit: str, forced: bool = False,
                 in_bytes: bool = False) -> Iterator[Bar | None]:
    """A bar counting `unit`s (or bytes) up to `total`; None when it is not to be shown."""
    if not shown(forced):
        yield None
        return
    amount: tuple[ProgressColumn, ...] = (
        (DownloadColumn(), TransferSpeedColumn()) if in_bytes
        else (_Count(unit),))
    columns = (TextColumn("{task.description}"), BarColumn(), *amount, TimeElapsedColumn(),
               TextColumn("eta"), TimeRemainingColumn())
    console = Console(stderr=True, force_terminal=True if forced else None)
    with Progress(*columns, console=console, transient=not forced) as progress:
        yield Bar(progress, label, total)


def positions(bar: Bar | None) -> Callable[[int, int], None] | None:
    """A `(position, head)` callback of the application layer, drawn on `bar`."""
    return None if bar is None else (lambda done, head: bar.update(done, head))
