"""Secrets: salted PBKDF2 hashes for passwords and PINs, random tokens and ids, the PIN lockout."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets

ITERATIONS = 200_000  # PBKDF2-SHA256; a 6-digit PIN is protected by the lockout, not by this alone

# The app's own anti-guessing numbers (no regulation sets them).
MAX_PIN_FAILURES = 5
PIN_FAILURE_WINDOW_MS = 15 * 60 * 1000
PIN_LOCK_MS = 15 * 60 * 1000


def hash_secret(secret: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", secret.encode(), salt, ITERATIONS)
    return f"pbkdf2-sha256${ITERATIONS}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def verify_secret(secret: str, stored: str) -> bool:
    try:
        _, iterations, salt, digest = stored.split("$")
        got = hashlib.pbkdf2_hmac("sha256", secret.encode(), base64.b64decode(salt), int(iterations))
        return hmac.compare_digest(got, base64.b64decode(digest))
    except (ValueError, TypeError):
        return False


def same_secret(given: str | None, expected_digest: bytes) -> bool:
    """Compares a presented key with a configured one by SHA-256 digest (equal lengths, no early exit)."""
    if not isinstance(given, str):
        return False
    return hmac.compare_digest(hashlib.sha256(given.encode()).digest(), expected_digest)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    # Sessions are looked up by digest, so the token itself is never stored.
    return hashlib.sha256(token.encode()).hexdigest()


def new_id(prefix: str) -> str:
    # Base32 (A-Z, 2-7): ids never look like phone or identity numbers, so the log mask leaves them alone.
    return prefix + base64.b32encode(os.urandom(10)).decode()


def new_invite_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


class PinGuard:
    """Counts wrong PINs per account that types them; 5 within 15 minutes lock its PIN prompts for 15 minutes."""

    def __init__(self, clock, enabled: bool = True):
        self._clock = clock
        self._enabled = enabled
        self._failures: dict[str, list[int]] = {}
        self._locked_until: dict[str, int] = {}

    def check(self, who: str, pin, hashes: list[str]) -> str | None:
        """None when `pin` matches one of `hashes`; otherwise PIN_MISSING, PIN_LOCKED or PIN_WRONG."""
        if not isinstance(pin, str) or pin == "":
            return "PIN_MISSING"
        now = self._clock.now_ms()
        if self._locked_until.get(who, 0) > now:
            return "PIN_LOCKED"
        if any(verify_secret(pin, h) for h in hashes):
            self._failures.pop(who, None)
            return None
        recent = [t for t in self._failures.get(who, []) if now - t < PIN_FAILURE_WINDOW_MS] + [now]
        self._failures[who] = recent
        if self._enabled and len(recent) >= MAX_PIN_FAILURES:
            self._locked_until[who] = now + PIN_LOCK_MS
            self._failures.pop(who, None)
        return "PIN_WRONG"
