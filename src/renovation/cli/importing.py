"""`renovation import` (commands from a JSONL file) and `renovation schema commands`.

Exit codes: 0 every line applied (now or by an earlier run), 1 some lines rejected (see the
rejects file), 2 the file cannot be read, 3 the store failed part-way (`store.unavailable`; the
batches before it are saved: run the same file again).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Annotated, NoReturn, TypeVar

import orjson
import typer

from renovation.application.commands import command_schema
from renovation.application.importing import (
    DEFAULT_BATCH_SIZE,
    ImportReport,
    Reject,
    UnreadableFileError,
    check_text_file,
    import_commands,
    jsonl_lines,
)
from renovation.cli.common import emit, signed_in
from renovation.cli.progress import Bar, ProgressOption, progress_bar

schema_app = typer.Typer(help="JSON Schemas for integrators.", no_args_is_help=True)

RejectsOption = Annotated[
    Path | None,
    typer.Option("--rejects", help="Where to write rejected lines (default: FILE.rejects.jsonl)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the report as JSON.")]


def import_file(
    path: Annotated[Path, typer.Argument(metavar="FILE.jsonl", help="One command per line.")],
    rejects: RejectsOption = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, max=10_000, help="Commands per atomic write.")
    ] = DEFAULT_BATCH_SIZE,
    json_output: JsonOption = False,
    show_progress: ProgressOption = False,
) -> None:
    """Apply the commands of a JSONL file as the signed-in principal; re-running it applies
    nothing twice. Each line's `actor` must be in the staff directory (see docs/identity.md)."""
    try:
        size = check_text_file(path)
    except UnreadableFileError as error:
        fail(error.message)
    target = rejects_path(path, rejects)
    with (RejectsFile(target, "line") as sink, signed_in(quiet=True) as (rt, me),
          progress_bar("importing", size, "bytes", show_progress, in_bytes=True) as bar):
        lines = LineCount(jsonl_lines(path))
        report = import_commands(lines, rt.service, me, batch_size=batch_size, rejects=sink,
                                 progress=lines.shown_on(bar, size))
    finish(path, report, sink, json_output)


@schema_app.command("commands")
def commands_schema() -> None:
    """The JSON Schema of a command line (every command type)."""
    emit(command_schema())


@schema_app.command("events")
def events_schema() -> None:
    """The JSON Schema of every published event type (the event feed's form), by type."""
    from renovation.stream.schemas import event_schemas

    emit(event_schemas())


@schema_app.command("asyncapi")
def asyncapi_schema() -> None:
    """An AsyncAPI 3 document of the event stream: subjects, the feed, every message."""
    from renovation.stream.asyncapi import asyncapi_document

    emit(asyncapi_document())


def fail(message: str) -> NoReturn:
    """One error line on stderr, exit 2."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def rejects_path(source: Path, given: Path | None) -> Path:
    target = given or source.with_name(source.name + ".rejects.jsonl")
    if target.resolve() == source.resolve():
        fail(f"the rejects file would overwrite the input {source}")
    if not target.parent.is_dir() or target.is_dir():
        fail(f"cannot write the rejects file {target}")
    return target


class RejectsFile:
    """Rejected lines as JSON lines, opened on the first one: no rejects, no file.

    A rejects file left by an earlier run is replaced, or removed when this run rejects nothing,
    so the file always describes the last run.
    """

    def __init__(self, path: Path, position: str) -> None:
        self.path, self.position = path, position
        self.count = 0
        self._handle: IO[bytes] | None = None

    def __call__(self, reject: Reject) -> None:
        if self._handle is None:
            self._handle = self.path.open("wb")
        self._handle.write(orjson.dumps(reject.to_dict(self.position), default=str) + b"\n")
        self.count += 1

    def __enter__(self) -> RejectsFile:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.close()
        elif self.path.is_file():
            self.path.unlink()


T = TypeVar("T")


class LineCount(Iterable[tuple[int, T]]):
    """Numbered lines passed through, remembering the last number: the lines read so far."""

    def __init__(self, lines: Iterable[tuple[int, T]]) -> None:
        self.lines, self.read = lines, 0

    def __iter__(self) -> Iterator[tuple[int, T]]:
        for number, line in self.lines:
            self.read = number
            yield number, line

    def shown_on(self, bar: Bar | None, size: int) -> Callable[[int], None] | None:
        """The import's progress (bytes read) drawn on `bar`, with the lines read."""
        if bar is None:
            return None
        return lambda done: bar.update(done, size, f"importing: {self.read:,} lines")


def finish(source: Path, report: ImportReport, sink: RejectsFile, json_output: bool) -> None:
    """Print the report; exit 1 when some lines were rejected."""
    written = str(sink.path) if sink.count else None
    if json_output:
        emit({**report.to_dict(), "rejects_file": written})
    else:
        typer.echo(
            f"{source.name}: {report.lines} lines: {report.applied} applied,"
            f" {report.duplicates} already applied, {report.rejected} rejected"
            f" in {report.elapsed_seconds:.1f} s ({report.lines_per_second:.0f} lines/s)"
        )
        if written:
            typer.echo(f"rejected lines written to {written}")
    if not report.complete:
        raise typer.Exit(1)
