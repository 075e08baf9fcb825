#!/usr/bin/env python3
"""PyFamily: a family video backend (Python 3.11 standard library only) that does not use the TeenMode SDK.

    python3 samples/PyFamilyApp/app.py --port 5077 [--rules FILE] [--inventory FILE] [--content FILE] [--exit-with-stdin]

Environment: FAMILY_TEST_HOOKS_KEY (32+ chars, enables /v1/test/*), FAMILY_ENV, FAMILY_STAFF_TOKEN (32+ chars,
enables /v1/staff/*), FAMILY_DEFECTS (planted defects, comma-separated). See README.md.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from http.server import ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.join(HERE, "..", "..", "seeds")
sys.path.insert(0, HERE)

from pyfamily.defects import UnknownDefect  # noqa: E402
from pyfamily.inventory import InventoryError, load_inventory  # noqa: E402
from pyfamily.rules import RulePackError, load_rule_pack  # noqa: E402
from pyfamily.server import App, Config, ConfigError  # noqa: E402
from pyfamily.web import make_handler  # noqa: E402


def parse_args(argv):
    p = argparse.ArgumentParser(description="PyFamily sample app")
    p.add_argument("--port", type=int, default=5077, help="0 picks a free port")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--rules", default=os.path.join(SEEDS, "rules", "cn-cac-2024.json"))
    p.add_argument("--inventory", default=os.path.join(SEEDS, "inventory", "short-video-app.json"))
    p.add_argument("--content", default=os.path.join(SEEDS, "content", "sample-pool.json"),
                   help="sample catalog to load besides the seeded fam-* items ('' for none)")
    p.add_argument("--exit-with-stdin", action="store_true", help="stop when stdin closes")
    args = p.parse_args(argv)
    if not 0 <= args.port <= 65535:
        p.error("--port must be 0..65535")
    return args


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        config = Config.from_env(os.environ)
        app = App(load_rule_pack(args.rules), load_inventory(args.inventory), args.content or None, config)
    except (ConfigError, UnknownDefect, RulePackError, InventoryError, OSError, ValueError) as e:
        print(f"py-family: {e}", file=sys.stderr)
        return 2
    server = ThreadingHTTPServer((args.host, args.port), make_handler(app))
    server.daemon_threads = True
    port = server.server_address[1]
    print(f"listening http://{args.host}:{port}", flush=True)
    print(f"rule pack {app.pack.id} {app.pack.version} ({app.pack.zone_name}); test hooks {'ON' if app.hooks_on else 'off'}; "
          f"staff API {'on' if config.staff_digest else 'off'}; defects {','.join(sorted(config.defects.names)) or 'none'}",
          flush=True)

    def stop(*_):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.exit_with_stdin:
        def watch():
            sys.stdin.read()
            stop()
        threading.Thread(target=watch, daemon=True).start()
    server.serve_forever()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
