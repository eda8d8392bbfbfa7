"""The login in a real browser (headless Chromium, every network path but the loopback
blocked): the Secure session cookie is kept over http://127.0.0.1, as `cocoon web`'s default
serves it, and the pages ask for nothing outside the server and break no CSP rule."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from cocoon.web.server import WebServer
from tests import chromium as chromium_module
from tests.chromium import Page, browser
from tests.test_web_town import PASSWORD, Town, build


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Town, str]]:
    town = build(f"sqlite:///{tmp_path / 'cocoon.sqlite'}", tmp_path)
    server = WebServer(town.web, "127.0.0.1", 0)
    thread = threading.Thread(target=server.run)
    thread.start()
    try:
        yield town, server.url
    finally:
        server.stop()
        thread.join()
        town.app.engine.dispose()


def navigate(page: Page, url: str) -> None:
    page.call("Page.navigate", {"url": url})
    page.browser.wait_for("Page.loadEventFired")
    page.frame()


@pytest.fixture
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every host name still resolves to nothing, but 127.0.0.1 (the server) is reachable."""
    flags = tuple(
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
        if flag.startswith("--host-resolver-rules") else flag
        for flag in chromium_module.FLAGS
    )  # fmt: skip
    monkeypatch.setattr(chromium_module, "FLAGS", flags)


def test_a_phone_logs_in_over_loopback_http_and_loads_nothing_from_outside(
    served: tuple[Town, str], tmp_path: Path, loopback_only: None
) -> None:
    town, url = served
    with browser(tmp_path) as chromium:
        page = Page(chromium, 390, 844)  # a phone's window
        navigate(page, url + "/")
        assert page.evaluate("location.pathname") == "/login"
        page.evaluate(
            "document.querySelector('[name=username]').value = 'team1';"
            f"document.querySelector('[name=password]').value = {PASSWORD['team']!r};"
            "document.querySelector('form.login').submit()"
        )
        chromium.wait_for("Page.loadEventFired")
        page.frame()
        assert page.evaluate("location.pathname") == "/"
        assert town.roster_key in page.evaluate("document.body.innerText")
        assert page.evaluate("document.cookie") == ""  # HttpOnly: no script reads the session
        navigate(page, f"{url}/rosters/{town.roster_key}")
        assert "Storgatan" in page.evaluate("document.body.innerText")
        outside = [u for u in page.requests() if not u.startswith(url)]
        assert outside == []
        assert page.problems() == []
