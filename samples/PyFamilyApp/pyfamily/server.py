"""Wires the modules into one app: configuration from the environment, guards, one lock for all state."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

from . import VERSION
from .accounts import Accounts
from .clock import Clock
from .content import Content
from .defects import Defects
from .family import Family
from .logs import AppLog
from .privacy import Privacy
from .reports import Reports
from .screentime import ScreenTime
from .security import PinGuard, same_secret
from .spending import Spending
from .testhooks import TestHooks
from .web import ApiError, Router

MIN_SECRET_LENGTH = 32
KEPT_LOG_LINES = 2000


class ConfigError(Exception):
    pass


@dataclass(frozen=True)
class Config:
    test_key_digest: bytes | None
    staff_digest: bytes | None
    defects: Defects

    @staticmethod
    def from_env(env) -> "Config":
        def secret(name):
            value = env.get(name) or ""
            if not value:
                return None
            if len(value) < MIN_SECRET_LENGTH:
                raise ConfigError(f"{name} needs at least {MIN_SECRET_LENGTH} characters")
            return hashlib.sha256(value.encode()).digest()

        test_key = secret("FAMILY_TEST_HOOKS_KEY")
        if test_key is not None and (env.get("FAMILY_ENV") or "").lower() == "production":
            raise ConfigError("test hooks never run with FAMILY_ENV=production; unset FAMILY_TEST_HOOKS_KEY")
        return Config(test_key, secret("FAMILY_STAFF_TOKEN"), Defects.parse(env.get("FAMILY_DEFECTS")))


class App:
    def __init__(self, pack, inventory, catalog_path: str | None, config: Config, log: AppLog | None = None):
        self.pack, self.inventory, self.config = pack, inventory, config
        self.defects = config.defects
        self.hooks_on = config.test_key_digest is not None
        self.log = log or AppLog(keep=KEPT_LOG_LINES if self.hooks_on else 0)
        self.clock = Clock()
        self.pins = PinGuard(self.clock, enabled="lockout-missing" not in self.defects)
        # One lock around every handler: simple, and it makes each check-and-record (caps, budgets) atomic.
        self.lock = threading.RLock()
        self.accounts = Accounts(self)
        self.family = Family(self)
        self.screen = ScreenTime(self)
        self.content = Content(self, catalog_path)
        self.spending = Spending(self)
        self.reports = Reports(self)
        self.privacy = Privacy(self)
        self.router = Router()
        self.router.add("GET", "/v1/about", self.about)
        for module in (self.accounts, self.family, self.screen, self.content, self.spending, self.reports, self.privacy):
            module.register(self.router)
        if self.hooks_on:
            self.reports.sink = []
            TestHooks(self).register(self.router)

    def about(self, req):
        return 200, {"app": "py-family", "version": VERSION,
                     "rulePack": {"id": self.pack.id, "version": self.pack.version, "timeZone": self.pack.zone_name},
                     "inventory": self.inventory.id, "testHooks": self.hooks_on,
                     "staffApi": self.config.staff_digest is not None}

    def dispatch(self, req, handler, guard: str):
        if guard == "test" and not same_secret(req.headers.get("X-Family-Test-Key"), self.config.test_key_digest):
            raise ApiError(401, "TEST_KEY_REQUIRED", "send the test hooks key in X-Family-Test-Key")
        if guard == "staff":
            if self.config.staff_digest is None:
                raise ApiError(404, "NOT_FOUND", "no staff API is configured")
            if not same_secret(req.bearer(), self.config.staff_digest):
                raise ApiError(401, "STAFF_ONLY", "send the staff token as Authorization: Bearer")
        with self.lock:
            out = handler(req)
        status, payload = out[0], out[1]
        return status, payload, out[2] if len(out) > 2 else {}
