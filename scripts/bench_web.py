"""Benchmark: page load times of the field app over a real socket to waitress (`cocoon web`'s
server), as each role sees them.

The installation is the web tests' town (tests/test_web_town.py: the service town near Kalmar,
its register and road grid, three burglaries with rosters planned, one user per role), or with
--demo a copy of the demo's database (`bash scripts/demo.sh` builds var/demo: central Helsinki,
its OpenStreetMap roads and addresses, its demo logins). Each page is fetched --repeats times
after one warm-up; the figures are the whole request as a client sees it (connect, Flask, the
use case, the template, the access-log write) and the size of the answer. Timings are printed,
never asserted.

    .venv/bin/python scripts/bench_web.py [--repeats 30] [--demo]
"""

from __future__ import annotations

import argparse
import http.client
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cocoon.web.server import WebServer
from tests.test_web_town import PASSWORD, USERS, build

PAGES = {
    "admin": ["/", "/zones/{zone}", "/rosters/{key}", "/rosters/{key}/roster.pdf", "/signs",
              "/visits", "/admin/reports", "/admin/users", "/admin/upload", "/admin/access",
              "/admin/access.csv"],
    "team": ["/", "/rosters/{key}"],
    "viewer": ["/", "/zones/{zone}", "/signs"],
}  # fmt: skip
#: The demo's logins (scripts/demo.sh).
DEMO_USERS = {role: f"demo-{role}" for role in USERS}
DEMO_PASSWORD = "cocoon-demo-2026"


def fetch(
    port: int, method: str, path: str, cookie: str = "", body: dict[str, str] | None = None
) -> tuple[http.client.HTTPResponse, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": cookie} if cookie else {}
    data = None
    if body is not None:
        data = urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=data, headers=headers)
    response = conn.getresponse()
    text = response.read()
    conn.close()
    return response, text


def cookie(response: http.client.HTTPResponse, name: str) -> str:
    for header in response.headers.get_all("Set-Cookie") or []:
        if header.startswith(name + "="):
            return header.split(";")[0]
    raise SystemExit(f"no {name} cookie")


def log_in(port: int, name: str, password: str) -> tuple[str, float]:
    form, page = fetch(port, "GET", "/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.decode("utf-8"))
    assert token is not None
    started = time.perf_counter()
    done, _ = fetch(port, "POST", "/login", cookie(form, "cocoon_login"), {
        "csrf_token": token.group(1), "username": name, "password": password,
    })  # fmt: skip
    return cookie(done, "cocoon_session"), time.perf_counter() - started


def demo_web(root: Path):  # type: ignore[no-untyped-def]
    """The field app on a copy of var/demo's database, with the demo's settings."""
    from cocoon.app.installation import Installation
    from cocoon.config import load_settings
    from cocoon.web import create_app

    source = Path("var/demo/cocoon.sqlite")
    if not source.is_file():
        raise SystemExit("no var/demo/cocoon.sqlite: run `bash scripts/demo.sh` first")
    shutil.copy(source, root / "demo.sqlite")
    settings = load_settings(
        "config/demo-helsinki.toml", {"COCOON_DATABASE__URL": f"sqlite:///{root / 'demo.sqlite'}"}
    )
    app = Installation(settings)
    app.check()
    return app, create_app(app)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--demo", action="store_true", help="the demo's data (var/demo)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        if args.demo:
            app, web = demo_web(root)
            users, passwords = DEMO_USERS, dict.fromkeys(USERS, DEMO_PASSWORD)
        else:
            town = build(f"sqlite:///{root / 'cocoon.sqlite'}", root)
            app, web, users, passwords = town.app, town.web, USERS, PASSWORD
        at = datetime.now(UTC)
        roster = max(app.field.rosters(app.users.get(users["admin"]), at), key=lambda r: r.stops)
        print(f"{len(app.zones(at))} zones; roster {roster.key} of {roster.stops} stops")
        server = WebServer(web, "127.0.0.1", 0)
        thread = threading.Thread(target=server.run)
        thread.start()
        port = server.address[1]
        print(f"{'role':7} {'page':26} {'median ms':>10} {'p95 ms':>8} {'worst ms':>9} {'kB':>7}")
        try:
            for role, pages in PAGES.items():
                session, login_s = log_in(port, users[role], passwords[role])
                print(f"{role:7} {'POST /login':26} {login_s * 1000:10.1f}")
                for page in pages:
                    path = page.format(key=roster.key, zone=roster.zone_id)
                    fetch(port, "GET", path, session)  # warm-up
                    times = []
                    size = 0
                    for _ in range(args.repeats):
                        started = time.perf_counter()
                        response, body = fetch(port, "GET", path, session)
                        size = len(body)
                        times.append((time.perf_counter() - started) * 1000)
                        assert response.status == 200, (path, response.status)
                    times.sort()
                    p95 = times[max(0, int(len(times) * 0.95) - 1)]
                    print(f"{role:7} {page:26} {statistics.median(times):10.1f} {p95:8.1f} "
                          f"{times[-1]:9.1f} {size / 1024:7.1f}")  # fmt: skip
        finally:
            server.stop()
            thread.join()
            app.engine.dispose()


if __name__ == "__main__":
    main()
