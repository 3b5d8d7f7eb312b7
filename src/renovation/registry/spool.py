"""暂存 — a registry file's accepted rows, parsed once into an anonymous temporary file.

The file is read and checked to the end before anything is written to the store, so a file that
turns out unreadable half-way writes nothing, the store's write lock (on SQLite) is held only
while rows are inserted, and the counts and the digest of the rows are known before the load is
recorded. The temporary file holds what the store will hold — blind indexes, masked IDs and
attributes, never a plaintext identifier — and is gone when closed (or when the process dies).
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

import orjson

from renovation.identity import BlindIndexer
from renovation.kernel.errors import RuleViolation
from renovation.registry.kinds import KindSpec
from renovation.registry.parsing import RowParser, RowReject, read_header, reject_of
from renovation.registry.readers import RegistryFile

BATCH = 1000
RejectSink = Callable[[RowReject], None]


@dataclass
class Spool:
    """The accepted rows of one file, their count and the SHA-256 of their stored form."""

    rows: int = 0
    rejected: int = 0
    ignored_columns: tuple[str, ...] = ()
    _digest: Any = field(default_factory=hashlib.sha256)
    _file: IO[bytes] = field(default_factory=lambda: tempfile.TemporaryFile())  # noqa: SIM115

    def add(self, record: dict[str, Any]) -> None:
        line = entry_line(record)
        self._digest.update(line)
        self._file.write(line)
        self.rows += 1

    @property
    def entries_sha256(self) -> str:
        return str(self._digest.hexdigest())

    def batches(self, size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
        """The rows again, in file order, `size` at a time."""
        self._file.seek(0)
        batch: list[dict[str, Any]] = []
        for line in self._file:
            batch.append(orjson.loads(line))
            if len(batch) >= size:
                yield batch
                batch = []
        if batch:
            yield batch

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def entry_line(record: dict[str, Any]) -> bytes:
    """One stored row as the digest takes it: compact JSON with sorted keys and a newline —
    `{"attrs":{…},"household_ref":…,"masked_id":…,"person_ref":…,"row_no":N}`."""
    return orjson.dumps(record, option=orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE)


def spool_file(path: Path, spec: KindSpec, indexer: BlindIndexer, as_of: date,
               rejects: RejectSink | None = None) -> Spool:
    """Read, check and index every row of the file; rejected rows go to `rejects` in order.

    A missing required column (`registry.columns`) or an unreadable file (`registry.file`)
    raises `RegistryFileError` before or instead of any result.
    """
    sink = rejects or (lambda _: None)
    spool = Spool()
    try:
        with RegistryFile(path) as source:
            header = read_header(spec, source.header)
            spool.ignored_columns = header.ignored
            parser = RowParser(spec, header, indexer, as_of)
            for number, cells in source.rows():
                try:
                    parsed = parser.parse(number, cells)
                except RuleViolation as error:
                    spool.rejected += 1
                    sink(reject_of(number, error))
                    continue
                spool.add(parsed.to_record())
    except BaseException:
        spool.close()
        raise
    return spool
