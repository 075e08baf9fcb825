"""Screen-time pings: the only place the time rules are decided (curfew, daily budget, rest reminder, exemptions)."""

from __future__ import annotations

import collections
import datetime as dt
from dataclasses import dataclass, field

from .rules import in_window
from .web import ApiError

BREAK_MS = 10 * 60 * 1000  # a gap this long without use ends "continuous use": the app's choice
MAX_REPORT_DAYS = 31


@dataclass
class Day:
    used: int = 0
    exempt: int = 0
    by_category: collections.Counter = field(default_factory=collections.Counter)
    by_device: collections.Counter = field(default_factory=collections.Counter)
    blocked: collections.Counter = field(default_factory=collections.Counter)


@dataclass
class Usage:
    seen: set = field(default_factory=set)  # (device, seq) already counted
    days: dict = field(default_factory=dict)  # local date -> Day
    continuous: int = 0
    last_active_ms: int | None = None

    def day(self, date: str) -> Day:
        return self.days.setdefault(date, Day())


class ScreenTime:
    def __init__(self, app):
        self.app = app
        self.usage: dict[str, Usage] = {}

    def register(self, r) -> None:
        r.add("POST", "/v1/screen-time/pings", self.ping)
        r.add("GET", "/v1/family/children/{childId}/usage", self.report)

    def ping(self, req):
        child = self.app.accounts.authenticate(req)
        pack = self.app.pack
        f = req.fields()
        device = f.text("deviceId", 1, 128)
        seq = f.integer("seq", 0, 2**53)
        seconds = f.integer("usedSeconds", 0, 3600)
        category = f.one_of("appCategory", set(pack.app_categories))
        f.done()
        now = self.app.clock.now_ms()
        local = pack.local(now)
        date = local.date().isoformat()
        u = self.usage.setdefault(child.id, Usage())
        day = u.day(date)
        duplicate = (device, seq) in u.seen
        exempt = child.youth_on and category in self.app.family.exempt_categories(child)
        if not duplicate:
            u.seen.add((device, seq))
            # The seconds were already used when the ping is sent: they count even if the answer is a denial.
            if seconds and exempt and "exempt-counted" not in self.app.defects:
                day.exempt += seconds
            elif seconds:
                day.used += seconds
                day.by_category[category] += seconds
                day.by_device[device] += seconds
                if u.last_active_ms is None or now - seconds * 1000 - u.last_active_ms >= BREAK_MS:
                    u.continuous = 0
                u.continuous += seconds
                u.last_active_ms = now
        result, retry = self.decide(child, u, day, device, exempt, now)
        if not duplicate and result.startswith("DENIED"):
            day.blocked[result] += 1
        limit = self.app.family.daily_minutes(child) if self.app.accounts.is_minor(child) else None
        used = day.by_device[device] if "budget-per-device" in self.app.defects else day.used
        return 200, {
            "result": result, "duplicate": duplicate, "localDate": date,
            "budget": {"limitMinutes": limit, "usedSeconds": day.used,
                       "leftSeconds": None if limit is None else max(0, limit * 60 - used)},
            "continuousSeconds": self._continuous(u, now), "retryAtMs": retry,
        }

    def _continuous(self, u: Usage, now: int) -> int:
        return u.continuous if u.last_active_ms is not None and now - u.last_active_ms < BREAK_MS else 0

    def decide(self, child, u: Usage, day: Day, device: str, exempt: bool, now: int):
        """The rules in order: youth mode off, exempt category, curfew, daily budget, rest reminder."""
        pack = self.app.pack
        if not child.youth_on or not self.app.accounts.is_minor(child):
            return "OK_UNRESTRICTED", None
        if exempt:
            return "OK_EXEMPT", None
        start, end = self.app.family.curfew(child)
        # The curfew-utc defect reads the UTC time of day (22:00 in Shanghai is 14:00 UTC).
        clock = pack.local(now, dt.timezone.utc if "curfew-utc" in self.app.defects else pack.zone)
        second = clock.hour * 3600 + clock.minute * 60 + clock.second
        if in_window(start, end, second):
            local = pack.local(now)
            end_at = dt.datetime.combine(local.date(), dt.time(end // 60, end % 60), tzinfo=pack.zone)
            if end_at <= local:
                end_at = dt.datetime.combine(local.date() + dt.timedelta(days=1), end_at.timetz())
            return "DENIED_NIGHT", int(end_at.timestamp() * 1000)
        used = day.by_device[device] if "budget-per-device" in self.app.defects else day.used
        if used >= self.app.family.daily_minutes(child) * 60:
            midnight = dt.datetime.combine(pack.local(now).date() + dt.timedelta(days=1), dt.time(0), tzinfo=pack.zone)
            return "DENIED_QUOTA", int(midnight.timestamp() * 1000)
        if "no-rest-reminder" not in self.app.defects and self._continuous(u, now) >= pack.rest_minutes * 60:
            return "OK_TAKE_A_BREAK", None
        return "OK", None

    def report(self, req):
        """The guardian's usage report: seconds per local day and category, blocked pings by result, payments."""
        guardian = self.app.accounts.authenticate(req)
        child_id = req.params["childId"]
        if "usage-report-open" in self.app.defects:
            child = self.app.accounts.get(child_id)  # the bug: any signed-in account may read it
        else:
            child = self.app.family.require_child(guardian, child_id)
        try:
            first = dt.date.fromisoformat(req.q("from") or "")
            last = dt.date.fromisoformat(req.q("to") or "")
        except ValueError:
            raise ApiError(400, "VALIDATION_FAILED", "invalid fields", {"from": "yyyy-MM-dd", "to": "yyyy-MM-dd"}) from None
        if not 0 <= (last - first).days < MAX_REPORT_DAYS:
            raise ApiError(400, "VALIDATION_FAILED", "invalid fields", {"to": f"from..to spans 1-{MAX_REPORT_DAYS} days"})
        u = self.usage.get(child.id, Usage())
        days = []
        d = first
        while d <= last:
            day = u.days.get(d.isoformat(), Day())
            days.append({"date": d.isoformat(), "usedSeconds": day.used, "exemptSeconds": day.exempt,
                         "byCategory": dict(day.by_category),
                         "blocked": {"DENIED_NIGHT": day.blocked["DENIED_NIGHT"], "DENIED_QUOTA": day.blocked["DENIED_QUOTA"]}})
            d += dt.timedelta(days=1)
        paid = self.app.spending.captured_between(child.id, first.isoformat(), last.isoformat())
        return 200, {"childId": child.id, "timeZone": self.app.pack.zone_name, "days": days,
                     "payments": {"count": len(paid), "totalFen": sum(p.amount for p in paid)}}
