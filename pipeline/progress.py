"""A one-line progress bar for long builds, drawn on a terminal's standard error."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    """``[#########.........]  412/1,204 documents  3.1 s``, redrawn at most ten times a second.

    Nothing is drawn when disabled, and nothing for builds that finish within ``delay``
    seconds, so short builds print only their summary line.
    """

    def __init__(self, total: int, *, enabled: bool, stream: TextIO | None = None,
                 width: int = 30, delay: float = 0.5, label: str = "documents") -> None:
        self.total = total
        self.enabled = enabled and total > 0
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.delay = delay
        self.label = label
        self.done = 0
        self.started = time.monotonic()
        self._last_draw = 0.0
        self._drawn = False

    def advance(self, count: int = 1) -> None:
        self.done += count
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.started < self.delay or now - self._last_draw < 0.1:
            return
        self._last_draw = now
        self._draw(now)

    def render(self, elapsed: float) -> str:
        filled = self.width * self.done // self.total if self.total else self.width
        bar = "#" * filled + "." * (self.width - filled)
        return f"[{bar}] {self.done:,}/{self.total:,} {self.label}  {elapsed:.1f} s"

    def _draw(self, now: float) -> None:
        self.stream.write("\r" + self.render(now - self.started))
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        """Erase the bar so the summary line starts on a clean line."""
        if self._drawn:
            self.stream.write("\r" + " " * (self.width + 40) + "\r")
            self.stream.flush()
            self._drawn = False
