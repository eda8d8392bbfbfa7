"""`cocoon web` as a real process: waitress serves the pages, the cookies and headers go over
a real socket, SIGTERM stops it cleanly, and `--with-service` runs the service beside it."""

from __future__ import annotations

import http.client
import os
import re
import select
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

#: A guard against a server that never starts or stops, not a timing assertion.
HANG_GUARD_S = 60.0


def environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COCOON_")}
    env.update(COCOON_OUTPUT__LANGUAGE="en", COCOON_DB=f"sqlite:///{tmp_path / 'c.sqlite'}")
    for key, folder in (("INBOX_DIR", "inbox"), ("DAILY_DIR", "daily"), ("OUTBOX_DIR", "outbox")):
        env[f"COCOON_SERVICE__{key}"] = str(tmp_path / folder)
    env["COCOON_SERVICE__ALERT_LOG"] = str(tmp_path / "outbox" / "alerts.log")
    return env


def cocoon(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cocoon.cli", *args], cwd=tmp_path, env=environment(tmp_path),
        input=stdin, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


class Served:
    """A `cocoon web` process and where it listens."""

    def __init__(self, process: subprocess.Popen[str], url: str) -> None:
        self.process = process
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None, cookie: str = ""
    ) -> tuple[http.client.HTTPResponse, str]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=HANG_GUARD_S)
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

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGTERM)
        _, err = self.process.communicate(timeout=HANG_GUARD_S)
        return self.process.returncode, err


def serve(
    tmp_path: Path,
    *args: str,
    command: tuple[str, ...] = ("web", "--port", "0"),
    env: dict[str, str] | None = None,
) -> Served:
    process = subprocess.Popen(
        [sys.executable, "-m", "cocoon.cli", *command, *args],
        cwd=tmp_path, env={**environment(tmp_path), **(env or {})},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stderr is not None
    seen = ""
    while True:
        ready, _, _ = select.select([process.stderr], [], [], HANG_GUARD_S)
        line = process.stderr.readline() if ready else ""
        if not line:
            process.kill()
            pytest.fail(f"cocoon web did not start: {seen}")
        seen += line
        found = re.search(r"serving on (http://\S+)", line)
        if found:
            return Served(process, found.group(1))


@pytest.fixture
def installed(tmp_path: Path) -> Path:
    assert cocoon(tmp_path, "init").returncode == 0
    added = cocoon(tmp_path, "users", "add", "anna", "--role", "admin", stdin="ett långt lösen\n")
    assert added.returncode == 0, added.stderr
    return tmp_path


@pytest.fixture
def served(installed: Path) -> Iterator[Served]:
    server = serve(installed)
    yield server
    if server.process.poll() is None:
        server.process.kill()
        server.process.wait()


def cookie_of(response: http.client.HTTPResponse, name: str) -> tuple[str, str]:
    for header in response.headers.get_all("Set-Cookie") or []:
        if header.startswith(f"{name}="):
            return header.split(";")[0], header
    raise AssertionError(f"no {name} cookie")


def log_in(served: Served) -> tuple[str, str]:
    """The session cookie (name=value) and its Set-Cookie header, through the login form."""
    form, page = served.request("GET", "/login")
    login_cookie, _ = cookie_of(form, "cocoon_login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    body = {"csrf_token": token.group(1), "username": "anna", "password": "ett långt lösen"}
    done, _ = served.request("POST", "/login", body, cookie=login_cookie)
    assert done.status == 302
    return cookie_of(done, "cocoon_session")


def test_the_real_server_logs_in_with_a_secure_httponly_cookie_and_stops_on_sigterm(
    served: Served,
) -> None:
    anonymous, _ = served.request("GET", "/")
    assert anonymous.status == 302 and anonymous.headers["Location"].startswith("/login")
    session, header = log_in(served)
    assert "HttpOnly" in header and "Secure" in header and "SameSite=Lax" in header
    today, page = served.request("GET", "/", cookie=session)
    assert today.status == 200 and "anna" in page
    assert today.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert today.headers["Server"] == "cocoon"
    style, _ = served.request("GET", "/static/app.css")
    assert style.status == 200
    status, err = served.stop()
    assert status == 0
    assert err.strip().endswith("cocoon web: stopped")


def test_the_real_server_shows_no_traceback_for_a_malformed_request(served: Served) -> None:
    session, _ = log_in(served)
    response, page = served.request("POST", "/admin/users", {"csrf_token": "x"}, cookie=session)
    assert response.status == 403 and "Traceback" not in page
    response, page = served.request("GET", "/%ff%fe/../../etc/passwd", cookie=session)
    assert response.status == 404 and "root:" not in page
    served.stop()


def test_with_the_service_beside_it_both_run_and_stop_together(installed: Path) -> None:
    server = serve(installed, "--with-service", "--log-format", "json")
    try:
        status = cocoon(installed, "status")
        assert "service: running" in status.stdout
        response, _ = server.request("GET", "/login")
        assert response.status == 200
    finally:
        code, err = server.stop()
    assert code == 0, err
    assert '"event": "service.stopped"' in err
    assert "service: not running" in cocoon(installed, "status").stdout


def test_serve_with_web_runs_the_field_app_beside_the_jobs(installed: Path) -> None:
    with socket.socket() as probe:  # a free port: serve takes it from the settings
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = serve(
        installed, "--log-format", "json", command=("serve", "--web"),
        env={"COCOON_WEB__PORT": str(port)},
    )  # fmt: skip
    try:
        assert "service: running" in cocoon(installed, "status").stdout
        response, _ = server.request("GET", "/login")
        assert response.status == 200
    finally:
        code, err = server.stop()
    assert code == 0, err
    assert "service: not running" in cocoon(installed, "status").stdout


def test_a_second_service_makes_the_web_app_with_service_fail_in_one_line(
    installed: Path,
) -> None:
    first = serve(installed, "--with-service")
    try:
        second = subprocess.run(
            [sys.executable, "-m", "cocoon.cli", "web", "--port", "0", "--with-service"],
            cwd=installed, env=environment(installed), capture_output=True, text=True,
            timeout=HANG_GUARD_S,
        )  # fmt: skip
    finally:
        first.stop()
    assert second.returncode == 1
    assert "cocoon: error:" in second.stderr and "Traceback" not in second.stderr
