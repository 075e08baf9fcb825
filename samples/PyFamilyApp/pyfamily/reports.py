"""Reports (举报): identified reporters, idempotent intake, a moderated workflow, deadlines and escalation."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from . import security
from .web import ApiError

TARGETS = {"VIDEO", "ACCOUNT"}
ACTIONS = {"TAKE_DOWN", "BLOCK_ACCOUNT", "RESTRICT_ACCOUNT", "PRESERVE_EVIDENCE"}
NEXT = {"RECEIVED": {"TRIAGED"}, "TRIAGED": {"ACTIONED", "REJECTED"}, "ACTIONED": {"CLOSED"}, "REJECTED": {"CLOSED"}}
# What a bullied child is offered next to the report: the app's own tools.
SAFETY_TOOLS = {"BULLYING": ["BLOCK_STRANGERS", "LIMIT_VISIBILITY", "DISABLE_MESSAGES"]}
MAX_EVIDENCE = 20


@dataclass
class Report:
    id: str
    reporter_id: str
    category: str
    target_type: str
    target_ref: str
    concerns: str | None
    details: str | None
    evidence: list[str]
    received_s: int  # whole seconds: deadlines are kept to the second
    triage_due_s: int
    resolve_due_s: int
    status: str = "RECEIVED"
    history: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    resolution: str | None = None
    notice: dict | None = None  # the authority outbox entry, when the pack escalates the category


class Reports:
    def __init__(self, app):
        self.app = app
        self.reports: dict[str, Report] = {}
        self.by_key: dict[tuple[str, str], tuple[str, str]] = {}  # (reporter, key) -> (fingerprint, report id)
        self.sink: list[dict] | None = None  # the in-memory recording sink, only with test hooks

    def register(self, r) -> None:
        r.add("POST", "/v1/reports", self.file)
        r.add("GET", "/v1/reports/{id}", self.get)
        r.add("GET", "/v1/me/reports", self.mine)
        r.add("GET", "/v1/family/children/{childId}/reports", self.of_child)
        r.add("POST", "/v1/staff/reports/{id}/transitions", self.transition, guard="staff")
        r.add("GET", "/v1/staff/reports", self.staff_list, guard="staff")

    def overdue(self, rep: Report, now_ms: int) -> bool:
        now_s = now_ms // 1000
        if "overdue-inclusive" in self.app.defects:
            late = lambda due: now_s >= due  # noqa: E731 - the bug: due is still in time
        else:
            late = lambda due: now_s > due  # noqa: E731
        return (rep.status == "RECEIVED" and late(rep.triage_due_s)) or (rep.status != "CLOSED" and late(rep.resolve_due_s))

    def view(self, rep: Report) -> dict:
        # Never the reporter, the details or the target ref: this is what reporters and guardians see.
        n = rep.notice
        return {
            "id": rep.id, "status": rep.status, "category": rep.category, "target": {"type": rep.target_type},
            "receivedAtMs": rep.received_s * 1000, "triageDueMs": rep.triage_due_s * 1000,
            "resolveDueMs": rep.resolve_due_s * 1000, "overdue": self.overdue(rep, self.app.clock.now_ms()),
            "history": rep.history, "actions": [{"kind": a["kind"], "atMs": a["atMs"]} for a in rep.actions],
            "resolution": rep.resolution, "safetyTools": SAFETY_TOOLS.get(rep.category, []),
            "authority": None if n is None else {"state": "DELIVERED" if n["deliveredAtMs"] else "PENDING",
                                                 "deliveredAtMs": n["deliveredAtMs"]},
        }

    def file(self, req):
        reporter = self.app.accounts.authenticate(req)
        key = req.headers.get("Idempotency-Key")
        if not isinstance(key, str) or not 8 <= len(key) <= 200:
            raise ApiError(400, "VALIDATION_FAILED", "invalid fields", {"Idempotency-Key": "header of 8-200 characters"})
        f = req.fields()
        category = f.one_of("category", set(self.app.pack.reporting))
        target = f.body.get("target")
        if not isinstance(target, dict) or target.get("type") not in TARGETS or not isinstance(target.get("ref"), str) \
                or not 1 <= len(target["ref"]) <= 128:
            f.fail("target", "{type: VIDEO | ACCOUNT, ref: 1-128 characters}")
            target = None
        concerns = f.text("concernsChild", 1, 64, required=False)
        details = f.text("details", 1, 2000, required=False)
        evidence = f.body.get("evidence", [])
        if not isinstance(evidence, list) or len(evidence) > MAX_EVIDENCE or \
                not all(isinstance(e, str) and 1 <= len(e) <= 256 for e in evidence):
            f.fail("evidence", f"up to {MAX_EVIDENCE} references of 1-256 characters")
        f.done()
        fingerprint = hashlib.sha256(json.dumps([category, target, concerns, details, evidence], sort_keys=True).encode()).hexdigest()
        earlier = self.by_key.get((reporter.id, key))
        if earlier and "report-not-idempotent" not in self.app.defects:
            if earlier[0] != fingerprint:
                raise ApiError(409, "IDEMPOTENCY_KEY_REUSED", "this key was used for another report")
            return 200, {"report": self.view(self.reports[earlier[1]])}
        if concerns is not None and concerns not in self.app.accounts.by_id:
            raise ApiError(422, "ACCOUNT_NOT_FOUND", "concernsChild is not an account")
        rule = self.app.pack.reporting[category]
        now_s = self.app.clock.now_ms() // 1000
        rep = Report(security.new_id("R"), reporter.id, category, target["type"], target["ref"], concerns, details,
                     list(evidence), now_s, now_s + rule.triage_hours * 3600, now_s + rule.resolve_hours * 3600)
        rep.history.append({"status": "RECEIVED", "atMs": now_s * 1000})
        if rule.escalate:
            rep.notice = {"deliveryKey": f"pyfamily-authority-{rep.id}", "deliveredAtMs": None, "attempts": 0}
        # Stored, with its outbox entry, before the receipt goes out.
        self.reports[rep.id] = rep
        self.by_key[(reporter.id, key)] = (fingerprint, rep.id)
        self.app.log.info(f"report {rep.id} received ({category}){' escalated' if rep.notice else ''}")
        return 201, {"report": self.view(rep)}

    def may_read(self, acc, rep: Report) -> bool:
        if "report-status-open" in self.app.defects:
            return True  # the bug: the id was treated as the secret
        return acc.id == rep.reporter_id or (rep.concerns is not None and self.app.family.is_guardian(acc.id, rep.concerns))

    def get(self, req):
        acc = self.app.accounts.authenticate(req)
        rep = self.reports.get(req.params["id"])
        if rep is None or not self.may_read(acc, rep):
            raise ApiError(404, "REPORT_NOT_FOUND", "no such report")  # the same for both: no existence leak
        return 200, {"report": self.view(rep)}

    def _newest_first(self, reps):
        return {"reports": [self.view(r) for r in sorted(reps, key=lambda r: r.received_s, reverse=True)]}

    def mine(self, req):
        acc = self.app.accounts.authenticate(req)
        return 200, self._newest_first(r for r in self.reports.values() if r.reporter_id == acc.id)

    def of_child(self, req):
        guardian = self.app.accounts.authenticate(req)
        child = self.app.family.require_child(guardian, req.params["childId"])
        return 200, self._newest_first(r for r in self.reports.values() if r.concerns == child.id)

    def transition(self, req):
        rep = self.reports.get(req.params["id"])
        if rep is None:
            raise ApiError(404, "REPORT_NOT_FOUND", "no such report")
        f = req.fields()
        to = f.one_of("to", {"TRIAGED", "ACTIONED", "REJECTED", "CLOSED"})
        actions = f.body.get("actions", [])
        if not isinstance(actions, list) or len(actions) > 10 or not all(
                isinstance(a, dict) and a.get("kind") in ACTIONS and isinstance(a.get("targetRef"), str)
                and 1 <= len(a["targetRef"]) <= 128 for a in actions):
            f.fail("actions", "up to 10 of {kind: " + " | ".join(sorted(ACTIONS)) + ", targetRef}")
            actions = []
        note = f.text("note", 1, 200, required=False)
        if to == "ACTIONED" and not actions:
            f.fail("actions", "ACTIONED needs at least one action")
        if to == "REJECTED" and not note:
            f.fail("note", "REJECTED needs a note")
        f.done()
        if to not in NEXT.get(rep.status, set()):
            raise ApiError(409, "TRANSITION_NOT_ALLOWED", f"{rep.status} cannot go to {to}")
        at = self.app.clock.now_ms()
        rep.status = to
        rep.history.append({"status": to, "atMs": at})
        if to in ("ACTIONED", "REJECTED"):
            rep.resolution = to
        for a in actions:
            rep.actions.append({"kind": a["kind"], "targetRef": a["targetRef"], "atMs": at})
        return 200, {"report": self.view(rep)}

    def staff_list(self, req):
        now = self.app.clock.now_ms()
        only = req.q("id")
        reps = [r for r in self.reports.values() if (not only or r.id == only)
                and (req.q("overdue") != "true" or self.overdue(r, now))]
        return 200, {"reports": [self.view(r) for r in sorted(reps, key=lambda r: r.received_s)]}

    # ---- the authority outbox (delivered by the test hook into the recording sink) ----

    def deliver_outbox(self) -> dict:
        due = [r for r in self.reports.values() if r.notice and not r.notice["deliveredAtMs"]]
        delivered = 0
        for r in due:
            r.notice["attempts"] += 1
            if self.sink is None:
                continue
            # The notice names the report and its target, never the reporter or the free text.
            self.sink.append({"deliveryKey": r.notice["deliveryKey"], "reportId": r.id, "category": r.category,
                              "target": {"type": r.target_type, "ref": r.target_ref}, "concernsChild": r.concerns,
                              "evidence": r.evidence, "receivedAtMs": self.app.clock.now_ms()})
            r.notice["deliveredAtMs"] = self.app.clock.now_ms()
            delivered += 1
        return {"attempted": len(due), "delivered": delivered, "failed": len(due) - delivered}
