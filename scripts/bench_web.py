"""Benchmark: page load times of the field app on a small seeded installation, over a real
socket to waitress (`cocoon web`'s server), as each role sees them.

The installation is the web tests' town (tests/test_web_town.py: the service town near Kalmar,
its register and road grid, three burglaries with rosters planned, one user per role). Each page
is fetched --repeats times after one warm-up; the figures are the whole request as a client
sees it (connect, Flask, the use case, the template, the access-log write). Timings are
printed, never asserted.

    .venv/bin/python scripts/bench_web.py [--repeats 30]
"""

from __future__ import annotations

import argparse
import http.client
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cocoon.web.server import WebServer
from tests.test_web_town import PASSWORD, USERS, build

PAGES = {
    "admin": ["/", "/rosters/{key}", "/admin/users", "/admin/upload", "/admin/access",
              "/admin/access.csv"],
    "team": ["/", "/rosters/{key}"],
    "viewer": ["/"],
}  # fmt: skip


def fetch(
    port: int, method: str, path: str, cookie: str = "", body: dict[str, str] | None = None
) -> tuple[http.client.HTTPResponse, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": cookie} if cookie else {}
    data = None
    if body is not None:
        data = urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=data, headers=headers)
    response = conn.getresponse()
    text = response.read().decode("utf-8")
    conn.close()
    return response, text


def cookie(response: http.client.HTTPResponse, name: str) -> str:
    for header in response.headers.get_all("Set-Cookie") or []:
        if header.startswith(name + "="):
            return header.split(";")[0]
    raise SystemExit(f"no {name} cookie")


def log_in(port: int, role: str) -> tuple[str, float]:
    form, page = fetch(port, "GET", "/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    started = time.perf_counter()
    done, _ = fetch(port, "POST", "/login", cookie(form, "cocoon_login"), {
        "csrf_token": token.group(1), "username": USERS[role], "password": PASSWORD[role],
    })  # fmt: skip
    return cookie(done, "cocoon_session"), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        town = build(f"sqlite:///{root / 'cocoon.sqlite'}", root)
        server = WebServer(town.web, "127.0.0.1", 0)
        thread = threading.Thread(target=server.run)
        thread.start()
        port = server.address[1]
        print(f"{'role':7} {'page':22} {'median ms':>10} {'p95 ms':>8} {'worst ms':>9}")
        try:
            for role, pages in PAGES.items():
                session, login_s = log_in(port, role)
                print(f"{role:7} {'POST /login':22} {login_s * 1000:10.1f}")
                for page in pages:
                    path = page.format(key=town.roster_key)
                    fetch(port, "GET", path, session)  # warm-up
                    times = []
                    for _ in range(args.repeats):
                        started = time.perf_counter()
                        response, _ = fetch(port, "GET", path, session)
                        times.append((time.perf_counter() - started) * 1000)
                        assert response.status == 200, (path, response.status)
                    times.sort()
                    p95 = times[max(0, int(len(times) * 0.95) - 1)]
                    print(f"{role:7} {page:22} {statistics.median(times):10.1f} {p95:8.1f} "
                          f"{times[-1]:9.1f}")  # fmt: skip
        finally:
            server.stop()
            thread.join()
            town.app.engine.dispose()


if __name__ == "__main__":
    main()
