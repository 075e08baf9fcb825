"""HTTP tests of PyFamily on 127.0.0.1: the rules, and that each planted defect breaks the rule it is about.

    python3 -m unittest discover -s samples/PyFamilyApp/tests -v

Standard library only. Each server is a child process on a free loopback port; loops are bounded.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request
from zoneinfo import ZoneInfo

HERE = os.path.dirname(os.path.abspath(__file__))
APP = os.path.join(HERE, "..", "app.py")
sys.path.insert(0, os.path.join(HERE, ".."))
from pyfamily.defects import KNOWN  # noqa: E402

ZONE = ZoneInfo("Asia/Shanghai")
TEST_KEY = "test-hooks-key-" + "k" * 32
STAFF = "staff-token-" + "s" * 32
PASSWORD = "correct horse battery"
PIN, PIN2, WRONG = "246810", "864200", "135790"
NOTICE = "61f44e6de822eacf47815c5482b5fe1ecacc085952d587c6fd0dfaefdc9a2df5"


def epoch_ms(local: str) -> int:
    return int(dt.datetime.fromisoformat(local).replace(tzinfo=ZONE).timestamp() * 1000)


class Server:
    """One app process; stderr goes to a file so the log can be read and the pipe never fills."""

    def __init__(self, defects: str = "", env: dict | None = None):
        self.log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
        e = {k: v for k, v in os.environ.items() if not k.startswith("FAMILY_")}
        e.update({"FAMILY_TEST_HOOKS_KEY": TEST_KEY, "FAMILY_STAFF_TOKEN": STAFF, "FAMILY_DEFECTS": defects})
        e.update(env or {})
        self.proc = subprocess.Popen([sys.executable, APP, "--port", "0", "--exit-with-stdin"], env=e,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("listening "):
            self.stop()
            raise RuntimeError(f"app did not start: {line!r} {self.log_text()}")
        self.base = line.split()[1]

    def log_text(self) -> str:
        with open(self.log.name, encoding="utf-8") as f:
            return f.read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.proc.stdout.close()
        self.log.close()
        os.unlink(self.log.name)


class Client:
    def __init__(self, base: str):
        self.base = base
        self.seq = 10_000

    def call(self, method, path, body=None, token=None, headers=None):
        h = {"Content-Type": "application/json", "Accept": "application/json"}
        if token:
            h["Authorization"] = "Bearer " + token
        h.update(headers or {})
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=h)
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def ok(self, method, path, body=None, token=None, headers=None, status=None):
        s, b = self.call(method, path, body, token, headers)
        if not 200 <= s < 300 or (status is not None and s != status):
            raise AssertionError(f"{method} {path} -> {s} {b}")
        return b

    # ---- test hooks ----

    def hook(self, method, path, body=None):
        return self.ok(method, path, body, headers={"X-Family-Test-Key": TEST_KEY})

    def at(self, local: str):
        return self.hook("POST", "/v1/test/clock", {"epochMs": epoch_ms(local)})

    def advance(self, seconds: int):
        return self.hook("POST", "/v1/test/clock/advance", {"ms": seconds * 1000})

    def today(self) -> dt.date:
        return dt.datetime.fromisoformat(self.hook("GET", "/v1/test/clock")["now"]).date()

    # ---- accounts ----

    def born(self, age: int) -> str:
        t = self.today()
        try:
            d = t.replace(year=t.year - age)
        except ValueError:
            d = t.replace(year=t.year - age, day=28)
        return (d - dt.timedelta(days=180)).isoformat()

    def signup(self, age=None, birth=None, youth=False, handle=None, pin=None) -> dict:
        body = {"birthDate": birth or self.born(age), "password": PASSWORD}
        if handle:
            body["handle"] = handle
        if pin:
            body["guardianPin"] = pin
        b = self.ok("POST", "/v1/accounts", body, status=201)
        acc = {"id": b["account"]["id"], "token": b["session"]["token"], "account": b["account"]}
        if youth:
            self.ok("POST", "/v1/me/youth-mode", token=acc["token"])
        return acc

    def guardian(self, child: dict, pin=PIN, approver=None) -> dict:
        g = self.signup(age=40, pin=pin)
        code = self.ok("POST", "/v1/me/invite-codes", token=child["token"])["inviteCode"]
        body = {"inviteCode": code, "pin": pin}
        if approver:
            body["approverPin"] = approver
        self.ok("POST", "/v1/family/links", body, token=g["token"], status=201)
        return g

    def ping(self, kid, device="d1", seq=None, secs=60, cat="VIDEO"):
        if seq is None:
            self.seq += 1
            seq = self.seq
        return self.ok("POST", "/v1/screen-time/pings",
                       {"deviceId": device, "seq": seq, "usedSeconds": secs, "appCategory": cat}, token=kid["token"])

    def probe(self, kid, cat="VIDEO"):
        return self.ping(kid, device="probe", secs=0, cat=cat)

    def staff(self, method, path, body=None):
        return self.call(method, path, body, token=STAFF)

    def pay(self, kid, category, fen):
        return self.ok("POST", "/v1/payments", {"category": category, "amountFen": fen}, token=kid["token"])

    def report(self, reporter, key, category="HARMFUL_CONTENT", target=("VIDEO", "v-1"), concerns=None):
        body = {"category": category, "target": {"type": target[0], "ref": target[1]}}
        if concerns:
            body["concernsChild"] = concerns
        return self.call("POST", "/v1/reports", body, token=reporter["token"], headers={"Idempotency-Key": key})


# ---- one probe per defect: True when the rule holds --------------------------------------------------

def p_curfew_utc(c: Client):
    c.at("2026-03-04T22:00:00")
    kid = c.signup(age=13, youth=True)
    return c.probe(kid)["result"] == "DENIED_NIGHT"


def p_budget_per_device(c: Client):
    c.at("2026-03-04T10:00:00")
    kid = c.signup(age=13, youth=True)
    c.ping(kid, device="phone", secs=1800)
    c.ping(kid, device="tablet", secs=1800)
    return c.probe(kid)["result"] == "DENIED_QUOTA"


def p_no_rest_reminder(c: Client):
    c.at("2026-03-04T10:00:00")
    kid = c.signup(age=13, youth=True)
    return c.ping(kid, secs=1800)["result"] == "OK_TAKE_A_BREAK"


def p_exempt_counted(c: Client):
    c.at("2026-03-04T10:00:00")
    kid = c.signup(age=13, youth=True)
    before = c.probe(kid)["budget"]["leftSeconds"]
    c.ping(kid, secs=60, cat="EDUCATION")
    return c.probe(kid)["budget"]["leftSeconds"] == before


def p_age_utc(c: Client):
    c.at("2026-03-04T00:30:00")  # 2026-03-03T16:30Z: the twelfth birthday has begun in Shanghai only
    return c.signup(birth="2014-03-04")["account"]["ageGroup"] == "12_TO_15"


def p_exit_without_pin(c: Client):
    kid = c.signup(age=13, youth=True)
    c.guardian(kid)
    s, b = c.call("POST", "/v1/me/youth-mode/exit", {}, token=kid["token"])
    return s == 403 and b["error"]["code"] == "PIN_MISSING"


def p_lockout_missing(c: Client):
    kid = c.signup(age=13, youth=True)
    c.guardian(kid)
    for _ in range(5):
        c.call("POST", "/v1/me/youth-mode/exit", {"guardianPin": WRONG}, token=kid["token"])
    s, b = c.call("POST", "/v1/me/youth-mode/exit", {"guardianPin": PIN}, token=kid["token"])
    return s == 403 and b["error"]["code"] == "PIN_LOCKED"


def p_bind_without_approval(c: Client):
    kid = c.signup(age=13, youth=True)
    c.guardian(kid)
    g2 = c.signup(age=40, pin=PIN2)
    code = c.ok("POST", "/v1/me/invite-codes", token=kid["token"])["inviteCode"]
    s, b = c.call("POST", "/v1/family/links", {"inviteCode": code, "pin": PIN2}, token=g2["token"])
    return s == 403 and b["error"]["code"] == "CO_GUARDIAN_APPROVAL_REQUIRED"


def p_settings_unbounded(c: Client):
    kid = c.signup(age=13, youth=True)
    g = c.guardian(kid)
    s, b = c.call("PATCH", f"/v1/family/children/{kid['id']}/limits", {"pin": PIN, "dailyMinutes": 600}, token=g["token"])
    return s == 422 and b["error"]["code"] == "LIMIT_OUT_OF_RANGE"


def p_guardian_cap_ignored(c: Client):
    c.at("2026-03-04T10:00:00")
    kid = c.signup(age=17, youth=True)
    g = c.guardian(kid)
    c.ok("PATCH", f"/v1/family/children/{kid['id']}/limits", {"pin": PIN, "spendCapsFen": {"OTHER": {"perPaymentFen": 500}}},
         token=g["token"])
    return c.pay(kid, "OTHER", 501)["result"] == "DECLINED_OVER_PAYMENT_CAP"


def p_usage_report_open(c: Client):
    kid = c.signup(age=13, youth=True)
    c.guardian(kid)
    stranger = c.signup(age=40)
    s, b = c.call("GET", f"/v1/family/children/{kid['id']}/usage?from=2026-03-04&to=2026-03-04", token=stranger["token"])
    return s == 403 and b["error"]["code"] == "NOT_YOUR_CHILD"


def p_dm_open(c: Client):
    kid = c.signup(age=13, youth=True)
    stranger = c.signup(age=40)
    state = c.ok("GET", "/v1/me/features", token=kid["token"])["features"]["STRANGER_DM"]
    s, _ = c.call("POST", "/v1/messages", {"to": stranger["id"], "text": "hi"}, token=kid["token"])
    return state == "OFF_IN_YOUTH_MODE" and s == 403


def p_pool_direct_id(c: Client):
    kid = c.signup(age=10, youth=True)
    s, b = c.call("GET", "/v1/videos/fam-0008", token=kid["token"])
    return s == 403 and b["error"]["code"] == "NOT_IN_YOUTH_POOL"


def p_hot_list_sensitive(c: Client):
    s, b = c.staff("POST", "/v1/staff/videos", {"title": "hot and sensitive", "topic": "entertainment", "ageGroups": [],
                                                 "sensitive": True, "plays": 9_000_000_000_000_000_000})
    assert s == 201, b
    teen = c.signup(age=17)
    hot = c.ok("GET", "/v1/hot?limit=20", token=teen["token"])["items"]
    return all(not v["sensitive"] for v in hot)


def p_spend_day_utc(c: Client):
    c.at("2026-03-04T23:59:00")
    kid = c.signup(age=17, youth=True)
    c.pay(kid, "OTHER", 5000)
    c.pay(kid, "OTHER", 5000)
    full = c.pay(kid, "OTHER", 1)["result"] == "DECLINED_OVER_DAY_CAP"
    c.advance(60)
    after = c.pay(kid, "OTHER", 1)
    return full and after["result"] == "CAPTURED" and after["localDate"] == "2026-03-05"


def p_tipping_allowed(c: Client):
    kid = c.signup(age=17, youth=True)
    b = c.pay(kid, "LIVE_STREAMING", 1)
    return b["result"] == "DECLINED_NOT_FOR_MINORS" and b["paymentId"] is None


def p_report_not_idempotent(c: Client):
    user = c.signup(age=30)
    _, first = c.report(user, "same-key-0001")
    _, again = c.report(user, "same-key-0001")
    return first["report"]["id"] == again["report"]["id"]


def p_report_status_open(c: Client):
    reporter, other = c.signup(age=14), c.signup(age=30)
    _, b = c.report(reporter, "status-key-0001")
    s, _ = c.call("GET", f"/v1/reports/{b['report']['id']}", token=other["token"])
    return s == 404


def p_overdue_inclusive(c: Client):
    c.at("2026-03-04T10:00:00")
    user = c.signup(age=30)
    rid = c.report(user, "deadline-key-0001")[1]["report"]["id"]
    c.advance(4 * 3600)
    at_deadline = c.ok("GET", f"/v1/reports/{rid}", token=user["token"])["report"]["overdue"]
    c.advance(1)
    after = c.ok("GET", f"/v1/reports/{rid}", token=user["token"])["report"]["overdue"]
    return at_deadline is False and after is True


def p_consent_first_purpose_only(c: Client):
    kid = c.signup(age=10, youth=True)
    g = c.guardian(kid)
    c.ok("POST", f"/v1/accounts/{kid['id']}/consents",
         {"purposes": ["account", "real-name-verification"], "noticeSha256": NOTICE, "answer": "GRANT"}, token=g["token"])
    s, _ = c.call("POST", "/v1/me/data", {"field": "id-card-number", "purpose": "real-name-verification", "value": "x"},
                  token=kid["token"])
    return s == 201


def p_withdrawal_keeps_data(c: Client):
    kid = c.signup(age=10, youth=True)
    g = c.guardian(kid)
    c.ok("POST", f"/v1/accounts/{kid['id']}/consents",
         {"purposes": ["account", "recommendation"], "noticeSha256": NOTICE, "answer": "GRANT"}, token=g["token"])
    c.ok("POST", "/v1/me/data", {"field": "watch-history", "purpose": "recommendation", "value": "v1"}, token=kid["token"])
    w = c.ok("POST", f"/v1/accounts/{kid['id']}/consents/withdrawal", {"purposes": ["recommendation"]}, token=g["token"])
    export = c.ok("POST", f"/v1/accounts/{kid['id']}/data-requests", {"type": "EXPORT"}, token=g["token"])["export"]
    return w["erasedCount"] == 1 and not export["items"]


PROBES = {name: globals()["p_" + name.replace("-", "_")] for name in KNOWN}


class StartupTests(unittest.TestCase):
    def run_app(self, env):
        e = {k: v for k, v in os.environ.items() if not k.startswith("FAMILY_")}
        e.update(env)
        return subprocess.run([sys.executable, APP, "--port", "0"], env=e, capture_output=True, text=True, timeout=20)

    def test_unknown_defect_refuses_to_start(self):
        r = self.run_app({"FAMILY_DEFECTS": "curfew-utc,no-such-defect"})
        self.assertEqual(r.returncode, 2)
        self.assertIn("no-such-defect", r.stderr)

    def test_test_hooks_never_in_production(self):
        r = self.run_app({"FAMILY_TEST_HOOKS_KEY": TEST_KEY, "FAMILY_ENV": "production"})
        self.assertEqual(r.returncode, 2)
        self.assertIn("production", r.stderr)

    def test_short_keys_are_refused(self):
        self.assertEqual(self.run_app({"FAMILY_TEST_HOOKS_KEY": "short"}).returncode, 2)
        self.assertEqual(self.run_app({"FAMILY_STAFF_TOKEN": "short"}).returncode, 2)

    def test_without_the_key_there_are_no_test_hooks(self):
        srv = Server(env={"FAMILY_TEST_HOOKS_KEY": ""})
        try:
            c = Client(srv.base)
            self.assertEqual(c.call("POST", "/v1/test/clock", {"epochMs": 0})[0], 404)
            self.assertFalse(c.ok("GET", "/v1/about")["testHooks"])
        finally:
            srv.stop()


class RulesTests(unittest.TestCase):
    """The compliant app: every rule, over HTTP."""

    @classmethod
    def setUpClass(cls):
        cls.srv = Server()
        cls.c = Client(cls.srv.base)

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()

    def test_every_defect_probe_holds_on_the_compliant_app(self):
        for name, probe in PROBES.items():
            with self.subTest(defect=name):
                self.assertTrue(probe(self.c), name)

    def test_guards(self):
        c = self.c
        self.assertEqual(c.call("POST", "/v1/test/clock", {"epochMs": 0}, headers={"X-Family-Test-Key": "x" * 40})[0], 401)
        self.assertEqual(c.call("GET", "/v1/me")[1]["error"]["code"], "AUTH_REQUIRED")
        self.assertEqual(c.call("GET", "/v1/me", token="nope")[1]["error"]["code"], "SESSION_INVALID")
        self.assertEqual(c.call("POST", "/v1/staff/videos", {}, token="nope")[1]["error"]["code"], "STAFF_ONLY")

    def test_running_clock(self):
        a = self.c.at("2026-03-04T10:00:00")["nowMs"]
        time.sleep(0.05)
        b = self.c.hook("GET", "/v1/test/clock")["nowMs"]
        self.assertGreater(b, a)
        self.assertLess(b - a, 5000)
        self.assertTrue(self.c.hook("GET", "/v1/test/clock")["now"].endswith("+08:00"))

    def test_age_groups_from_birth_date_in_local_time(self):
        c = self.c
        c.at("2026-03-03T23:59:00")
        self.assertEqual(c.signup(birth="2014-03-04")["account"]["ageGroup"], "8_TO_11")
        c.at("2026-03-04T00:00:00")
        acc = c.signup(birth="2014-03-04")["account"]
        self.assertEqual((acc["age"], acc["ageGroup"]), (12, "12_TO_15"))
        self.assertEqual(c.signup(birth="2008-01-01")["account"]["ageGroup"], "ADULT")
        self.assertEqual(c.call("POST", "/v1/accounts", {"birthDate": "2013-02-30", "password": PASSWORD})[0], 400)
        self.assertEqual(c.call("POST", "/v1/accounts", {"age": 13, "password": PASSWORD})[1]["error"]["fields"].keys(),
                         {"birthDate"})

    def test_curfew_boundaries(self):
        c = self.c
        for local, result in [("2026-03-04T21:59:59", "OK"), ("2026-03-04T22:00:00", "DENIED_NIGHT"),
                              ("2026-03-05T05:59:59", "DENIED_NIGHT"), ("2026-03-05T06:00:00", "OK")]:
            with self.subTest(local=local):
                c.at(local)
                kid = c.signup(age=13, youth=True)
                self.assertEqual(c.probe(kid)["result"], result)

    def test_pings_are_idempotent_and_the_budget_is_shared(self):
        c = self.c
        c.at("2026-03-04T10:00:00")
        kid = c.signup(age=13, youth=True)
        first = c.ping(kid, device="phone", seq=1, secs=600)
        again = c.ping(kid, device="phone", seq=1, secs=600)
        self.assertEqual((again["duplicate"], again["budget"]["usedSeconds"]), (True, 600))
        self.assertEqual(first["budget"]["leftSeconds"], 3000)
        c.ping(kid, device="tablet", seq=1, secs=600)  # another device, the same seq: counted
        self.assertEqual(c.probe(kid)["budget"]["usedSeconds"], 1200)
        for i in range(2, 42):  # 40 more minutes, one a ping
            last = c.ping(kid, device="phone", seq=i, secs=60)
        self.assertEqual(last["result"], "DENIED_QUOTA")
        self.assertEqual(c.probe(kid)["result"], "DENIED_QUOTA")

    def test_budget_per_band_and_rest_reminder(self):
        c = self.c
        c.at("2026-03-04T10:00:00")
        kid = c.signup(age=17, youth=True)
        self.assertEqual(c.ping(kid, secs=1740)["result"], "OK")
        self.assertEqual(c.ping(kid, secs=60)["result"], "OK_TAKE_A_BREAK")
        self.assertEqual(c.probe(kid)["result"], "OK_TAKE_A_BREAK")
        c.advance(11 * 60)  # a break ends continuous use
        left = c.probe(kid)
        self.assertEqual((left["result"], left["budget"]["limitMinutes"]), ("OK", 120))

    def test_exempt_categories_in_the_curfew(self):
        c = self.c
        c.at("2026-03-04T22:30:00")
        kid = c.signup(age=13, youth=True)
        self.assertEqual(c.ping(kid, cat="VIDEO")["result"], "DENIED_NIGHT")
        self.assertEqual(c.ping(kid, cat="CALLS")["result"], "OK_EXEMPT")
        self.assertEqual(c.signup(age=13)["account"]["youthMode"]["on"], False)
        normal = c.signup(age=13)
        self.assertEqual(c.probe(normal)["result"], "OK_UNRESTRICTED")

    def test_youth_mode_exit_needs_a_linked_guardians_pin(self):
        c = self.c
        c.at("2026-03-04T15:00:00")
        kid = c.signup(age=13, youth=True)
        exit_ = lambda body: c.call("POST", "/v1/me/youth-mode/exit", body, token=kid["token"])  # noqa: E731
        self.assertEqual(exit_({"guardianPin": PIN})[1]["error"]["code"], "NO_GUARDIAN")
        c.guardian(kid)
        self.assertEqual(exit_({})[1]["error"]["code"], "PIN_MISSING")
        self.assertEqual(exit_({"guardianPin": WRONG})[1]["error"]["code"], "PIN_WRONG")
        self.assertTrue(c.ok("GET", "/v1/me", token=kid["token"])["account"]["youthMode"]["on"])
        self.assertEqual(exit_({"guardianPin": PIN})[0], 200)
        self.assertFalse(c.ok("GET", "/v1/me", token=kid["token"])["account"]["youthMode"]["on"])
        self.assertEqual(c.call("POST", "/v1/me/youth-mode", token=c.signup(age=30)["token"])[1]["error"]["code"], "NOT_A_MINOR")

    def test_lockout_ends_after_fifteen_minutes(self):
        c = self.c
        c.at("2026-03-04T15:00:00")
        kid = c.signup(age=13, youth=True)
        c.guardian(kid)
        for _ in range(5):
            c.call("POST", "/v1/me/youth-mode/exit", {"guardianPin": WRONG}, token=kid["token"])
        self.assertEqual(c.call("POST", "/v1/me/youth-mode/exit", {"guardianPin": PIN}, token=kid["token"])[1]["error"]["code"],
                         "PIN_LOCKED")
        c.advance(15 * 60)
        self.assertEqual(c.call("POST", "/v1/me/youth-mode/exit", {"guardianPin": PIN}, token=kid["token"])[0], 200)

    def test_binding_is_two_sided(self):
        c = self.c
        c.at("2026-03-04T15:00:00")
        kid = c.signup(age=13, youth=True)
        g1 = c.signup(age=40, pin=PIN)
        link = lambda g, body: c.call("POST", "/v1/family/links", body, token=g["token"])  # noqa: E731
        self.assertEqual(link(g1, {"pin": PIN})[1]["error"]["code"], "INVITE_CODE_INVALID")
        self.assertEqual(link(g1, {"pin": PIN, "inviteCode": "0000-0000"})[1]["error"]["code"], "INVITE_CODE_INVALID")
        code = c.ok("POST", "/v1/me/invite-codes", token=kid["token"])["inviteCode"]
        self.assertEqual(link(g1, {"pin": WRONG, "inviteCode": code})[1]["error"]["code"], "PIN_WRONG")
        self.assertEqual(link(g1, {"pin": PIN, "inviteCode": code})[1]["link"]["role"], "PRIMARY")
        g2 = c.signup(age=38, pin=PIN2)
        self.assertEqual(link(g2, {"pin": PIN2, "inviteCode": code, "approverPin": PIN})[1]["error"]["code"], "INVITE_CODE_INVALID")
        code = c.ok("POST", "/v1/me/invite-codes", token=kid["token"])["inviteCode"]
        self.assertEqual(link(g2, {"pin": PIN2, "inviteCode": code, "approverPin": WRONG})[1]["error"]["code"], "APPROVER_PIN_WRONG")
        self.assertEqual(link(g2, {"pin": PIN2, "inviteCode": code, "approverPin": PIN})[1]["link"]["role"], "CO_GUARDIAN")
        # Either guardian's PIN lets the child out.
        self.assertEqual(c.call("POST", "/v1/me/youth-mode/exit", {"guardianPin": PIN2}, token=kid["token"])[0], 200)
        c.advance(11 * 60)
        self.assertEqual(link(g1, {"pin": PIN, "inviteCode": c.ok("POST", "/v1/me/invite-codes", token=kid["token"])["inviteCode"]})[0],
                         409)

    def test_invite_codes_expire(self):
        c = self.c
        c.at("2026-03-04T15:00:00")
        kid = c.signup(age=13, youth=True)
        g = c.signup(age=40, pin=PIN)
        code = c.ok("POST", "/v1/me/invite-codes", token=kid["token"])["inviteCode"]
        c.advance(10 * 60)
        self.assertEqual(c.call("POST", "/v1/family/links", {"inviteCode": code, "pin": PIN}, token=g["token"])[0], 403)

    def test_guardian_settings_within_bounds(self):
        c = self.c
        c.at("2026-03-04T15:00:00")
        kid = c.signup(age=13, youth=True)
        g = c.guardian(kid)
        path = f"/v1/family/children/{kid['id']}/limits"
        patch = lambda body: c.call("PATCH", path, body, token=g["token"])  # noqa: E731
        self.assertEqual(patch({"pin": PIN, "curfew": {"from": "23:30", "to": "06:00"}})[1]["error"]["code"], "LIMIT_OUT_OF_RANGE")
        self.assertEqual(patch({"dailyMinutes": 90})[1]["error"]["code"], "PIN_MISSING")
        self.assertEqual(patch({"pin": WRONG, "dailyMinutes": 90})[1]["error"]["code"], "PIN_WRONG")
        self.assertEqual(patch({"pin": PIN, "exemptCategories": ["GAME"]})[1]["error"]["code"], "LIMIT_OUT_OF_RANGE")
        self.assertEqual(patch({"pin": PIN, "features": {"STRANGER_DM": True}})[1]["error"]["code"], "LIMIT_OUT_OF_RANGE")
        self.assertEqual(c.ok("GET", "/v1/me/limits", token=kid["token"])["limits"]["dailyMinutes"], 60)
        done = patch({"pin": PIN, "dailyMinutes": 90, "curfew": {"from": "23:00", "to": "05:00"}})[1]["limits"]
        self.assertEqual((done["dailyMinutes"], done["curfew"]), (90, {"from": "23:00", "to": "05:00"}))
        c.at("2026-03-04T22:30:00")
        self.assertEqual(c.probe(kid)["result"], "OK")  # the guardian's curfew starts at 23:00
        self.assertEqual(c.call("GET", path, token=c.signup(age=40)["token"])[1]["error"]["code"], "NOT_YOUR_CHILD")
        self.assertEqual(patch({"pin": PIN, "features": {"COMMENTS": False}})[1]["limits"]["features"]["COMMENTS"], "OFF_BY_GUARDIAN")

    def test_features_and_messages(self):
        c = self.c
        kid = c.signup(age=13, youth=True)
        g = c.guardian(kid)
        f = c.ok("GET", "/v1/me/features", token=kid["token"])["features"]
        self.assertEqual(f, {"STRANGER_DM": "OFF_IN_YOUTH_MODE", "LIVE_TIPPING": "OFF_IN_YOUTH_MODE", "COMMENTS": "ON", "POSTING": "ON"})
        self.assertEqual(c.call("POST", "/v1/messages", {"to": g["id"], "text": "hi"}, token=kid["token"])[0], 201)

    def test_youth_pool_feed_search_and_fixtures(self):
        c = self.c
        expected = {"fam-0001": {"0_TO_2", "3_TO_7"}, "fam-0002": {"8_TO_11", "12_TO_15"},
                    "fam-0003": {"12_TO_15", "16_TO_17"}, "fam-0004": set(), "fam-0005": set(), "fam-0006": set(),
                    "fam-0007": {"8_TO_11"}, "fam-0008": set()}
        ages = {"0_TO_2": 1, "3_TO_7": 5, "8_TO_11": 10, "12_TO_15": 13, "16_TO_17": 17}
        kids = {g: c.signup(age=a, youth=True) for g, a in ages.items()}
        for vid, groups in expected.items():
            for g, kid in kids.items():
                with self.subTest(vid=vid, group=g):
                    self.assertEqual(c.call("GET", f"/v1/videos/{vid}", token=kid["token"])[0] == 200, g in groups)
        codes = {vid: c.call("GET", f"/v1/videos/{vid}", token=kids["8_TO_11"]["token"])[1].get("error", {}).get("code")
                 for vid in ("fam-0003", "fam-0004", "fam-0005", "fam-0006", "fam-0008")}
        self.assertEqual(codes, {"fam-0003": "NOT_FOR_AGE_GROUP", "fam-0004": "NOT_IN_YOUTH_POOL", "fam-0005": "FORBIDDEN_TOPIC",
                                 "fam-0006": "AD_NOT_REVIEWED", "fam-0008": "NOT_IN_YOUTH_POOL"})
        normal = c.signup(age=10)
        self.assertEqual(c.ok("GET", "/v1/videos/fam-0004", token=normal["token"])["notice"], "MAY_AFFECT_MINORS")
        feed = c.ok("GET", "/v1/search?q=Science%20at%20home&limit=10", token=kids["8_TO_11"]["token"])["items"]
        self.assertEqual([v["vid"] for v in feed], ["fam-0002"])
        self.assertEqual(c.ok("GET", "/v1/search?q=Science%20at%20home", token=kids["3_TO_7"]["token"])["items"], [])
        self.assertEqual(c.ok("GET", "/v1/feed?limit=1", token=kids["0_TO_2"]["token"])["items"][0]["media"], "AUDIO")
        self.assertFalse(any(v["sensitive"] for v in c.ok("GET", "/v1/feed?limit=50", token=normal["token"])["items"]))
        self.assertEqual(c.ok("GET", "/v1/search?q=Extreme%20stunt", token=normal["token"])["items"][0]["notice"], "MAY_AFFECT_MINORS")
        page = c.ok("GET", "/v1/feed?limit=2&topic=science", token=kids["8_TO_11"]["token"])
        self.assertEqual(len(page["items"]), 2)
        self.assertTrue(all(v["topic"] == "science" for v in page["items"]))
        nxt = c.ok("GET", f"/v1/feed?limit=2&topic=science&cursor={page['nextCursor']}", token=kids["8_TO_11"]["token"])
        self.assertNotIn(nxt["items"][0]["vid"], [v["vid"] for v in page["items"]])

    def test_placements_and_richness(self):
        c = self.c
        teen = c.signup(age=17)
        for slot in ("HOME_FIRST_SCREEN", "POPUP", "HOT_LIST"):
            b = c.ok("GET", f"/v1/videos/fam-0004/placements/{slot}", token=teen["token"])
            self.assertEqual((b["eligible"], b["because"]), (False, "MAY_AFFECT_MINORS"))
        self.assertTrue(c.ok("GET", "/v1/videos/fam-0002/placements/POPUP", token=teen["token"])["eligible"])
        s, r = c.staff("GET", "/v1/staff/catalog/richness")
        self.assertEqual((s, r["assessed"], r["groups"][0]["group"], r["thinGroups"]), (200, True, "0_TO_2", []))
        self.assertEqual(c.staff("POST", "/v1/staff/videos", {"vid": "fam-0001", "title": "x", "topic": "music"})[0], 409)

    def test_spending_caps_in_fen(self):
        c = self.c
        c.at("2026-03-04T10:00:00")
        kid = c.signup(age=17, youth=True)
        self.assertEqual(c.pay(kid, "OTHER", 5000)["result"], "CAPTURED")
        self.assertEqual(c.pay(kid, "OTHER", 5001)["result"], "DECLINED_OVER_PAYMENT_CAP")
        for _ in range(3):  # two days later the month holds 300.00
            c.pay(kid, "OTHER", 5000)
            c.advance(86400)
            c.pay(kid, "OTHER", 5000)
        b = c.pay(kid, "OTHER", 1)
        self.assertEqual((b["result"], b["totals"]["monthFen"]), ("DECLINED_OVER_MONTH_CAP", 30000))
        self.assertEqual(c.pay(c.signup(age=5, youth=True), "OTHER", 1)["result"], "DECLINED_NOT_FOR_MINORS")
        self.assertEqual(c.pay(c.signup(age=30), "LIVE_STREAMING", 100000)["result"], "CAPTURED")
        self.assertEqual(c.call("POST", "/v1/payments", {"category": "OTHER", "amountFen": "50.00"}, token=kid["token"])[0], 400)

    def test_refunds(self):
        c = self.c
        c.at("2026-03-04T10:00:00")
        kid = c.signup(age=13, youth=True)
        g = c.guardian(kid)
        pid = c.pay(kid, "VIDEO", 1000)["paymentId"]
        path = f"/v1/family/children/{kid['id']}/refund-requests"
        s, r = c.call("POST", path, {"paymentId": pid, "reason": "no consent"}, token=g["token"])
        self.assertEqual((s, r["refund"]["state"], r["refund"]["amountFen"]), (201, "PENDING", 1000))
        s, again = c.call("POST", path, {"paymentId": pid}, token=g["token"])
        self.assertEqual((s, again["refund"]["id"]), (200, r["refund"]["id"]))
        self.assertEqual(c.call("POST", path, {"paymentId": "nope"}, token=g["token"])[1]["error"]["code"], "PAYMENT_NOT_FOUND")
        rid = r["refund"]["id"]
        self.assertEqual(c.staff("POST", f"/v1/staff/refund-requests/{rid}/decision", {"decision": "REFUSE", "reason": ""})[0], 422)
        self.assertEqual(c.ok("GET", f"/v1/refund-requests/{rid}", token=g["token"])["refund"]["state"], "PENDING")
        self.assertEqual(c.staff("POST", f"/v1/staff/refund-requests/{rid}/decision", {"decision": "APPROVE"})[1]["refund"]["state"],
                         "APPROVED")
        self.assertEqual(c.staff("POST", f"/v1/staff/refund-requests/{rid}/decision", {"decision": "APPROVE"})[0], 409)
        self.assertEqual(c.pay(kid, "VIDEO", 1)["totals"]["dayFen"], 1)  # the refunded payment left the totals

    def test_reports_workflow_and_escalation(self):
        c = self.c
        c.at("2026-03-04T23:00:00")  # in the curfew: reporting still works
        kid = c.signup(age=12, youth=True)
        g = c.guardian(kid)
        s, bad = c.report(kid, "bad-key-0001", category="NOT_A_CATEGORY")
        self.assertEqual((s, list(bad["error"]["fields"])), (400, ["category"]))
        s, b = c.report(kid, "bully-key-0001", category="BULLYING", target=("ACCOUNT", "bully"), concerns=kid["id"])
        rep = b["report"]
        self.assertEqual((s, rep["status"], rep["safetyTools"][0], rep["authority"]), (201, "RECEIVED", "BLOCK_STRANGERS", None))
        self.assertEqual(c.report(kid, "bully-key-0001", category="OTHER")[0], 409)
        self.assertEqual(c.ok("GET", f"/v1/reports/{rep['id']}", token=g["token"])["report"]["id"], rep["id"])
        self.assertEqual(c.ok("GET", f"/v1/family/children/{kid['id']}/reports", token=g["token"])["reports"][0]["id"], rep["id"])
        move = lambda to, **kw: c.staff("POST", f"/v1/staff/reports/{rep['id']}/transitions", {"to": to, **kw})  # noqa: E731
        self.assertEqual(move("CLOSED")[0], 409)
        self.assertEqual(move("TRIAGED")[0], 200)
        self.assertEqual(move("ACTIONED")[0], 400)  # needs an action
        self.assertEqual(move("ACTIONED", actions=[{"kind": "BLOCK_ACCOUNT", "targetRef": "bully"}])[1]["report"]["resolution"], "ACTIONED")
        self.assertEqual(move("CLOSED")[1]["report"]["status"], "CLOSED")
        mine = c.ok("GET", "/v1/me/reports", token=kid["token"])["reports"]
        self.assertEqual((mine[0]["status"], mine[0]["actions"][0]["kind"]), ("CLOSED", "BLOCK_ACCOUNT"))
        s, b = c.report(g, "groom-key-0001", category="SEXUAL_EXPLOITATION", target=("ACCOUNT", "groomer"))
        gid = b["report"]["id"]
        self.assertEqual(b["report"]["authority"]["state"], "PENDING")
        out = c.hook("POST", "/v1/test/authority-outbox/deliver")
        self.assertGreaterEqual(out["delivered"], 1)
        self.assertEqual(len(c.hook("GET", f"/v1/test/authority-sink?reportId={gid}")["received"]), 1)
        self.assertEqual(c.ok("GET", f"/v1/reports/{gid}", token=g["token"])["report"]["authority"]["state"], "DELIVERED")
        c.hook("POST", "/v1/test/authority-outbox/deliver")
        self.assertEqual(len(c.hook("GET", f"/v1/test/authority-sink?reportId={gid}")["received"]), 1)

    def test_overdue_listing(self):
        c = self.c
        c.at("2026-03-04T10:00:00")
        user = c.signup(age=30)
        rid = c.report(user, "late-key-0001")[1]["report"]["id"]
        c.advance(4 * 3600 + 1)
        self.assertEqual([r["id"] for r in c.staff("GET", f"/v1/staff/reports?overdue=true&id={rid}")[1]["reports"]], [rid])
        c.staff("POST", f"/v1/staff/reports/{rid}/transitions", {"to": "TRIAGED"})
        self.assertEqual(c.staff("GET", f"/v1/staff/reports?overdue=true&id={rid}")[1]["reports"], [])

    def test_personal_information(self):
        c = self.c
        c.at("2026-03-04T15:00:00")
        kid = c.signup(age=10, youth=True)
        g = c.guardian(kid)
        collect = lambda f, p: c.call("POST", "/v1/me/data", {"field": f, "purpose": p, "value": "v"}, token=kid["token"])  # noqa: E731
        consent = lambda ps, answer="GRANT": c.call("POST", f"/v1/accounts/{kid['id']}/consents",  # noqa: E731
                                                    {"purposes": ps, "noticeSha256": NOTICE, "answer": answer}, token=g["token"])
        self.assertEqual(collect("nickname", "account")[1]["error"]["code"], "CONSENT_REQUIRED")
        self.assertEqual(consent(["account"])[0], 201)
        self.assertEqual(collect("nickname", "account")[0], 201)
        self.assertEqual(collect("id-card-number", "account")[1]["error"]["code"], "FIELD_NOT_FOR_PURPOSE")
        self.assertEqual(collect("nickname", "marketing-survey")[1]["error"]["code"], "PURPOSE_NOT_DECLARED")
        self.assertEqual(collect("precise-location", "nearby")[1]["error"]["code"], "OFF_FOR_MINORS")
        self.assertEqual(consent(["recommendation"], "REFUSE")[1]["consent"]["answer"], "REFUSED")
        self.assertEqual(collect("watch-history", "recommendation")[1]["error"]["code"], "CONSENT_REFUSED")
        self.assertEqual(c.probe(kid)["result"], "OK")  # basic features keep working
        self.assertEqual(c.call("POST", f"/v1/accounts/{kid['id']}/consents", {"purposes": ["account"], "noticeSha256": NOTICE,
                                                                              "answer": "GRANT"}, token=c.signup(age=40)["token"])[0], 403)
        export = c.ok("POST", f"/v1/accounts/{kid['id']}/data-requests", {"type": "EXPORT"}, token=kid["token"])
        self.assertEqual([(i["field"], i["value"]) for i in export["export"]["items"]], [("nickname", "v")])
        self.assertEqual(export["request"]["state"], "DONE")
        erase = c.ok("POST", f"/v1/accounts/{kid['id']}/data-requests", {"type": "ERASE"}, token=g["token"])
        self.assertEqual(erase["erasedCount"], 1)
        self.assertEqual(c.ok("POST", f"/v1/accounts/{kid['id']}/data-requests", {"type": "EXPORT"}, token=g["token"])["export"]["items"], [])
        teen = c.signup(age=15)
        self.assertEqual(c.call("POST", "/v1/me/data", {"field": "nickname", "purpose": "account", "value": "t"}, token=teen["token"])[0], 201)

    def test_usage_report(self):
        c = self.c
        c.at("2026-03-04T21:58:00")
        kid = c.signup(age=13, youth=True)
        g = c.guardian(kid)
        c.ping(kid, device="d1", seq=1)
        c.ping(kid, device="d2", seq=1)
        c.at("2026-03-04T22:01:00")
        for i in range(1, 4):
            self.assertEqual(c.ping(kid, device="d3", seq=i)["result"], "DENIED_NIGHT")
        c.ping(kid, device="d3", seq=3)  # a duplicate counts nothing
        c.ping(kid, device="d4", seq=1, cat="CALLS")
        day = c.ok("GET", f"/v1/family/children/{kid['id']}/usage?from=2026-03-04&to=2026-03-05", token=g["token"])["days"][0]
        self.assertEqual((day["usedSeconds"], day["exemptSeconds"], day["blocked"]["DENIED_NIGHT"]), (300, 60, 3))

    def test_logs_hold_no_secrets(self):
        c = self.c
        kid = c.signup(age=13, youth=True)
        c.guardian(kid)
        c.call("POST", "/v1/me/youth-mode/exit", {"guardianPin": WRONG}, token=kid["token"])
        c.hook("POST", "/v1/test/log-probe", {"text": f"for {kid['id']}: id 110105201303070027, phone 13800138000, pin=246810"})
        self.assertEqual(c.hook("GET", f"/v1/test/log-search?contains={kid['id']}")["matching"] > 0, True)
        for needle in ("110105201303070027", "13800138000", "246810"):
            self.assertEqual(c.hook("GET", f"/v1/test/log-search?contains={needle}")["matching"], 0, needle)
        log = self.srv.log_text()
        for secret in (kid["token"], PIN, WRONG, PASSWORD, TEST_KEY, STAFF, "13800138000"):
            self.assertNotIn(secret, log)


class DefectTests(unittest.TestCase):
    """Each planted defect, alone, breaks the rule its probe checks."""

    def test_each_defect_is_caught_by_its_probe(self):
        for name, probe in PROBES.items():
            with self.subTest(defect=name):
                srv = Server(defects=name)
                try:
                    self.assertFalse(probe(Client(srv.base)), f"{name} was not detected")
                finally:
                    srv.stop()

    def test_every_defect_has_a_probe(self):
        self.assertEqual(set(PROBES), set(KNOWN))
        self.assertGreaterEqual(len(KNOWN), 12)


if __name__ == "__main__":
    unittest.main()
