"""Payments in integer fen against the pack's caps per band and category (local day and month), and refunds."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from . import security
from .rules import Caps
from .web import ApiError

REFUND_DUE_MS = 7 * 24 * 3600 * 1000  # when a refund request must be answered: the app's choice


@dataclass
class Payment:
    id: str
    account_id: str
    category: str
    amount: int
    at_ms: int
    day: str  # yyyy-MM-dd, local (the spend-day-utc defect: UTC)
    month: str  # yyyy-MM
    item_id: str | None
    refunded: bool = False

    def view(self) -> dict:
        return {"id": self.id, "category": self.category, "amountFen": self.amount, "atMs": self.at_ms,
                "localDate": self.day, "itemId": self.item_id, "state": "REFUNDED" if self.refunded else "CAPTURED"}


@dataclass
class Refund:
    id: str
    payment: Payment
    child_id: str
    filed_by: str
    reason: str | None
    filed_ms: int
    due_ms: int
    state: str = "PENDING"
    decision_reason: str | None = None
    decided_ms: int | None = None

    def view(self) -> dict:
        return {"id": self.id, "paymentId": self.payment.id, "amountFen": self.payment.amount, "state": self.state,
                "filedAtMs": self.filed_ms, "dueAtMs": self.due_ms, "decisionReason": self.decision_reason,
                "decidedAtMs": self.decided_ms}


class Spending:
    def __init__(self, app):
        self.app = app
        self.payments: dict[str, Payment] = {}
        self.by_key: dict[tuple[str, str], tuple[str, tuple]] = {}  # (account, Idempotency-Key) -> (fingerprint, answer)
        self.refunds: dict[str, Refund] = {}
        self.refund_by_payment: dict[str, str] = {}

    def register(self, r) -> None:
        r.add("POST", "/v1/payments", self.pay)
        r.add("GET", "/v1/me/payments", self.mine)
        r.add("POST", "/v1/family/children/{childId}/refund-requests", self.file_refund)
        r.add("GET", "/v1/refund-requests/{id}", self.get_refund)
        r.add("POST", "/v1/staff/refund-requests/{id}/decision", self.decide_refund, guard="staff")

    # ---- caps ----

    def pack_caps(self, acc, category: str) -> Caps | None:
        band = self.app.accounts.band(acc)
        if band is None:
            return None  # adults: no caps
        if category == "LIVE_STREAMING" and "tipping-allowed" in self.app.defects:
            category = "VIDEO"  # the bug: tips were filed under "video" payments
        return self.app.pack.spending.get(category, {}).get(band.group)

    def caps_for(self, acc, category: str) -> Caps | None:
        caps = self.pack_caps(acc, category)
        if caps is None or "guardian-cap-ignored" in self.app.defects:
            return caps
        own = self.app.family.guardian_caps(acc.id, category)
        if not own:
            return caps
        return caps.tighten(Caps(own.get("per_payment", caps.per_payment), own.get("per_day", caps.per_day),
                                 own.get("per_month", caps.per_month)))

    def _local(self, now: int) -> dt.datetime:
        zone = dt.timezone.utc if "spend-day-utc" in self.app.defects else self.app.pack.zone
        return self.app.pack.local(now, zone)

    def _totals(self, account_id: str, category: str, day: str, month: str) -> tuple[int, int]:
        mine = [p for p in self.payments.values()
                if p.account_id == account_id and p.category == category and not p.refunded]
        return sum(p.amount for p in mine if p.day == day), sum(p.amount for p in mine if p.month == month)

    def captured_between(self, account_id: str, first: str, last: str) -> list[Payment]:
        return [p for p in self.payments.values() if p.account_id == account_id and not p.refunded and first <= p.day <= last]

    # ---- routes ----

    def pay(self, req):
        acc = self.app.accounts.authenticate(req)
        f = req.fields()
        category = f.one_of("category", set(self.app.pack.spending))
        amount = f.integer("amountFen", 1, 10**9)
        item = f.text("itemId", 1, 128, required=False)
        f.done()
        key = req.headers.get("Idempotency-Key")
        fingerprint = hashlib.sha256(json.dumps([category, amount, item]).encode()).hexdigest()
        if key:
            earlier = self.by_key.get((acc.id, key))
            if earlier:
                if earlier[0] != fingerprint:
                    raise ApiError(409, "IDEMPOTENCY_KEY_REUSED", "this key was used for another payment")
                return earlier[1]
        now = self.app.clock.now_ms()
        local = self._local(now)
        day, month = local.date().isoformat(), local.strftime("%Y-%m")
        caps = self.caps_for(acc, category)
        day_total, month_total = self._totals(acc.id, category, day, month)
        # The checks in order; the check-and-record runs under the app lock, so parallel payments cannot pass a cap.
        if caps is None:
            result = "CAPTURED"
        elif caps.nothing_allowed:
            result = "DECLINED_NOT_FOR_MINORS"
        elif amount > caps.per_payment:
            result = "DECLINED_OVER_PAYMENT_CAP"
        elif day_total + amount > caps.per_day:
            result = "DECLINED_OVER_DAY_CAP"
        elif month_total + amount > caps.per_month:
            result = "DECLINED_OVER_MONTH_CAP"
        else:
            result = "CAPTURED"
        payment_id = None
        if result == "CAPTURED":
            p = Payment(security.new_id("P"), acc.id, category, amount, now, day, month, item)
            self.payments[p.id] = p
            payment_id = p.id
            day_total, month_total = day_total + amount, month_total + amount
        answer = (200, {"result": result, "paymentId": payment_id, "localDate": day,
                        "totals": {"category": category, "dayFen": day_total, "monthFen": month_total},
                        "capsFen": caps.as_json() if caps else None})
        if key:
            self.by_key[(acc.id, key)] = (fingerprint, answer)
        return answer

    def mine(self, req):
        acc = self.app.accounts.authenticate(req)
        return 200, {"payments": [p.view() for p in self.payments.values() if p.account_id == acc.id]}

    def file_refund(self, req):
        guardian = self.app.accounts.authenticate(req)
        f = req.fields()
        payment_id = f.text("paymentId", 1, 64)
        reason = f.text("reason", 1, 1000, required=False)
        f.done()
        child = self.app.family.require_child(guardian, req.params["childId"])
        p = self.payments.get(payment_id)
        if p is None or p.account_id != child.id:
            raise ApiError(404, "PAYMENT_NOT_FOUND", "no such payment of this child")
        earlier = self.refund_by_payment.get(p.id)
        if earlier:
            return 200, {"refund": self.refunds[earlier].view()}  # one request per payment
        now = self.app.clock.now_ms()
        r = Refund(security.new_id("F"), p, child.id, guardian.id, reason, now, now + REFUND_DUE_MS)
        self.refunds[r.id] = r
        self.refund_by_payment[p.id] = r.id
        self.app.log.info(f"refund request {r.id} for payment {p.id} filed by guardian {guardian.id}")
        return 201, {"refund": r.view()}

    def get_refund(self, req):
        acc = self.app.accounts.authenticate(req)
        r = self.refunds.get(req.params["id"])
        if r is None or not self.app.family.is_guardian(acc.id, r.child_id):
            raise ApiError(404, "REFUND_NOT_FOUND", "no such refund request")
        return 200, {"refund": r.view()}

    def decide_refund(self, req):
        r = self.refunds.get(req.params["id"])
        if r is None:
            raise ApiError(404, "REFUND_NOT_FOUND", "no such refund request")
        f = req.fields()
        decision = f.one_of("decision", {"APPROVE", "REFUSE"})
        reason = (req.body or {}).get("reason")
        if reason is not None and (not isinstance(reason, str) or len(reason) > 1000):
            f.fail("reason", "up to 1000 characters")
        f.done()
        if decision == "REFUSE" and not (reason or "").strip():
            raise ApiError(422, "REASON_REQUIRED", "a refusal needs a written reason")
        if r.state != "PENDING":
            raise ApiError(409, "ALREADY_DECIDED", f"already {r.state}")
        r.state = "APPROVED" if decision == "APPROVE" else "REFUSED"
        r.decision_reason = reason or None
        r.decided_ms = self.app.clock.now_ms()
        if r.state == "APPROVED":
            r.payment.refunded = True  # leaves the totals
        self.app.log.info(f"refund request {r.id} {r.state}")
        return 200, {"refund": r.view()}
