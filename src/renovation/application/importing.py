"""批量导入 — commands one per line (JSONL), applied in batches through the application service.

The import streams: it holds at most one batch of lines at a time and keeps no outcomes, only
counts. Each batch goes to `CaseService.execute_many`, so a refused command writes nothing while
the other lines of its batch still apply. A command id applied before (by an earlier run, or
earlier in the file) counts as a duplicate, never twice. Rejected lines go to a sink as soon as
their batch is decided, in line order.
"""

from __future__ import annotations

import codecs
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from renovation.application.commands import Command, parse_command
from renovation.application.principal import Principal
from renovation.application.service import CaseService
from renovation.gc_tuning import fewer_collections
from renovation.kernel.errors import InvalidInputError, RuleViolation

DEFAULT_BATCH_SIZE = 500
_BOM = codecs.BOM_UTF8
_CHUNK = 1 << 20
MAX_FILE_BYTES = 16 * 1024**3
"""A file over 16 GiB is refused before anything is read: a county's year is a few hundred MB."""
MAX_LINE_BYTES = 1 << 20
"""One command's line at most (1 MiB): an application with twenty members and photos is about
10 KB, so anything near this is not a command, and reading it whole could exhaust memory."""


class UnreadableFileError(RuleViolation):
    """The input file cannot be used at all: missing, a directory, not UTF-8, not a workbook."""


def jsonl_lines(path: Path) -> Iterator[tuple[int, bytes | Refused]]:
    """The numbered lines of a JSONL file (a leading byte-order mark dropped), read lazily.

    A line longer than `MAX_LINE_BYTES` is refused as it is read, never held whole: it is
    skipped in chunks and reported by its length. Check the file with `check_text_file` first.
    """
    with path.open("rb") as handle:
        number = 0
        while line := handle.readline(MAX_LINE_BYTES + 1):
            number += 1
            if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
                yield number, _overlong(number, len(line) + _skip_line(handle))
                continue
            yield number, (line.removeprefix(_BOM) if number == 1 else line)


def _skip_line(handle: BinaryIO) -> int:
    """Read past the rest of the current line; how many bytes that was."""
    skipped = 0
    while chunk := handle.readline(_CHUNK):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped


def _overlong(number: int, size: int) -> Refused:
    return Refused(InvalidInputError(
        "input.line_length", "line", f"<{size} bytes>",
        f"line {number} is {size:,} bytes, over the limit of {MAX_LINE_BYTES:,} bytes for one"
        " command"))


def check_text_file(path: Path) -> int:
    """The file's size in bytes, once it is known to be a readable UTF-8 file.

    A streaming pass, so a file that is not UTF-8 is refused before any of it is applied.
    """
    if not path.exists():
        raise _unreadable(path, f"{path}: no such file")
    if not path.is_file():
        raise _unreadable(path, f"{path}: not a file")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise UnreadableFileError(
            "input.file_size", "path", str(path),
            f"{path}: {path.stat().st_size:,} bytes, more than the {MAX_FILE_BYTES:,} one import"
            " takes; split it (by county, or by line ranges: lines are independent)")
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, chunk = 0, b""
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
                offset += len(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        # error.start counts from the bytes the decoder still held from the previous chunk.
        at = offset + len(chunk) - len(error.object) + error.start
        raise _unreadable(path, f"{path}: not UTF-8 text (byte {at})") from None
    except OSError as error:
        raise _unreadable(path, f"{path}: {error.strerror or error}") from None
    return offset


def _unreadable(path: Path, message: str) -> UnreadableFileError:
    return UnreadableFileError("input.file", "path", str(path), message)


@dataclass(frozen=True)
class Refused:
    """A line its source already refused, e.g. a roster row that could not become a command."""

    violation: RuleViolation
    command_id: str | None = None


Item = str | bytes | Mapping[str, Any] | Refused
"""One line: JSON text, a parsed JSON object, or a refusal by the source."""


@dataclass(frozen=True)
class Reject:
    """One rejected line, as written to the rejects report."""

    line: int
    command_id: str | None
    rule: str
    field: str
    value: Any
    message: str
    case_ref: str | None = None  # the case of a command refused by a rule (parsed lines only)

    def to_dict(self, position: str = "line") -> dict[str, Any]:
        """As written to a rejects file; `position` names the number (`row` for a roster)."""
        data = asdict(self)
        return {position: data.pop("line"), **data}


@dataclass
class ImportReport:
    """Counts of one import run; `lines` = applied + duplicates + rejected (blank lines aside)."""

    lines: int = 0
    applied: int = 0
    duplicates: int = 0
    rejected: int = 0
    elapsed_seconds: float = 0.0

    @property
    def complete(self) -> bool:
        """Every line applied now or before."""
        return self.rejected == 0

    @property
    def lines_per_second(self) -> float:
        return self.lines / self.elapsed_seconds if self.elapsed_seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "elapsed_seconds": round(self.elapsed_seconds, 3)}


