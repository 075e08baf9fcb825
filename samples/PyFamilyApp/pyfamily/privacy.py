"""Personal information: collection only for a declared purpose that needs the field, a guardian's separate
consent per purpose under the pack's age, refusal and withdrawal erase, export and erasure requests."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import security
from .web import ApiError

SHA256_HEX = re.compile(r"[0-9a-f]{64}")
DAY_MS = 24 * 3600 * 1000


@dataclass
class Value:
    field: str
    purpose: str
    value: str
    collected_ms: int
    keep_until_ms: int


@dataclass
class Held:
    consents: list = field(default_factory=list)  # {id, answer, purposes, by, noticeSha256, atMs}
    values: list = field(default_factory=list)
    requests: list = field(default_factory=list)


class Privacy:
    def __init__(self, app):
        self.app = app
        self.held: dict[str, Held] = {}

    def register(self, r) -> None:
        r.add("POST", "/v1/accounts/{childId}/consents", self.consent)
        r.add("POST", "/v1/accounts/{childId}/consents/withdrawal", self.withdraw)
        r.add("POST", "/v1/me/data", self.collect)
        r.add("POST", "/v1/accounts/{id}/data-requests", self.data_request)

    def held_of(self, account_id: str) -> Held:
        h = self.held.setdefault(account_id, Held())
        now = self.app.clock.now_ms()
        h.values = [v for v in h.values if v.keep_until_ms > now]  # past retention: gone, asked or not
        return h

    def _erase(self, account_id: str, purposes: set | None) -> int:
        h = self.held_of(account_id)
        gone = [v for v in h.values if purposes is None or v.purpose in purposes]
        h.values = [v for v in h.values if v not in gone]
        if gone:
            self.app.log.info(f"erased {len(gone)} value(s) of {account_id}")
        return len(gone)

    def _guardian_and_child(self, req):
        guardian = self.app.accounts.authenticate(req)
        child = self.app.family.require_child(guardian, req.params["childId"])
        return guardian, child

    def _purposes(self, f):
        p = f.body.get("purposes")
        if not isinstance(p, list) or not 1 <= len(p) <= 20 or not all(isinstance(x, str) for x in p):
            f.fail("purposes", "1-20 purpose ids")
            return None
        return list(dict.fromkeys(p))

    def _record(self, child_id: str, guardian_id: str, answer: str, purposes: list, notice: str | None):
        if answer != "WITHDRAWN" and "consent-first-purpose-only" in self.app.defects:
            purposes = purposes[:1]  # the bug: left over from a one-purpose consent screen
        c = {"id": security.new_id("C"), "answer": answer, "purposes": purposes, "by": guardian_id,
             "noticeSha256": notice, "atMs": self.app.clock.now_ms()}
        self.held_of(child_id).consents.append(c)
        erased = 0
        if answer == "REFUSED" or (answer == "WITHDRAWN" and "withdrawal-keeps-data" not in self.app.defects):
            erased = self._erase(child_id, set(purposes))  # the purpose ended: its data goes (PIPL art. 47)
        self.app.log.info(f"consent {answer} for {child_id}: {','.join(purposes)}")
        return {"consent": {k: c[k] for k in ("id", "answer", "purposes", "atMs")}, "erasedCount": erased}

    def consent(self, req):
        f = req.fields()
        purposes = self._purposes(f)
        notice = f.text("noticeSha256", 64, 64, SHA256_HEX.pattern)
        answer = f.one_of("answer", {"GRANT", "REFUSE"})
        f.done()
        guardian, child = self._guardian_and_child(req)
        unknown = [p for p in purposes if p not in self.app.inventory.purposes]
        if unknown:
            raise ApiError(403, "PURPOSE_NOT_DECLARED", "not in the data inventory: " + ", ".join(unknown))
        return 201, self._record(child.id, guardian.id, "GRANTED" if answer == "GRANT" else "REFUSED", purposes, notice)

    def withdraw(self, req):
        f = req.fields()
        purposes = self._purposes(f)
        f.done()
        guardian, child = self._guardian_and_child(req)
        return 200, self._record(child.id, guardian.id, "WITHDRAWN", purposes, None)

    def problem(self, acc, field_name: str, purpose_id: str) -> str | None:
        purpose = self.app.inventory.purposes.get(purpose_id)
        if purpose is None:
            return "PURPOSE_NOT_DECLARED"
        if field_name not in purpose.fields:
            return "FIELD_NOT_FOR_PURPOSE"
        last = next((c for c in reversed(self.held_of(acc.id).consents) if purpose_id in c["purposes"]), None)
        if last is not None:
            return None if last["answer"] == "GRANTED" else f"CONSENT_{last['answer']}"
        minor = self.app.accounts.is_minor(acc)
        if minor and (purpose.off_by_default_for_minors or self.app.inventory.fields.get(field_name) == "precise-location"):
            return "OFF_FOR_MINORS"
        if self.app.accounts.age(acc) < self.app.pack.consent_under_age:
            return "CONSENT_REQUIRED"
        return None

    def collect(self, req):
        acc = self.app.accounts.authenticate(req)
        f = req.fields()
        field_name = f.text("field", 1, 64)
        purpose_id = f.text("purpose", 1, 64)
        value = f.text("value", 0, 2000)
        f.done()
        problem = self.problem(acc, field_name, purpose_id)
        if problem:
            raise ApiError(403, problem, f"{field_name} cannot be collected for {purpose_id}")
        now = self.app.clock.now_ms()
        h = self.held_of(acc.id)
        h.values = [v for v in h.values if not (v.field == field_name and v.purpose == purpose_id)]
        keep = now + self.app.inventory.purposes[purpose_id].retention_days * DAY_MS
        h.values.append(Value(field_name, purpose_id, value, now, keep))
        self.app.log.info(f"collected {field_name} for {purpose_id} of {acc.id}")  # the name, never the value
        return 201, {"stored": {"field": field_name, "purpose": purpose_id, "keepUntilMs": keep}}

    def data_request(self, req):
        acc = self.app.accounts.authenticate(req)
        subject = self.app.accounts.get(req.params["id"])
        f = req.fields()
        kind = f.one_of("type", {"EXPORT", "ERASE"})
        f.done()
        if acc.id != subject.id and not self.app.family.is_guardian(acc.id, subject.id):
            raise ApiError(403, "NOT_YOUR_CHILD", "only the account itself or its linked guardian")
        now = self.app.clock.now_ms()
        due = self.app.pack.request_due_days
        request = {"id": security.new_id("Q"), "type": kind, "state": "DONE", "byAccount": acc.id, "atMs": now,
                   "dueAtMs": now + due * DAY_MS if due is not None else None, "doneAtMs": now}
        h = self.held_of(subject.id)
        h.requests.append(request)
        out = {"request": {k: request[k] for k in ("id", "type", "state", "dueAtMs", "doneAtMs")}}
        if kind == "EXPORT":
            out["export"] = {
                "inventory": self.app.inventory.id,
                "items": [{"field": v.field, "purpose": v.purpose, "value": v.value, "collectedAtMs": v.collected_ms,
                           "keepUntilMs": v.keep_until_ms} for v in h.values],
                "consents": [{k: c[k] for k in ("answer", "purposes", "atMs")} for c in h.consents],
            }
        else:
            out["erasedCount"] = self._erase(subject.id, None)
        self.app.log.info(f"data request {request['id']} ({kind}) for {subject.id}: DONE")
        return 201, out
