"""The app's clock. Real time by default; the test hook moves it, and it keeps running from there."""

from __future__ import annotations

import threading
import time


class Clock:
    def __init__(self):
        self._lock = threading.Lock()
        self._base_ms = time.time() * 1000
        self._base_mono = time.monotonic()

    def now_ms(self) -> int:
        with self._lock:
            return int(self._base_ms + (time.monotonic() - self._base_mono) * 1000)

    def set(self, epoch_ms: int) -> None:
        with self._lock:
            self._base_ms = float(epoch_ms)
            self._base_mono = time.monotonic()

    def advance(self, ms: int) -> None:
        with self._lock:
            self._base_ms += ms
