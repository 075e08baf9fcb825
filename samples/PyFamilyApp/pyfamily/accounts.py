"""Accounts, sessions, guardian PINs and youth mode (one step in, out only with a linked guardian's PIN)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import security
from .rules import age_on
from .web import ApiError

SESSION_MS = 30 * 24 * 3600 * 1000  # the app's choice
HANDLE = r"[A-Za-z0-9._-]{3,100}"
PIN = r"\d{6}"


@dataclass
class Account:
    id: str
    handle: str | None
    pw_hash: str
    birth: dt.date
    created_ms: int
    pin_hash: str | None = None
    youth_on: bool = False
    youth_since_ms: int | None = None


class Accounts:
    def __init__(self, app):
        self.app = app
        self.by_id: dict[str, Account] = {}
        self.by_handle: dict[str, str] = {}
        self.sessions: dict[str, tuple[str, int]] = {}  # token digest -> (account id, expires)

    # ---- who and how old ----

    def authenticate(self, req) -> Account:
        token = req.bearer()
        if not token:
            raise ApiError(401, "AUTH_REQUIRED", "send Authorization: Bearer <session token>")
        hit = self.sessions.get(security.token_digest(token))
        if not hit or hit[1] <= self.app.clock.now_ms() or hit[0] not in self.by_id:
            raise ApiError(401, "SESSION_INVALID", "unknown or expired session")
        req.account = self.by_id[hit[0]]
        return req.account

    def today(self) -> dt.date:
        now = self.app.clock.now_ms()
        # The age-utc defect reads the UTC date: a child is a year younger until 08:00 on the birthday.
        zone = dt.timezone.utc if "age-utc" in self.app.defects else self.app.pack.zone
        return self.app.pack.local(now, zone).date()

    def age(self, acc: Account) -> int:
        return age_on(acc.birth, self.today())

    def band(self, acc: Account):
        """The account's band, or None for an adult."""
        return self.app.pack.band_for_age(self.age(acc))

    def group(self, acc: Account) -> str:
        b = self.band(acc)
        return b.group if b else "ADULT"

    def is_minor(self, acc: Account) -> bool:
        return self.band(acc) is not None

    def get(self, account_id: str) -> Account:
        acc = self.by_id.get(account_id)
        if acc is None:
            raise ApiError(404, "ACCOUNT_NOT_FOUND", "no such account")
        return acc

    def view(self, acc: Account) -> dict:
        fam = self.app.family
        return {
            "id": acc.id, "handle": acc.handle, "birthDate": acc.birth.isoformat(), "age": self.age(acc),
            "ageGroup": self.group(acc), "youthMode": {"on": acc.youth_on, "sinceMs": acc.youth_since_ms},
            "guardianCount": len(fam.guardians_of(acc.id)), "childCount": len(fam.children_of(acc.id)),
        }

    def _session(self, acc: Account) -> dict:
        token = security.new_token()
        expires = self.app.clock.now_ms() + SESSION_MS
        self.sessions[security.token_digest(token)] = (acc.id, expires)
        return {"token": token, "expiresAtMs": expires}

    # ---- routes ----

    def register(self, r) -> None:
        r.add("POST", "/v1/accounts", self.sign_up)
        r.add("POST", "/v1/sessions", self.log_in)
        r.add("GET", "/v1/me", lambda req: (200, {"account": self.view(self.authenticate(req))}))
        r.add("PUT", "/v1/me/pin", self.set_pin)
        r.add("POST", "/v1/me/youth-mode", self.youth_on)
        r.add("POST", "/v1/me/youth-mode/exit", self.youth_off)

    def sign_up(self, req):
        f = req.fields()
        birth_text = f.text("birthDate", 10, 10, r"\d{4}-\d{2}-\d{2}")
        password = f.text("password", 8, 128)
        handle = f.text("handle", 3, 100, HANDLE, required=False)
        pin = f.text("guardianPin", 6, 6, PIN, required=False)
        birth = None
        if birth_text:
            try:
                birth = dt.date.fromisoformat(birth_text)
            except ValueError:
                f.fail("birthDate", "a real date, yyyy-MM-dd")
        if birth and (birth > self.today() or age_on(birth, self.today()) > 150):
            f.fail("birthDate", "not in the future, at most 150 years ago")
        f.done()
        if handle and handle.lower() in self.by_handle:
            raise ApiError(409, "HANDLE_TAKEN", "this handle is taken")
        acc = Account(security.new_id("A"), handle, security.hash_secret(password), birth, self.app.clock.now_ms())
        if pin is not None:
            if self.is_minor(acc):
                raise ApiError(400, "VALIDATION_FAILED", "invalid fields", {"guardianPin": "adults only"})
            acc.pin_hash = security.hash_secret(pin)
        self.by_id[acc.id] = acc
        if handle:
            self.by_handle[handle.lower()] = acc.id
        self.app.log.info(f"account {acc.id} signed up ({self.group(acc)})")
        return 201, {"account": self.view(acc), "session": self._session(acc)}

    def log_in(self, req):
        f = req.fields()
        login = f.text("login", 1, 100)
        password = f.text("password", 1, 128)
        f.done()
        acc = self.by_id.get(self.by_handle.get(login.lower(), login))
        if acc is None or not security.verify_secret(password, acc.pw_hash):
            raise ApiError(401, "LOGIN_FAILED", "wrong login or password")
        return 201, {"account": self.view(acc), "session": self._session(acc)}

    def set_pin(self, req):
        acc = self.authenticate(req)
        f = req.fields()
        pin = f.text("pin", 6, 6, PIN)
        f.done()
        if self.is_minor(acc):
            raise ApiError(403, "NOT_AN_ADULT", "only adults have a guardian PIN")
        if acc.pin_hash is not None:
            problem = self.app.pins.check(acc.id, req.body.get("currentPin"), [acc.pin_hash])
            if problem:
                raise ApiError(403, problem, "the current PIN is needed to change it")
        acc.pin_hash = security.hash_secret(pin)
        return 200, {"pinSet": True}

    def youth_on(self, req):
        acc = self.authenticate(req)
        if not self.is_minor(acc):
            raise ApiError(403, "NOT_A_MINOR", "youth mode is for minors")
        if not acc.youth_on:
            acc.youth_on, acc.youth_since_ms = True, self.app.clock.now_ms()
        return 200, {"youthMode": {"on": True, "sinceMs": acc.youth_since_ms}}

    def youth_off(self, req):
        acc = self.authenticate(req)
        if not acc.youth_on:
            return 200, {"youthMode": {"on": False, "sinceMs": None}}
        hashes = [g.pin_hash for g in self.app.family.guardian_accounts(acc.id) if g.pin_hash]
        if not hashes:
            raise ApiError(403, "NO_GUARDIAN", "no guardian is linked; leaving youth mode needs one")
        pin = (req.body or {}).get("guardianPin")
        if "exit-without-pin" in self.app.defects and (pin is None or pin == ""):
            problem = None  # the bug: only a PIN that was given is checked
        else:
            problem = self.app.pins.check(acc.id, pin, hashes)
        if problem:
            raise ApiError(403, problem, "a linked guardian's PIN is needed to leave youth mode")
        acc.youth_on, acc.youth_since_ms = False, None
        self.app.log.info(f"youth mode off for {acc.id} (guardian verified)")
        return 200, {"youthMode": {"on": False, "sinceMs": None}}
