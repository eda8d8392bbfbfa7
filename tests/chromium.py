"""A headless Chromium driven over the DevTools protocol on a pipe: load a file with every
network path blocked, watch what the page asks for, evaluate, click, take a screenshot.

Chromium's own `--remote-debugging-pipe` speaks the protocol as NUL-separated JSON on file
descriptors 3 and 4, so no WebSocket client, no browser download and no package is needed:
only Debian's `chromium`. `browser()` skips the test when it is missing, or fails it where
COCOON_REQUIRE_CHROMIUM is set (scripts/test.sh sets it and installs chromium).
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

#: Everything that could reach a network is off or pointed nowhere.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
    "--remote-debugging-pipe",
)
#: A guard against a browser that hangs, not a timing assertion.
HANG_GUARD_S = 60.0


def chromium_path() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        if os.environ.get("COCOON_REQUIRE_CHROMIUM"):
            pytest.fail("COCOON_REQUIRE_CHROMIUM is set but chromium is not installed")
        pytest.skip("chromium not found: install Debian's chromium (scripts/test.sh does)")
    return exe


class Browser:
    """One Chromium process and the protocol messages on its pipe."""

    def __init__(self, exe: str, profile_dir: Path) -> None:
        to_r, to_w = os.pipe()
        from_r, from_w = os.pipe()
        # out of the way of 0-4, so the spawn's dup2 onto 3 and 4 cannot clobber a source fd
        src_r = fcntl.fcntl(to_r, fcntl.F_DUPFD_CLOEXEC, 10)
        src_w = fcntl.fcntl(from_w, fcntl.F_DUPFD_CLOEXEC, 10)
        log = os.open(profile_dir / "chromium.log", os.O_WRONLY | os.O_CREAT, 0o600)
        devnull = os.open(os.devnull, os.O_RDONLY)
        args = [exe, *FLAGS, f"--user-data-dir={profile_dir / 'profile'}", "about:blank"]
        try:
            self.pid = os.posix_spawn(
                exe,
                args,
                os.environ,
                file_actions=[
                    (os.POSIX_SPAWN_DUP2, devnull, 0),
                    (os.POSIX_SPAWN_DUP2, log, 1),
                    (os.POSIX_SPAWN_DUP2, log, 2),
                    (os.POSIX_SPAWN_DUP2, src_r, 3),
                    (os.POSIX_SPAWN_DUP2, src_w, 4),
                ],
            )
        finally:
            for fd in (to_r, from_w, src_r, src_w, log, devnull):
                os.close(fd)
        self.writer, self.reader = to_w, from_r
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> Any:
        """Call a protocol method and return its result; events that arrive meanwhile are kept."""
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.writer, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str) -> dict[str, Any]:
        """The first event of this kind, kept or still to come."""
        for event in self.events:
            if event.get("method") == method:
                return event
        while True:
            event = self._read()
            self.events.append(event)
            if event.get("method") == method:
                return event

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            ready, _, _ = select.select([self.reader], [], [], HANG_GUARD_S)
            if not ready:
                raise TimeoutError("chromium did not answer")
            chunk = os.read(self.reader, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed its protocol pipe")
            self.buffer += chunk
        message, _, self.buffer = self.buffer.partition(b"\0")
        parsed: dict[str, Any] = json.loads(message)
        return parsed

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (RuntimeError, TimeoutError, OSError):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.writer)
        os.close(self.reader)


class Page:
    """One tab of the browser, attached in flat mode."""

    def __init__(self, browser: Browser, width: int, height: int, mobile: bool = False) -> None:
        self.browser = browser
        self.target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = browser.send(
            "Target.attachToTarget", {"targetId": self.target, "flatten": True}
        )["sessionId"]
        for domain in ("Page", "Network", "Runtime", "Log"):
            self.call(f"{domain}.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
        )
        if mobile:  # a phone: touch events, pinch zoom
            self.call("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})

    def call(self, method: str, params: dict[str, Any] | None = None) -> Any:
        return self.browser.send(method, params, self.session)

    def load(self, path: Path) -> None:
        self.call("Page.navigate", {"url": path.resolve().as_uri()})
        self.browser.wait_for("Page.loadEventFired")
        self.browser.send("Target.activateTarget", {"targetId": self.target})
        self.frame()

    def frame(self) -> None:
        """Wait until the page has drawn a frame with what it has done so far."""
        self.call(
            "Runtime.evaluate",
            {
                "expression": "new Promise(r => requestAnimationFrame(() => "
                "requestAnimationFrame(() => r(true))))",
                "awaitPromise": True,
            },
        )

    def open(self, url: str) -> None:
        """Go to a URL of the server and wait until the page has loaded and drawn."""
        self.browser.events = [
            e for e in self.browser.events if e.get("method") != "Page.loadEventFired"
        ]
        self.call("Page.navigate", {"url": url})
        self.browser.wait_for("Page.loadEventFired")
        self.frame()

    def offline(self, off: bool) -> None:
        """Lose (or get back) the connection, as a phone in a dead spot does."""
        self.call(
            "Network.emulateNetworkConditions",
            {"offline": off, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
        )

    def wait_until(self, expression: str) -> Any:
        """Evaluate until the page says something truthy (a hang guard, not a timing check)."""
        import time

        deadline = time.monotonic() + HANG_GUARD_S
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"the page never got to: {expression}")
            time.sleep(0.05)

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def click(self, x: float, y: float) -> None:
        for kind in ("mousePressed", "mouseReleased"):
            self.call(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
            )

    def wheel(self, x: float, y: float, delta_y: float) -> None:
        self.call(
            "Input.dispatchMouseEvent",
            {"type": "mouseWheel", "x": x, "y": y, "deltaX": 0, "deltaY": delta_y},
        )

    def screenshot(self) -> bytes:
        return base64.b64decode(self.call("Page.captureScreenshot", {"format": "png"})["data"])

    def requests(self) -> list[str]:
        """The URLs the page asked for (the file itself included)."""
        return [
            e["params"]["request"]["url"]
            for e in self.browser.events
            if e.get("method") == "Network.requestWillBeSent" and e.get("sessionId") == self.session
        ]

    def problems(self) -> list[str]:
        """Script errors, console errors and browser log errors (CSP violations among them)."""
        out = []
        for e in self.browser.events:
            if e.get("sessionId") != self.session:
                continue
            method, params = e.get("method"), e.get("params", {})
            if method == "Runtime.exceptionThrown":
                out.append(str(params["exceptionDetails"]))
            elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
                out.append(str(params.get("args")))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                out.append(params["entry"].get("text", ""))
        return out


@contextmanager
def browser(tmp_path: Path) -> Iterator[Browser]:
    """A fresh headless Chromium with a throw-away profile; closed afterwards."""
    instance = Browser(chromium_path(), tmp_path)
    try:
        yield instance
    finally:
        instance.close()
