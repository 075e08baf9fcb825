"""The family: invite codes, two-sided guardian links, guardian limits within the pack's bounds, features."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import security
from .rules import HHMM, hhmm_of, minutes_of, window_minutes
from .web import ApiError

INVITE_MS = 10 * 60 * 1000  # how long an invite code works: the app's choice
CAP_FIELDS = {"perPaymentFen": "per_payment", "perDayFen": "per_day", "perMonthFen": "per_month"}


@dataclass
class Link:
    guardian_id: str
    role: str
    linked_ms: int


@dataclass
class GuardianLimits:
    daily_minutes: int | None = None
    curfew: tuple[int, int] | None = None
    exempt: set[str] = field(default_factory=set)
    features: dict[str, bool] = field(default_factory=dict)
    caps: dict[str, dict[str, int]] = field(default_factory=dict)  # CATEGORY -> {per_payment: fen, ...}


class Family:
    def __init__(self, app):
        self.app = app
        self.invites: dict[str, tuple[str, int]] = {}  # code -> (child id, expires)
        self.links: dict[str, list[Link]] = {}  # child id -> links, primary first
        self.limits: dict[str, GuardianLimits] = {}

    # ---- queries other modules use ----

    def guardians_of(self, child_id: str) -> list[Link]:
        return self.links.get(child_id, [])

    def guardian_accounts(self, child_id: str):
        return [self.app.accounts.by_id[l.guardian_id] for l in self.guardians_of(child_id)]

    def children_of(self, guardian_id: str) -> list[str]:
        return [c for c, ls in self.links.items() if any(l.guardian_id == guardian_id for l in ls)]

    def is_guardian(self, guardian_id: str, child_id: str) -> bool:
        return any(l.guardian_id == guardian_id for l in self.guardians_of(child_id))

    def limits_of(self, child_id: str) -> GuardianLimits:
        return self.limits.setdefault(child_id, GuardianLimits())

    def daily_minutes(self, child) -> int:
        own = self.limits_of(child.id).daily_minutes
        return own if own is not None else self.app.accounts.band(child).daily_minutes

    def curfew(self, child) -> tuple[int, int]:
        return self.limits_of(child.id).curfew or self.app.pack.curfew

    def exempt_categories(self, child) -> set[str]:
        return self.app.pack.exempt_by_default | self.limits_of(child.id).exempt

    def feature_state(self, child, name: str) -> str:
        if not child.youth_on:
            return "ON"
        if name == "STRANGER_DM" and "dm-open" in self.app.defects:
            return "ON"  # the bug: the youth-mode default was never applied to DMs
        rule = self.app.pack.features[name]
        chosen = self.limits_of(child.id).features.get(name)
        if chosen is False:
            return "OFF_BY_GUARDIAN"
        if rule.youth_default or (chosen is True and rule.guardian_may_enable):
            return "ON"
        return "OFF_IN_YOUTH_MODE"

    def guardian_caps(self, child_id: str, category: str) -> dict[str, int]:
        return self.limits_of(child_id).caps.get(category, {})

    def require_child(self, guardian, child_id: str):
        """The child, if `guardian` is one of its linked guardians."""
        child = self.app.accounts.get(child_id)
        if not self.is_guardian(guardian.id, child.id):
            raise ApiError(403, "NOT_YOUR_CHILD", "you are not a linked guardian of this child")
        return child

    # ---- routes ----

    def register(self, r) -> None:
        r.add("POST", "/v1/me/invite-codes", self.new_invite)
        r.add("POST", "/v1/family/links", self.link)
        r.add("GET", "/v1/family/children", self.children)
        r.add("GET", "/v1/me/limits", self.my_limits)
        r.add("GET", "/v1/family/children/{childId}/limits", self.child_limits)
        r.add("PATCH", "/v1/family/children/{childId}/limits", self.change_limits)
        r.add("GET", "/v1/me/features", self.features)
        r.add("POST", "/v1/messages", self.send_message)

    def new_invite(self, req):
        child = self.app.accounts.authenticate(req)
        if not self.app.accounts.is_minor(child):
            raise ApiError(403, "NOT_A_MINOR", "invite codes link a guardian to a minor")
        code = security.new_invite_code()
        expires = self.app.clock.now_ms() + INVITE_MS
        self.invites[code] = (child.id, expires)
        return 201, {"inviteCode": code, "expiresAtMs": expires}

    def link(self, req):
        guardian = self.app.accounts.authenticate(req)
        body = req.body or {}
        code = body.get("inviteCode")
        hit = self.invites.get(code) if isinstance(code, str) else None
        now = self.app.clock.now_ms()
        # The child's side first: without a live code from the child's device nothing is linked.
        if hit is None or hit[1] <= now:
            raise ApiError(403, "INVITE_CODE_INVALID", "the invite code is missing, wrong, used or expired")
        child = self.app.accounts.by_id[hit[0]]
        if self.app.accounts.is_minor(guardian):
            raise ApiError(403, "NOT_AN_ADULT", "a guardian must be an adult")
        if guardian.pin_hash is None:
            raise ApiError(403, "PIN_NOT_SET", "set a guardian PIN first")
        problem = self.app.pins.check(guardian.id, body.get("pin"), [guardian.pin_hash])
        if problem:
            raise ApiError(403, problem, "confirm with your guardian PIN")
        if self.is_guardian(guardian.id, child.id):
            raise ApiError(409, "ALREADY_LINKED", "already a guardian of this child")
        existing = self.guardians_of(child.id)
        if existing and "bind-without-approval" not in self.app.defects:
            # A further guardian is the family's decision: the primary guardian confirms with their PIN.
            approver = self.app.accounts.by_id[existing[0].guardian_id]
            problem = self.app.pins.check(guardian.id, body.get("approverPin"), [approver.pin_hash])
            if problem == "PIN_MISSING":
                raise ApiError(403, "CO_GUARDIAN_APPROVAL_REQUIRED", "the primary guardian's PIN is needed")
            if problem:
                raise ApiError(403, "APPROVER_PIN_WRONG" if problem == "PIN_WRONG" else problem,
                               "the primary guardian's PIN did not match")
        del self.invites[code]
        link = Link(guardian.id, "CO_GUARDIAN" if existing else "PRIMARY", now)
        self.links.setdefault(child.id, []).append(link)
        self.app.log.info(f"guardian {guardian.id} linked to {child.id} as {link.role}")
        return 201, {"link": {"childId": child.id, "guardianId": guardian.id, "role": link.role, "linkedAtMs": now}}

    def children(self, req):
        guardian = self.app.accounts.authenticate(req)
        accs = self.app.accounts
        return 200, {"children": [{"id": c, "ageGroup": accs.group(accs.by_id[c]), "youthMode": accs.by_id[c].youth_on}
                                  for c in self.children_of(guardian.id)]}

    def limits_view(self, child) -> dict:
        own = self.limits_of(child.id)
        start, end = self.curfew(child)
        caps = {}
        for cat in self.app.pack.spending:
            c = self.app.spending.caps_for(child, cat)
            if c is not None:
                caps[cat] = c.as_json()
        return {"limits": {
            "ageGroup": self.app.accounts.group(child),
            "dailyMinutes": self.daily_minutes(child),
            "dailyMinutesFrom": "GUARDIAN" if own.daily_minutes is not None else "RULE_PACK",
            "curfew": {"from": hhmm_of(start), "to": hhmm_of(end)},
            "exemptCategories": sorted(self.exempt_categories(child)),
            "features": {n: self.feature_state(child, n) for n in self.app.pack.features},
            "spendCapsFen": caps,
        }}

    def my_limits(self, req):
        child = self.app.accounts.authenticate(req)
        if not self.app.accounts.is_minor(child):
            raise ApiError(403, "NOT_A_MINOR", "limits apply to minors")
        return 200, self.limits_view(child)

    def child_limits(self, req):
        guardian = self.app.accounts.authenticate(req)
        return 200, self.limits_view(self.require_child(guardian, req.params["childId"]))

    def change_limits(self, req):
        guardian = self.app.accounts.authenticate(req)
        pack = self.app.pack
        f = req.fields()
        daily = f.integer("dailyMinutes", 0, 1440, required=False)
        curfew = self._parse_curfew(f)
        exempt = self._parse_names(f, "exemptCategories", set(pack.app_categories))
        features = self._parse_features(f)
        caps = self._parse_caps(f)
        f.done()
        child = self.require_child(guardian, req.params["childId"])
        problem = self.app.pins.check(guardian.id, req.body.get("pin") if req.body else None, [guardian.pin_hash])
        if problem:
            raise ApiError(403, problem, "changing limits needs your guardian PIN")
        band = self.app.accounts.band(child)
        if band is None:
            raise ApiError(403, "NOT_A_MINOR", "the child is no longer a minor")
        out: dict[str, str] = {}
        if "settings-unbounded" not in self.app.defects:
            if daily is not None and daily > (band.max_daily_minutes if band.max_daily_minutes is not None else band.daily_minutes):
                out["dailyMinutes"] = f"at most {band.max_daily_minutes} for {band.group}"
            if curfew is not None:
                must = window_minutes(*band.min_curfew) if band.min_curfew else window_minutes(*pack.curfew)
                if not must <= window_minutes(*curfew):
                    lo, hi = band.min_curfew or pack.curfew
                    out["curfew"] = f"must cover {hhmm_of(lo)}-{hhmm_of(hi)}"
            if exempt is not None and not exempt <= (pack.guardian_may_exempt | pack.exempt_by_default):
                out["exemptCategories"] = "only " + ", ".join(sorted(pack.guardian_may_exempt))
            for name, on in (features or {}).items():
                if on and not pack.features[name].guardian_may_enable and not pack.features[name].youth_default:
                    out[f"features.{name}"] = "a guardian may not turn this on"
            for cat, values in (caps or {}).items():
                pack_caps = self.app.spending.pack_caps(child, cat)
                for k, v in values.items():
                    if pack_caps is None or v > getattr(pack_caps, k):
                        out[f"spendCapsFen.{cat}"] = "a guardian may only lower the rule pack's caps"
        if out:
            raise ApiError(422, "LIMIT_OUT_OF_RANGE", "outside what the rule pack lets a guardian choose", out)
        own = self.limits_of(child.id)
        if daily is not None:
            own.daily_minutes = daily
        if curfew is not None:
            own.curfew = curfew
        if exempt is not None:
            own.exempt = exempt - pack.exempt_by_default
        if features:
            own.features.update(features)
        for cat, values in (caps or {}).items():
            own.caps.setdefault(cat, {}).update(values)
        self.app.log.info(f"limits of {child.id} changed by guardian {guardian.id}")
        return 200, self.limits_view(child)

    @staticmethod
    def _parse_curfew(f):
        c = f.body.get("curfew")
        if c is None:
            return None
        if not (isinstance(c, dict) and isinstance(c.get("from"), str) and isinstance(c.get("to"), str)
                and HHMM.match(c["from"]) and HHMM.match(c["to"]) and c["from"] != c["to"]):
            f.fail("curfew", "{from, to} as HH:mm, not equal")
            return None
        return minutes_of(c["from"]), minutes_of(c["to"])

    @staticmethod
    def _parse_names(f, name, allowed):
        v = f.body.get(name)
        if v is None:
            return None
        if not isinstance(v, list) or not all(x in allowed for x in v):
            f.fail(name, "a list of " + ", ".join(sorted(allowed)))
            return None
        return set(v)

    def _parse_features(self, f):
        v = f.body.get("features")
        if v is None:
            return None
        if not isinstance(v, dict) or not all(k in self.app.pack.features and isinstance(x, bool) for k, x in v.items()):
            f.fail("features", "{NAME: true|false} for " + ", ".join(self.app.pack.features))
            return None
        return dict(v)

    def _parse_caps(self, f):
        v = f.body.get("spendCapsFen")
        if v is None:
            return None
        out = {}
        ok = isinstance(v, dict)
        for cat, values in (v.items() if ok else []):
            if cat not in self.app.pack.spending or not isinstance(values, dict) or not values:
                ok = False
                break
            for k, x in values.items():
                if k not in CAP_FIELDS or isinstance(x, bool) or not isinstance(x, int) or x < 0:
                    ok = False
                out.setdefault(cat, {})[CAP_FIELDS.get(k, k)] = x
        if not ok:
            f.fail("spendCapsFen", "{CATEGORY: {perPaymentFen|perDayFen|perMonthFen: fen}}")
            return None
        return out

    def features(self, req):
        child = self.app.accounts.authenticate(req)
        return 200, {"youthMode": child.youth_on,
                     "features": {n: self.feature_state(child, n) for n in self.app.pack.features}}

    def send_message(self, req):
        sender = self.app.accounts.authenticate(req)
        f = req.fields()
        to = f.text("to", 1, 64)
        f.text("text", 1, 2000)
        f.done()
        recipient = self.app.accounts.get(to)
        if "STRANGER_DM" in self.app.pack.features and self.feature_state(sender, "STRANGER_DM") != "ON" \
                and not self.is_guardian(recipient.id, sender.id):
            raise ApiError(403, "STRANGER_DM_OFF", "messages to strangers are off in youth mode")
        return 201, {"message": {"id": security.new_id("M")}}

