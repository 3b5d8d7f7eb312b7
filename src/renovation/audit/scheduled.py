"""定期检查点 — checkpoints taken on a schedule by the server, when it is given a key to sign.

A dossier can only be exported for events a checkpoint with a Merkle root covers, so waiting for
someone to run `renovation audit checkpoint` leaves new cases without archives. With
`RENOVATION_CHECKPOINT_KEY` and `RENOVATION_CHECKPOINTS` set, `renovation serve` verifies the
store and signs a checkpoint every `RENOVATION_CHECKPOINT_MINUTES` (60) when new events were
written. A store that does not verify is never signed: the refusal is logged with the kind of
the first break. Inspectors who keep their key offline run `audit checkpoint` themselves.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from renovation.audit.checkpoint import key_fingerprint, load_checkpoints, write_checkpoint
from renovation.audit.report import Checkpoint, Report
from renovation.audit.verify import verify_store
from renovation.logging import get_logger

_log = get_logger("renovation.audit")


class NotSignedError(Exception):
    """The store did not verify: no checkpoint was signed."""

    def __init__(self, report: Report) -> None:
        super().__init__("the store does not verify")
        self.report = report


def take_checkpoint(db_url: str, private_key: Ed25519PrivateKey, out: Path,
                    only_if_new: bool = False,
                    on_progress: Callable[[int, int], None] | None = None) -> Path | None:
    """Verify the store against the checkpoints in `out`, then sign its head into `out`.

    None when `only_if_new` and the newest checkpoint already covers the last event;
    NotSignedError (with the report) when the store does not verify. `on_progress` is
    `verify_store`'s.
    """
    public_key = private_key.public_key()
    report = verify_store(db_url, out if out.is_dir() else None, public_key,
                          on_progress=on_progress)
    if not report.ok or report.origin is None:
        raise NotSignedError(report)
    if only_if_new and out.is_dir():
        taken, _ = load_checkpoints(out, public_key)
        if any(c.last_id >= report.last_id for c in taken):
            return None
    signed = Checkpoint(
        origin=report.origin, size=report.events, head=report.head, last_id=report.last_id,
        time=datetime.now(UTC).replace(microsecond=0), key_id=key_fingerprint(public_key),
        merkle_root=report.merkle_root,
    )
    return write_checkpoint(out, signed, private_key)


class CheckpointSchedule:
    """A thread that takes a checkpoint every `seconds` while new events arrive."""

    def __init__(self, db_url: str, private_key: Ed25519PrivateKey, out: Path,
                 seconds: float) -> None:
        self.db_url, self.key, self.out, self.seconds = db_url, private_key, out, seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="audit-checkpoints", daemon=True)

    def start(self) -> CheckpointSchedule:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.seconds):
            self.tick()

    def tick(self) -> Path | None:
        try:
            path = take_checkpoint(self.db_url, self.key, self.out, only_if_new=True)
        except NotSignedError as refused:
            first = refused.report.first
            _log.error("audit.checkpoint_refused", kind=first.kind if first else None,
                       position=first.position if first else None)
            return None
        except Exception as error:  # a failing store must not end the server's schedule
            _log.error("audit.checkpoint_failed", error=type(error).__name__)
            return None
        if path is not None:
            _log.info("audit.checkpoint_signed", checkpoint=path.name)
        return path
