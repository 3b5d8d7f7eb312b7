"""The read models, followed in the server's own process.

A thread catches the projections up with the log every `interval` seconds, and at once when a
request has just written: the request then waits (briefly) until the read models have applied
its position, so that a clerk who filed an application sees it in the case list that follows.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from renovation.logging import get_logger
from renovation.projections import Projector

_log = get_logger("renovation.follower")


class Follower:
    """Runs `projector.catch_up()` in a thread; tells waiters which position it has reached."""

    def __init__(self, projector: Projector, interval: float = 1.0) -> None:
        self.projector, self.interval = projector, interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._reached = threading.Condition()
        self._catching_up = threading.Lock()  # the projector is one thread's at a time
        self._position = 0
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="projections", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def wait_for(self, position: int | None, timeout: float = 3.0) -> bool:
        """Ask for a catch-up and wait until `position` is applied; False on timeout."""
        if position is None:
            return True
        if self._thread is None:  # nobody follows in the background: catch up here
            self.catch_up_now()
            return True
        self._wake.set()
        with self._reached:
            return self._reached.wait_for(lambda: self._position >= position, timeout)

    def catch_up_now(self) -> None:
        """Catch up in the caller's thread (tests, or a server without a follower thread)."""
        self._advance(self.projector.catch_up)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._advance(self.projector.catch_up)
            except Exception:  # a failing page must not kill the server: log, retry later
                _log.exception("projections.catch_up_failed")
            self._wake.wait(self.interval)
            self._wake.clear()

    def _advance(self, catch_up: Callable[[], object]) -> None:
        with self._catching_up:
            head = int(self.projector.app.recorder.max_notification_id() or 0)
            catch_up()
        with self._reached:
            self._position = max(self._position, head)
            self._reached.notify_all()
