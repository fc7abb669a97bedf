"""Ctrl-C during a run: the first one stops the scan, later ones never cut the report of what finished short."""
from __future__ import annotations

import signal
import threading


class SigintGuard:
    """While active, the first SIGINT raises KeyboardInterrupt (when ``raising``); every later one, and
    any that arrives while ``raising`` is off (rendering, writing), is only counted. ``count`` tells the
    caller the run was interrupted, so it can still write what is done and exit 130."""

    def __init__(self):
        self.count = 0
        self.raising = True
        self._previous = None

    def _handler(self, signum, frame):
        self.count += 1
        if self.raising and self.count == 1:
            raise KeyboardInterrupt

    def hold(self) -> None:
        """From now on a Ctrl-C is noted, not raised."""
        self.raising = False

    def __enter__(self) -> "SigintGuard":
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handler)
        return self

    def __exit__(self, *exc) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
        return None