RejectSink = Callable[[Reject], None]
Progress = Callable[[int], None]
FieldLabel = Callable[[str], str]

_JSON_KINDS = {list: "array", str: "string", int: "number", float: "number", bool: "boolean",
               type(None): "null"}
# A slot of the pending batch: a line number with either a parsed command or its refusal.
_Slot = tuple[int, Command | Reject]


def import_commands(
    lines: Iterable[tuple[int, Item]],
    service: CaseService,
    principal: Principal,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    rejects: RejectSink | None = None,
    progress: Progress | None = None,
    field_label: FieldLabel | None = None,
) -> ImportReport:
    """Apply numbered lines in batches as `principal` (the one authenticated person the whole
    run records as having entered them); report counts, hand each rejected line to `rejects`.

    A batch holds at most `batch_size` lines (commands and lines already refused);
    `progress` is called with the number of bytes read so far after each batch;
    `field_label` renames a command's field path in rejects (the roster names its columns).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    run = _Run(service, principal, rejects or (lambda _: None), field_label or _same)
    started = time.perf_counter()
    pending: list[_Slot] = []
    read = 0
    with fewer_collections():
        for number, item in lines:
            read += _size(item)
            slot = _slot(number, item, run.label)
            if slot is None:
                continue
            pending.append(slot)
            if len(pending) >= batch_size:
                run.flush(pending)
                pending = []
                if progress:
                    progress(read)
        run.flush(pending)
    if progress:
        progress(read)
    run.report.elapsed_seconds = time.perf_counter() - started
    return run.report


class _Run:
    """The counters and the sink of one import run."""

    def __init__(self, service: CaseService, principal: Principal, sink: RejectSink,
                 label: FieldLabel) -> None:
        self.service, self.principal, self.sink, self.label = service, principal, sink, label
        self.report = ImportReport()

    def flush(self, pending: list[_Slot]) -> None:
        commands = [entry for _, entry in pending if isinstance(entry, Command)]
        results = iter(self.service.execute_many(commands, self.principal) if commands else [])
        for number, entry in pending:
            self.report.lines += 1
            if isinstance(entry, Reject):
                self._reject(entry)
                continue
            result = next(results)
            if isinstance(result, RuleViolation):
                self._reject(_reject(number, entry.command_id, result, self.label,
                                     getattr(entry, "case_ref", None)))
            elif result.duplicate:
                self.report.duplicates += 1
            else:
                self.report.applied += 1

    def _reject(self, reject: Reject) -> None:
        self.report.rejected += 1
        self.sink(reject)


def _same(field: str) -> str:
    return field


def _size(item: Item) -> int:
    if isinstance(item, bytes):
        return len(item)
    return len(item.encode()) if isinstance(item, str) else 0


def _slot(number: int, item: Item, label: FieldLabel) -> _Slot | None:
    """Parse one line into a command, or into its rejection; None for a blank line."""
    if isinstance(item, Refused):
        return number, _reject(number, item.command_id, item.violation, label)
    data: Any = item
    if isinstance(item, str | bytes):
        if not item.strip():
            return None
        try:
            data = orjson.loads(item)
        except orjson.JSONDecodeError as error:
            return number, _not_json(number, f"line {number} is not valid JSON: {error}", item)
    if not isinstance(data, Mapping):
        kind = _JSON_KINDS.get(type(data), type(data).__name__)
        return number, _not_json(number, f"line {number} is a JSON {kind}, not an object", kind)
    command_id = data.get("command_id")
    command_id = command_id if isinstance(command_id, str) else None
    try:
        return number, parse_command(data)
    except RuleViolation as error:
        return number, _reject(number, command_id, error, label)


def _not_json(number: int, message: str, value: Any) -> Reject:
    # The text of a broken line may hold personal data: report its length, never its content.
    if isinstance(value, bytes):
        shown = f"<{len(value)} bytes>"
    else:
        shown = f"<{len(value)} characters>" if isinstance(value, str) else f"<{value}>"
    return _reject(number, None, InvalidInputError("input.json", "line", shown, message), _same)


def _reject(
    number: int, command_id: str | None, error: RuleViolation, label: FieldLabel,
    case_ref: str | None = None,
) -> Reject:
    return Reject(number, command_id, error.rule, label(error.field), error.value, error.message,
                  case_ref)
