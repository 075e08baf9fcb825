"""Planted defects: realistic bugs, each switched on by name in FAMILY_DEFECTS, never by default.

Each one is a mistake implementers commonly make; the README lists the suite check meant to catch it.
"""

from __future__ import annotations

# name -> (rule family, what goes wrong)
KNOWN = {
    "curfew-utc": ("anti-addiction/curfew", "the curfew is computed on the UTC time of day"),
    "budget-per-device": ("anti-addiction/daily budget", "the daily budget is counted per device, not per child"),
    "no-rest-reminder": ("anti-addiction/rest reminder", "pings never answer OK_TAKE_A_BREAK"),
    "exempt-counted": ("anti-addiction/exempt categories", "exempt categories are allowed but counted against the budget"),
    "age-utc": ("age bands", "age is computed on the UTC date, wrong around local midnight on a birthday"),
    "exit-without-pin": ("parental control/exit", "a missing PIN is accepted (a wrong one is still refused)"),
    "lockout-missing": ("parental control/PIN lockout", "wrong PINs are never locked out"),
    "bind-without-approval": ("parental control/binding", "a second guardian links without the first one's PIN"),
    "settings-unbounded": ("parental control/settings", "guardian settings are not checked against the pack's bounds"),
    "guardian-cap-ignored": ("parental control/spending caps", "a guardian's lower spending cap is stored but not applied"),
    "usage-report-open": ("parental control/usage report", "any signed-in account reads any child's usage report"),
    "dm-open": ("parental control/features", "stranger DMs stay on in youth mode"),
    "pool-direct-id": ("content pool/direct access", "an out-of-pool item opens by direct id, though the feed filters it"),
    "hot-list-sensitive": ("content pool/prominent placements", "the hot list includes items that may affect minors"),
    "spend-day-utc": ("spending/day and month", "spending days and months are UTC, not local"),
    "tipping-allowed": ("spending/live tipping", "live-streaming tips use the video caps instead of being refused"),
    "report-not-idempotent": ("reporting/idempotency", "a repeated Idempotency-Key files a second report"),
    "report-status-open": ("reporting/status privacy", "any signed-in account reads any report's status"),
    "overdue-inclusive": ("reporting/deadlines", "a report counts as overdue already at its deadline"),
    "consent-first-purpose-only": ("personal information/consent", "a consent for several purposes records only the first"),
    "withdrawal-keeps-data": ("personal information/withdrawal", "withdrawing consent stops collection but keeps the data"),
}


class UnknownDefect(ValueError):
    pass


class Defects:
    def __init__(self, names: frozenset[str] = frozenset()):
        self.names = names

    def __contains__(self, name: str) -> bool:
        if name not in KNOWN:
            raise KeyError(name)  # a typo in the code must not silently disable a defect
        return name in self.names

    @staticmethod
    def parse(text: str | None) -> "Defects":
        names = frozenset(n.strip() for n in (text or "").split(",") if n.strip())
        unknown = sorted(names - KNOWN.keys())
        if unknown:
            raise UnknownDefect(f"unknown defect(s) in FAMILY_DEFECTS: {', '.join(unknown)}; known: {', '.join(sorted(KNOWN))}")
        return Defects(names)
