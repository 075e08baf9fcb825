"""Test-only endpoints: mapped only when FAMILY_TEST_HOOKS_KEY is set, each call needs the key."""

from __future__ import annotations

MAX_ADVANCE_MS = 366 * 24 * 3600 * 1000


class TestHooks:
    def __init__(self, app):
        self.app = app

    def register(self, r) -> None:
        r.add("GET", "/v1/test/clock", lambda req: (200, self.clock_view()), guard="test")
        r.add("POST", "/v1/test/clock", self.set_clock, guard="test")
        r.add("POST", "/v1/test/clock/advance", self.advance, guard="test")
        r.add("POST", "/v1/test/authority-outbox/deliver", lambda req: (200, self.app.reports.deliver_outbox()), guard="test")
        r.add("GET", "/v1/test/authority-sink", self.sink, guard="test")
        r.add("POST", "/v1/test/log-probe", self.log_probe, guard="test")
        r.add("GET", "/v1/test/log-search", self.log_search, guard="test")

    def clock_view(self) -> dict:
        now = self.app.clock.now_ms()
        local = self.app.pack.local(now)
        return {"nowMs": now, "now": local.isoformat(timespec="milliseconds"), "timeZone": self.app.pack.zone_name,
                "running": True}

    def set_clock(self, req):
        f = req.fields()
        ms = f.integer("epochMs", 0, 253402300799999)
        f.done()
        self.app.clock.set(ms)
        return 200, self.clock_view()

    def advance(self, req):
        f = req.fields()
        ms = f.integer("ms", 0, MAX_ADVANCE_MS)
        f.done()
        self.app.clock.advance(ms)
        return 200, self.clock_view()

    def sink(self, req):
        rid = req.q("reportId")
        got = [n for n in (self.app.reports.sink or []) if not rid or n["reportId"] == rid]
        return 200, {"received": [{k: n[k] for k in ("deliveryKey", "reportId", "category", "receivedAtMs")} for n in got]}

    def log_probe(self, req):
        f = req.fields()
        text = f.text("text", 1, 2000)
        f.done()
        self.app.log.info(f"handling request: {text}")
        return 200, {"logged": True}

    def log_search(self, req):
        kept, matching = self.app.log.count(req.q("contains") or "")
        return 200, {"kept": kept, "matching": matching}
