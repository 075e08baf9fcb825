"""The app log: every line is masked before it is written, and the test hooks can count kept lines."""

from __future__ import annotations

import collections
import re
import sys
import threading
import time

_MASKS = [
    # Credentials first, so a token that happens to hold digits is masked whole.
    (re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]+"), "Bearer [token]"),
    (re.compile(r"(?i)\b(pin|guardianpin|approverpin|currentpin|password|token|secret|key)\b(\"?\s*[:=]\s*\"?)[^\s,\"&}]+"),
     r"\1\2[redacted]"),
    # Resident identity numbers (18 characters, last may be X), then mainland mobile numbers.
    (re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])"), "[id-number]"),
    (re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)"), "[phone]"),
]


def mask(text: str) -> str:
    for pattern, repl in _MASKS:
        text = pattern.sub(repl, text)
    return text


class AppLog:
    def __init__(self, keep: int = 0, stream=None):
        self._lock = threading.Lock()
        self._kept = collections.deque(maxlen=keep) if keep > 0 else None
        self._stream = stream if stream is not None else sys.stderr

    def info(self, text: str) -> None:
        line = f"{time.strftime('%Y-%m-%dT%H:%M:%S')} pyfamily {mask(text)}"
        with self._lock:
            if self._kept is not None:
                self._kept.append(line)
            try:
                self._stream.write(line + "\n")
                self._stream.flush()
            except (OSError, ValueError):
                pass

    def count(self, needle: str) -> tuple[int, int]:
        """(kept lines, lines holding needle)."""
        with self._lock:
            lines = list(self._kept or [])
        return len(lines), sum(1 for line in lines if needle and needle in line)
