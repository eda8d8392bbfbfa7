"""The field app's test town: the service town with reports, a roster, and one user per role,
and the helpers the web tests share (a moving clock, logging in, a form's CSRF token)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cocoon.app.access import Actor
from cocoon.app.installation import Installation
from cocoon.web import create_app
from tests.servicetown import NOW, report_csv, service_app
from tests.towns import ORIGIN, SWEREF

PASSWORD = {
    "admin": "kommunpolis-lösen-1", "team": "besöksteam-lösen-2", "viewer": "patrull-lösen-3"
}  # fmt: skip
USERS = {"admin": "anna", "team": "team1", "viewer": "patrull"}
#: A street name and a report id that would run a script if a page did not escape them.
EVIL_STREET = '<script>alert("gata")</script>vägen'
EVIL_REPORT = '<script>alert("id")</script>K1'
CLI = Actor("root", "cli", "command line")


class Clock:
    """The app's `now`: fixed, moved by the tests."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def move(self, **delta: float) -> None:
        self.at += timedelta(**delta)


@dataclass
class Town:
    app: Installation
    web: Flask
    clock: Clock
    roster_key: str  # the roster given to the team
    other_key: str  # a roster of another zone, not given
    root: Path
    report_ids: list[str] = field(default_factory=list)

    @property
    def zone_id(self) -> str:
        """The zone of the team's roster."""
        admin = self.app.users.get("anna")
        return next(
            r.zone_id
            for r in self.app.field.rosters(admin, self.clock())
            if r.key == self.roster_key
        )


def build(url: str, root: Path, **sections: dict[str, object]) -> Town:
    """The service town with three burglaries (one with a script for an id), rosters planned,
    a road with a script for a name through the zone, and anna, team1 and patrull."""
    app = service_app(url, root, **sections)
    evil = root / "evil-road.geojson"
    line = [SWEREF.point_to_wgs84(ORIGIN[0] + x, ORIGIN[1] + 10) for x in (-300, 300)]
    evil.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"highway": "primary", "name": EVIL_STREET},
        "geometry": {"type": "LineString", "coordinates": line},
    }]}), encoding="utf-8")  # fmt: skip
    app.register.load_roads(evil, NOW - timedelta(days=20))
    reports = root / "reports.csv"
    reports.write_text(
        report_csv(("5000-K1-26", NOW - timedelta(hours=3), "Storgatan 7"),
                   (EVIL_REPORT, NOW - timedelta(hours=2), "Storgatan 20")),
        encoding="utf-8",
    )  # fmt: skip
    far = SWEREF.point_to_wgs84(ORIGIN[0] + 5000, ORIGIN[1] + 5000)
    elsewhere = root / "elsewhere.csv"
    elsewhere.write_text(
        "report_id,reported_at,lat,lon,premises\n"
        f"5000-K9-26,{(NOW - timedelta(days=2)).isoformat()},{far[1]},{far[0]},villa\n",
        encoding="utf-8",
    )
    for path in (reports, elsewhere):
        result = app.reports.ingest(path, NOW)
        assert not result.rejections, result.rejections
    for rid in ("5000-K1-26", "5000-K9-26"):
        app.visits.plan(rid, NOW)
    for role, name in USERS.items():
        app.users.add(name, role, PASSWORD[role], NOW - timedelta(days=1), CLI)
    app.users.add("reserv", "team", PASSWORD["team"], NOW - timedelta(days=1), CLI)  # a target
    admin = app.users.get("anna")
    keys = {r.key: r for r in app.field.rosters(admin, NOW)}
    key_of = {
        rid: k
        for k in keys
        for z in app.zones(NOW)
        for lr in z.reports
        if lr.report.zone_key == k and (rid := lr.report.report_id)
    }
    app.users.assign("team1", "roster", key_of["5000-K1-26"], NOW, CLI)
    clock = Clock(NOW)
    return Town(app, create_app(app, clock), clock, key_of["5000-K1-26"], key_of["5000-K9-26"],
                root, ["5000-K1-26", EVIL_REPORT, "5000-K9-26"])  # fmt: skip


@pytest.fixture
def town(db_url: str, tmp_path: Path) -> Iterator[Town]:
    built = build(db_url, tmp_path)
    yield built
    built.app.engine.dispose()


def client(town: Town, address: str = "127.0.0.1") -> FlaskClient:
    c = town.web.test_client()
    c.environ_base["REMOTE_ADDR"] = address
    return c


_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def token_in(html: str) -> str:
    found = _TOKEN.search(html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def login(c: FlaskClient, name: str, password: str) -> tuple[int, str]:
    """Open the login form, send it; the status and the page (or where it redirects)."""
    form = c.get("/login")
    response = c.post(
        "/login",
        data={"csrf_token": token_in(form.text), "username": name, "password": password},
    )
    return response.status_code, response.headers.get("Location") or response.text


def logged_in(town: Town, role: str, address: str = "127.0.0.1") -> FlaskClient:
    c = client(town, address)
    status, _ = login(c, USERS[role], PASSWORD[role])
    assert status == 302
    return c


def page_token(c: FlaskClient) -> str:
    return token_in(c.get("/").text)


def test_the_town_has_a_roster_for_the_team_and_one_of_another_zone(town: Town) -> None:
    team = town.app.users.get("team1")
    assert [r.key for r in town.app.field.rosters(team, NOW)] == [town.roster_key]
    assert town.other_key != town.roster_key
