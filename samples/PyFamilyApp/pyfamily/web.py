"""A small JSON-over-HTTP layer on http.server: routes, request parsing, errors as values of the API."""

from __future__ import annotations

import json
import re
import urllib.parse
from http.server import BaseHTTPRequestHandler

MAX_BODY_BYTES = 64 * 1024


class ApiError(Exception):
    """A refusal the API document names: HTTP status plus an UPPER_SNAKE code."""

    def __init__(self, status: int, code: str, message: str = "", fields: dict | None = None):
        super().__init__(code)
        self.status, self.code, self.message, self.fields = status, code, message or code, fields

    def body(self) -> dict:
        err = {"code": self.code, "message": self.message}
        if self.fields:
            err["fields"] = self.fields
        return {"error": err}


class Fields:
    """Collects field errors so one answer names every bad field."""

    def __init__(self, body: dict | None):
        self.body = body or {}
        self.errors: dict[str, str] = {}

    def fail(self, name: str, why: str) -> None:
        self.errors.setdefault(name, why)

    def text(self, name: str, lo: int = 1, hi: int = 200, pattern: str | None = None, required: bool = True):
        v = self.body.get(name)
        if v is None:
            if required:
                self.fail(name, f"required: {lo}-{hi} characters")
            return None
        if not isinstance(v, str) or not lo <= len(v) <= hi or (pattern and not re.fullmatch(pattern, v)):
            self.fail(name, f"{lo}-{hi} characters" + (f" matching {pattern}" if pattern else ""))
            return None
        return v

    def integer(self, name: str, lo: int, hi: int, required: bool = True):
        v = self.body.get(name)
        if v is None:
            if required:
                self.fail(name, f"required: an integer {lo}..{hi}")
            return None
        if isinstance(v, float) and v.is_integer():
            v = int(v)  # JSON has one number type: 9e18 is a whole number too
        if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
            self.fail(name, f"an integer {lo}..{hi}")
            return None
        return v

    def one_of(self, name: str, allowed, required: bool = True):
        v = self.body.get(name)
        if v is None and not required:
            return None
        if v not in allowed:
            self.fail(name, "one of " + ", ".join(sorted(allowed)))
            return None
        return v

    def done(self) -> None:
        if self.errors:
            raise ApiError(400, "VALIDATION_FAILED", "some fields are invalid", self.errors)


class Request:
    def __init__(self, method: str, path: str, params: dict, query: dict, headers, body):
        self.method, self.path, self.params, self.query, self.headers, self.body = method, path, params, query, headers, body
        self.account = None  # set by the accounts module once the bearer token is checked

    def q(self, name: str, default: str | None = None) -> str | None:
        vals = self.query.get(name)
        return vals[0] if vals else default

    def bearer(self) -> str | None:
        h = self.headers.get("Authorization") or ""
        return h[7:].strip() if h[:7].lower() == "bearer " else None

    def fields(self) -> Fields:
        return Fields(self.body)


class Router:
    def __init__(self):
        self._routes: list[tuple[str, re.Pattern, object, str]] = []

    def add(self, method: str, pattern: str, handler, guard: str = "public") -> None:
        rx = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern) + "$")
        self._routes.append((method, rx, handler, guard))

    def match(self, method: str, path: str):
        allowed = False
        for m, rx, handler, guard in self._routes:
            hit = rx.match(path)
            if hit:
                if m == method:
                    return handler, guard, {k: urllib.parse.unquote(v) for k, v in hit.groupdict().items()}
                allowed = True
        if allowed:
            raise ApiError(405, "METHOD_NOT_ALLOWED", "this route takes another method")
        raise ApiError(404, "NOT_FOUND", "no such route")


def make_handler(app):
    """The request handler class for ThreadingHTTPServer; `app` decides guards and runs handlers."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body are written separately; with Nagle's algorithm on, a keep-alive client's delayed ACK
        # held every answer's body back about 40 ms.
        disable_nagle_algorithm = True
        server_version = "PyFamily"
        sys_version = ""

        def log_message(self, fmt, *args):  # the default logs query strings; ours masks and drops them
            pass

        def _serve(self):
            status, payload, extra = 500, {"error": {"code": "INTERNAL", "message": "internal error"}}, {}
            url = urllib.parse.urlsplit(self.path)
            try:
                body = self._read_body()
                handler, guard, params = app.router.match(self.command, url.path)
                req = Request(self.command, url.path, params, urllib.parse.parse_qs(url.query, keep_blank_values=True),
                              self.headers, body)
                status, payload, extra = app.dispatch(req, handler, guard)
            except ApiError as e:
                status, payload = e.status, e.body()
            except Exception as e:  # noqa: BLE001 - the kind only: bodies may hold PINs or personal data
                app.log.info(f"internal error on {self.command} {url.path}: {type(e).__name__}")
            code = (payload.get("error") or {}).get("code") if isinstance(payload, dict) else None
            result = payload.get("result") if isinstance(payload, dict) else None
            app.log.info(f"{self.command} {url.path} -> {status}{' ' + (code or result) if (code or result) else ''}")
            data = json.dumps(payload, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def _read_body(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY_BYTES:
                self.close_connection = True
                raise ApiError(413, "BAD_JSON", f"body larger than {MAX_BODY_BYTES} bytes")
            raw = self.rfile.read(length) if length else b""
            if not raw.strip():
                return None
            try:
                value = json.loads(raw)
            except (ValueError, UnicodeDecodeError):
                raise ApiError(400, "BAD_JSON", "body is not valid JSON") from None
            if not isinstance(value, dict):
                raise ApiError(400, "BAD_JSON", "body must be a JSON object")
            return value

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    return Handler
