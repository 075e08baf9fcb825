"""The rule pack: every regulatory number the app uses is read from it at start-up.

Nothing in this package writes a band, a minute count, a curfew hour, a cap or a deadline of its own;
the app's own choices (PIN lockout, break length, invite lifetime) live next to their users and say so.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
MINUTES_PER_DAY = 24 * 60


class RulePackError(Exception):
    pass


def enum_name(pack_id: str) -> str:
    """The app's name for a pack id: 'live-streaming' -> 'LIVE_STREAMING'."""
    return pack_id.upper().replace("-", "_")


def minutes_of(hhmm: str) -> int:
    m = HHMM.match(hhmm or "")
    if not m:
        raise ValueError(f"not HH:mm: {hhmm!r}")
    return int(m.group(1)) * 60 + int(m.group(2))


def hhmm_of(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def window_minutes(start: int, end: int) -> set[int]:
    """Minutes of the day in the half-open window [start, end), wrapping over midnight."""
    if start <= end:
        return set(range(start, end))
    return set(range(start, MINUTES_PER_DAY)) | set(range(0, end))


def in_window(start: int, end: int, second_of_day: int) -> bool:
    s, e = start * 60, end * 60
    if s <= e:
        return s <= second_of_day < e
    return second_of_day >= s or second_of_day < e


def fen_of(yuan: str) -> int:
    """'50.00' -> 5000, exactly; the pack writes money as yuan text."""
    try:
        d = Decimal(yuan)
    except (InvalidOperation, TypeError):
        raise ValueError(f"not an amount: {yuan!r}") from None
    fen = d * 100
    if fen != fen.to_integral_value() or fen < 0:
        raise ValueError(f"not a whole number of fen: {yuan!r}")
    return int(fen)


@dataclass(frozen=True)
class Band:
    from_age: int
    to_age: int
    daily_minutes: int
    max_daily_minutes: int | None  # how far a guardian may loosen; None: not at all
    min_curfew: tuple[int, int] | None

    @property
    def group(self) -> str:
        # Named by the first and last whole year it holds: [12, 16) is 12_TO_15.
        return f"{self.from_age}_TO_{self.to_age - 1}"


@dataclass(frozen=True)
class Caps:
    per_payment: int
    per_day: int
    per_month: int

    @property
    def nothing_allowed(self) -> bool:
        return self.per_payment == 0 and self.per_day == 0 and self.per_month == 0

    def tighten(self, other: "Caps | None") -> "Caps":
        if other is None:
            return self
        return Caps(min(self.per_payment, other.per_payment), min(self.per_day, other.per_day),
                    min(self.per_month, other.per_month))

    def as_json(self) -> dict:
        return {"perPaymentFen": self.per_payment, "perDayFen": self.per_day, "perMonthFen": self.per_month}


@dataclass(frozen=True)
class ReportRule:
    triage_hours: int
    resolve_hours: int
    escalate: bool


@dataclass(frozen=True)
class Feature:
    youth_default: bool
    guardian_may_enable: bool


class RulePack:
    def __init__(self, doc: dict, source: str):
        def fail(what: str):
            raise RulePackError(f"{source}: {what}")

        def value(node, what):
            if not isinstance(node, dict) or "value" not in node:
                fail(f"{what}.value is required")
            return node["value"]

        self.id = doc.get("id")
        self.version = doc.get("version")
        if not isinstance(self.id, str) or not isinstance(self.version, str):
            fail("id and version are required")
        self.zone_name = doc.get("timeZone")
        try:
            self.zone = ZoneInfo(self.zone_name)
        except (ZoneInfoNotFoundError, TypeError, ValueError):
            fail(f"unknown timeZone {self.zone_name!r}")

        defaults = doc.get("defaults") or {}
        try:
            cf = defaults["curfew"]
            self.curfew = (minutes_of(cf["start"]), minutes_of(cf["end"]))
        except (KeyError, ValueError):
            fail("defaults.curfew.start/end must be HH:mm")
        self.rest_minutes = value(defaults.get("restReminderMinutes"), "defaults.restReminderMinutes")
        default_bounds = defaults.get("guardianBounds")

        self.bands: list[Band] = []
        for i, b in enumerate(doc.get("bands") or []):
            if i and self.bands[-1].to_age != b.get("fromAge"):
                fail(f"bands[{i}]: bands must be contiguous")
            gb = b.get("guardianBounds") or default_bounds
            self.bands.append(Band(
                from_age=b["fromAge"], to_age=b["toAge"],
                daily_minutes=value(b.get("dailyMinutes"), f"bands[{i}].dailyMinutes"),
                max_daily_minutes=value(gb["maxDailyMinutes"], "maxDailyMinutes") if gb else None,
                min_curfew=(minutes_of(gb["minCurfew"]["start"]), minutes_of(gb["minCurfew"]["end"])) if gb else None,
            ))
        if not self.bands:
            fail("bands must not be empty")
        self.adult_age = self.bands[-1].to_age
        self.groups = [b.group for b in self.bands]

        pool = doc.get("contentPool") or {}
        label = {f"{b.from_age}-{b.to_age}": b.group for b in self.bands}
        self.audio_first_groups = {label[x] for x in (pool.get("audioFirst") or {}).get("bands", []) if x in label}
        rich = pool.get("richness") or {}
        self.richness = {k: value(rich[k], f"contentPool.richness.{k}") for k in
                         ("minItemsPerBand", "minItemsPerCategory", "minCategoriesPerBand")} if rich else None

        self.reporting: dict[str, ReportRule] = {}
        for name, c in ((doc.get("reporting") or {}).get("categories") or {}).items():
            self.reporting[enum_name(name)] = ReportRule(
                triage_hours=value(c.get("triageHours"), f"reporting.{name}.triageHours"),
                resolve_hours=value(c.get("resolveHours"), f"reporting.{name}.resolveHours"),
                escalate=bool((c.get("escalateToAuthority") or {}).get("value", False)),
            )

        gs = doc.get("guardianSettings") or {}
        self.app_categories = [enum_name(c) for c in gs.get("appCategories", [])]
        self.exempt_by_default = {enum_name(c) for c in (gs.get("exemptByDefault") or {}).get("value", [])}
        self.guardian_may_exempt = {enum_name(c) for c in (gs.get("guardianMayExempt") or {}).get("value", [])}
        self.features = {enum_name(n): Feature(bool(f["teenModeDefault"]), bool(f["guardianMayEnable"]))
                         for n, f in (gs.get("features") or {}).items()}

        # Spending caps per category and age group, in fen.
        self.spending: dict[str, dict[str, Caps]] = {}
        for cat, c in ((doc.get("spending") or {}).get("categories") or {}).items():
            per_group = {}
            for band_label, caps in (c.get("bands") or {}).items():
                if band_label not in label:
                    fail(f"spending.{cat}: unknown band {band_label}")
                try:
                    per_group[label[band_label]] = Caps(fen_of(caps["perTransaction"]), fen_of(caps["perDay"]),
                                                        fen_of(caps["perMonth"]))
                except (KeyError, ValueError) as e:
                    fail(f"spending.{cat}.{band_label}: {e}")
            self.spending[enum_name(cat)] = per_group

        pi = doc.get("personalInfo") or {}
        # Without the section every minor needs consent: the protective reading.
        self.consent_under_age = value(pi["guardianConsentUnderAge"], "guardianConsentUnderAge") \
            if "guardianConsentUnderAge" in pi else self.adult_age
        self.request_due_days = value(pi["dataSubjectRequestDueDays"], "dataSubjectRequestDueDays") \
            if "dataSubjectRequestDueDays" in pi else None

    # ---- time and age, always in the pack's zone ----

    def local(self, epoch_ms: int, zone: dt.tzinfo | None = None) -> dt.datetime:
        return dt.datetime.fromtimestamp(epoch_ms / 1000, tz=zone or self.zone)

    def band_for_age(self, age: int | None) -> Band | None:
        if age is None:
            return self.bands[0]  # unknown age: the most protective band
        for b in self.bands:
            if b.from_age <= age < b.to_age:
                return b
        return None  # an adult

    def band_for_group(self, group: str) -> Band | None:
        return next((b for b in self.bands if b.group == group), None)


def age_on(birth: dt.date, today: dt.date) -> int:
    """Whole years; a child born on 29 February turns a year older on 1 March in common years."""
    years = today.year - birth.year
    if (today.month, today.day) < (birth.month, birth.day):
        years -= 1
    return years


def load_rule_pack(path: str) -> RulePack:
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise RulePackError(f"{path}: cannot read rule pack: {e}") from None
    try:
        return RulePack(doc, path)
    except (KeyError, TypeError) as e:
        raise RulePackError(f"{path}: malformed rule pack ({e})") from None
