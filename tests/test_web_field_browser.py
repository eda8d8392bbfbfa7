"""The field app in a real browser (headless Chromium over its DevTools pipe, every network path
but the loopback blocked): a team on a phone-sized window records outcomes, loses and regains
the connection, and `cocoon visits status` shows each outcome once; every page loads nothing
from outside the server and breaks no CSP rule."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from cocoon.web.guard import SAFE_METHODS
from tests.chromium import Page, browser
from tests.servicetown import NOW
from tests.test_web_browser import loopback_only as loopback_only  # the fixture
from tests.test_web_browser import served as served  # the fixture
from tests.test_web_town import PASSWORD, USERS, Town

PHONE = (390, 844)


def log_in(page: Page, url: str, role: str) -> None:
    page.open(url + "/login")
    page.evaluate(
        f"document.querySelector('[name=username]').value = {USERS[role]!r};"
        f"document.querySelector('[name=password]').value = {PASSWORD[role]!r};"
        "document.querySelector('form.login').submit()"
    )
    page.browser.wait_for("Page.loadEventFired")
    page.wait_until("location.pathname === '/'")


def tap(page: Page, stop: int, outcome: str, note: str = "", saw: str = "") -> None:
    """Tap an outcome of the stop'th card with a real touch of the finger on its button."""
    fill = (
        f"card.querySelector('[name=note]').value = {note!r};"
        f"card.querySelector('[name=saw_what]').value = {saw!r};"
    )
    box = page.evaluate(
        "(() => { const card = document.querySelectorAll('li.stop')["
        + str(stop)
        + "];"
        + fill
        + f"const b = card.querySelector('button[value={outcome}]');"
        "b.scrollIntoView({block: 'center'}); const r = b.getBoundingClientRect();"
        "return [r.x + r.width / 2, r.y + r.height / 2]; })()"
    )
    page.frame()
    point = {"x": box[0], "y": box[1]}
    page.call("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [point]})
    page.call("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def unsent(page: Page) -> int:
    return int(page.evaluate("document.getElementById('queue').dataset.unsent"))


def visits_status(town: Town) -> list[str]:
    """`cocoon visits status` on the town's database: the line of the team's zone."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("COCOON_")}
    environment["COCOON_OUTPUT__LANGUAGE"] = "en"
    done = subprocess.run(
        [sys.executable, "-m", "cocoon.cli", "--db", town.app.settings.database.url,
         "visits", "status", "--at", NOW.isoformat()],
        env=environment, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith(town.zone_id))
    return line.split()[-3:]  # done, not at home, pending


#: What the browser logs for the requests a test cut off on purpose.
CUT_OFF = ("net::ERR_INTERNET_DISCONNECTED", "net::ERR_CONNECTION_RESET")


def problems_but_the_cut_off(page: Page) -> list[str]:
    return [p for p in page.problems() if not p.endswith(CUT_OFF)]


def stored_taps(town: Town) -> list[tuple[str, str]]:
    return [(t.address_id, t.outcome) for t in town.app.field.taps("5000-K1-26")]


def test_a_team_records_outcomes_through_a_dead_spot_and_each_is_kept_once(
    served: tuple[Town, str], tmp_path: Path, loopback_only: None
) -> None:
    town, url = served
    stops = len(town.app.field.roster(town.app.users.get("team1"), town.roster_key, NOW).stops)
    with browser(tmp_path) as chromium:
        page = Page(chromium, *PHONE, mobile=True)
        log_in(page, url, "team")
        page.open(f"{url}/rosters/{town.roster_key}")
        page.wait_until("document.getElementById('roster').dataset.ready === '1'")
        assert page.evaluate("document.querySelectorAll('.stop-mark').length") == stops
        assert (
            page.evaluate("document.querySelector('.stop-mark').textContent") == "1·1"
        )  # sheet·stop

        tap(page, 0, "visited")
        page.wait_until("document.getElementById('queue').dataset.unsent === '0'")
        assert page.evaluate("document.getElementById('queue').textContent") == (
            "Alla utfall skickade."
        )

        page.offline(True)  # the dead spot
        tap(page, 1, "not_home", note="lapp i brevlådan")
        tap(page, 2, "declined", saw="en vit skåpbil vid 02")
        page.wait_until("document.getElementById('queue').dataset.unsent === '2'")
        page.wait_until("document.getElementById('queue').textContent.includes('ingen anslutning')")
        assert page.evaluate("document.getElementById('queue').textContent").startswith(
            "2 ej skickade"
        )
        assert len(stored_taps(town)) == 1
        kept = page.evaluate(f"localStorage.getItem('cocoon.taps.team1.{town.roster_key}')")
        assert [t["outcome"] for t in json.loads(kept)] == ["not_home", "declined"]

        page.offline(False)  # back in reach: the queue goes by itself
        page.wait_until("document.getElementById('queue').dataset.unsent === '0'")
        assert page.evaluate("document.querySelector('li.stop.unsent')") is None
        page.open(f"{url}/rosters/{town.roster_key}")  # the server's own view of the roster
        states = page.evaluate(
            "[...document.querySelectorAll('li.stop')].slice(0, 3).map(s => s.dataset.outcome)"
        )
        assert states == ["visited", "not_home", "declined"]
        assert problems_but_the_cut_off(page) == []
    assert visits_status(town) == ["2", "1", str(stops - 3)]
    assert sorted(stored_taps(town)) == sorted(
        (a, o) for a, o in zip(
            [s.address_id for s in town.app.field.roster(
                town.app.users.get("team1"), town.roster_key, NOW).stops[:3]],
            ["visited", "not_home", "declined"], strict=True,
        )
    )  # fmt: skip
    stop = town.app.field.roster(town.app.users.get("team1"), town.roster_key, NOW).stops[2]
    assert stop.saw_what == "en vit skåpbil vid 02"


def test_a_roster_reopened_in_a_dead_spot_comes_from_the_phone_until_logout(
    served: tuple[Town, str], tmp_path: Path, loopback_only: None
) -> None:
    town, url = served
    roster = f"{url}/rosters/{town.roster_key}"
    with browser(tmp_path) as chromium:
        page = Page(chromium, *PHONE, mobile=True)
        log_in(page, url, "team")
        page.open(roster)
        page.wait_until("document.getElementById('roster').dataset.offlineCopy === '1'")
        tap(page, 0, "visited")
        page.wait_until("document.getElementById('queue').dataset.unsent === '0'")

        page.offline(True)  # the dead spot, and the page reloaded in it
        page.open(roster)
        page.wait_until("document.getElementById('roster').dataset.ready === '1'")
        assert page.evaluate("!!navigator.serviceWorker.controller")
        assert page.evaluate("document.querySelector('.leaflet-container') !== null")
        first = "document.querySelectorAll('li.stop')[0].dataset.outcome"
        assert page.evaluate(first) == "visited"  # sent from this phone after the copy was kept
        tap(page, 1, "not_home")
        page.wait_until("document.getElementById('queue').dataset.unsent === '1'")
        assert len(stored_taps(town)) == 1

        page.offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        page.wait_until("document.getElementById('queue').dataset.unsent === '0'")
        assert sorted(o for _, o in stored_taps(town)) == ["not_home", "visited"]

        page.evaluate("document.querySelector('form.logout').submit()")
        page.browser.wait_for("Page.loadEventFired")
        page.wait_until("location.pathname === '/login'")
        page.wait_until(  # logging out leaves no roster on the phone (asked again each time)
            "(caches.keys().then(k => { window.kept = k.length; }), window.kept === 0)"
        )
        page.offline(True)
        page.open(roster)
        assert page.evaluate("document.getElementById('roster')") is None
        assert problems_but_the_cut_off(page) == []


def test_a_tap_whose_answer_is_lost_is_sent_again_and_recorded_once(
    served: tuple[Town, str], tmp_path: Path, loopback_only: None
) -> None:
    town, url = served
    with browser(tmp_path) as chromium:
        page = Page(chromium, *PHONE, mobile=True)
        log_in(page, url, "team")
        page.open(f"{url}/rosters/{town.roster_key}")
        page.wait_until("document.getElementById('roster').dataset.ready === '1'")
        # the server answers, but the answer never reaches the phone
        page.call("Fetch.enable", {"patterns": [{"urlPattern": "*/outcomes",
                                                  "requestStage": "Response"}]})  # fmt: skip
        tap(page, 0, "visited")
        paused = chromium.wait_for("Fetch.requestPaused")
        assert paused["params"]["responseStatusCode"] == 200
        lost = {"requestId": paused["params"]["requestId"], "errorReason": "ConnectionReset"}
        page.call("Fetch.failRequest", lost)
        page.wait_until("document.getElementById('queue').textContent.includes('ingen anslutning')")
        assert unsent(page) == 1 and len(stored_taps(town)) == 1  # kept by the server already
        page.call("Fetch.disable")
        page.evaluate("window.dispatchEvent(new Event('online'))")
        page.wait_until("document.getElementById('queue').dataset.unsent === '0'")
        assert problems_but_the_cut_off(page) == []
    assert len(stored_taps(town)) == 1
    repeats = [e for e in town.app.access.entries() if "(repeat)" in e.detail]
    assert len(repeats) == 1


def get_pages(town: Town) -> dict[str, list[str]]:
    """Every page (GET route) of the app, per role that may see it."""
    values = {"key": town.roster_key, "zone_id": town.zone_id}
    paths = {"admin": [], "team": [], "viewer": []}
    wanted = {
        "today": ("admin", "team", "viewer"), "zone": ("admin", "viewer"),
        "signs": ("admin", "viewer"), "visits": ("admin",), "roster": ("admin", "team"),
        "users": ("admin",), "upload": ("admin",), "reports": ("admin",),
        "access_page": ("admin",),
    }  # fmt: skip
    for rule in town.web.url_map.iter_rules():
        if rule.endpoint not in wanted or not set(rule.methods or ()) & set(SAFE_METHODS):
            continue
        path = rule.rule
        for arg in rule.arguments:
            path = path.replace(f"<{arg}>", values[arg])
        for role in wanted[rule.endpoint]:
            paths[role].append(path)
    return paths


def test_every_page_loads_nothing_from_outside_the_server_and_breaks_no_csp_rule(
    served: tuple[Town, str], tmp_path: Path, loopback_only: None
) -> None:
    town, url = served
    html_routes = {r.endpoint for r in town.web.url_map.iter_rules()} - {
        "static", "leaflet", "offline_worker", "login", "logout", "access_csv", "roster_pdf",
    }  # fmt: skip
    seen: set[str] = set()
    for role, paths in get_pages(town).items():
        (tmp_path / role).mkdir()
        with browser(tmp_path / role) as chromium:
            page = Page(chromium, *PHONE, mobile=True)
            log_in(page, url, role)
            for path in paths:
                page.open(url + path)
                assert page.evaluate("location.pathname") == path, (role, path)
                if page.evaluate("!!document.getElementById('map')"):
                    page.wait_until("document.getElementById('map').dataset.ready === '1'")
                    assert page.evaluate("!!document.querySelector('.leaflet-container')")
                seen.add(path)
            outside = [u for u in page.requests() if not u.startswith(url)]
            assert outside == [], role
            assert page.problems() == [], role
    endpoints = {town.web.url_map.bind("x").match(p)[0] for p in seen}
    assert {e for e in html_routes if e not in endpoints} <= {
        "add_user", "disable_user", "set_password", "assign", "unassign", "check_sign",
        "record", "locate", "retract",
    }  # fmt: skip


def test_street_names_are_drawn_along_the_roads_as_text(
    served: tuple[Town, str], tmp_path: Path, loopback_only: None
) -> None:
    town, url = served
    with browser(tmp_path) as chromium:
        page = Page(chromium, *PHONE, mobile=True)
        log_in(page, url, "viewer")
        page.open(f"{url}/zones/{town.zone_id}")
        page.wait_until("document.getElementById('map').dataset.ready === '1'")
        names = page.evaluate(
            "[...document.querySelectorAll('.road-label span')].map(s => s.textContent)"
        )
        assert names, "no street name on the map"
        assert len(names) == len(set(names)) or len(names) > 3  # decluttered, not piled up
        assert page.evaluate("document.querySelectorAll('.road-label script').length") == 0
        (tmp_path / "viewer.png").write_bytes(page.screenshot())
        assert page.problems() == []
