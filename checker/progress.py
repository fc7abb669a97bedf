"""A one-line progress bar on stderr (files done, findings so far, current file), only on a terminal."""
from __future__ import annotations

import shutil
import sys
import time


class Progress:
    """Redraws one stderr line; silent when stderr is not a terminal so logs and CI stay clean."""

    def __init__(self, total: int, stream=None, enabled: bool | None = None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total = total
        self.done = 0
        self.findings = 0
        self.current = ""
        self._last = 0.0

    def start(self, path: str) -> None:
        self.current = path
        self._draw()

    def finish(self, result) -> None:
        self.done += 1
        self.findings += len(result.findings)
        self._draw(force=True)  # a finished file is worth a redraw; only starts are throttled

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < 0.1:  # at most ten redraws a second
            return
        self._last = now
        from .reporters.text import width

        cols = shutil.get_terminal_size((80, 20)).columns
        filled = int(20 * self.done / self.total) if self.total else 20
        head = f"[{'#' * filled}{'.' * (20 - filled)}] {self.done}/{self.total} 个文件 · 发现 {self.findings} 项 · "
        from .textsafe import printable

        name = printable(self.current)  # no newline, ESC or OSC from a file name reaches the terminal
        room = cols - 1 - width(head)
        while name and width(name) > room:  # keep the end of the path: the file name matters most
            name = name[1:]
        self.stream.write("\r" + head + name + " " * max(0, room - width(name)))
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * (shutil.get_terminal_size((80, 20)).columns - 1) + "\r")
            self.stream.flush()
