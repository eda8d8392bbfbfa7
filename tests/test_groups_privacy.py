"""Group messages say what they may say and nothing more: every message of a busy month is
scanned for report ids, zone keys, burgled addresses (street and number), times of day and
coordinates, and none is found. The same scan finds each of them when one is planted."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest

from cocoon.app.groups import GroupCases
from cocoon.app.installation import Installation
from cocoon.core.addressing import parse_address_text
from cocoon.core.groups import Channel
from tests.servicetown import NOW, report_csv, service_app
from tests.support import SWEREF
from tests.test_groups_delivery import GROUPS, wkt
from tests.towns import ORIGIN

#: A month of burglaries in the town: (report id, days before NOW, address).
BURGLARIES = [
    ("5000-K1001-26", 40.0, "Storgatan 12"),  # elevated by NOW: some groups hear of it so
    ("5000-K1002-26", 3.0, "Storgatan 1"),
    ("5000-K1003-26", 2.5, "Storgatan 29"),
    ("5000-K1004-26", 0.2, "Parkgatan 5"),
    ("5000-K1005-26", -20.0, "Storgatan 7"),  # after the first zone ended: news again
    ("5000-K1006-26", -21.0, "Långtbortvägen 1"),  # a late report near the group far away
]
LATE = "5000-K1006-26"
#: A time of day (09:40, 9.40), a coordinate or a metric easting/northing.
TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\b")
COORDINATE = re.compile(r"\d+[.,]\d{3,}|\d{5,}")
ZONE_ID = re.compile(r"\bZ-[0-9A-Z]{4}-[0-9A-Z]{4}\b")


@dataclass
class Recorder:
    """A courier that keeps every message it is handed: (channel, to, subject, body)."""

    sent: list[tuple[Channel, str, str, str]] = field(default_factory=list)

    def deliver(self, channel: Channel, to: str, subject: str, body: str) -> None:
        self.sent.append((channel, to, subject, body))


def leaks(text: str, reports: list[tuple[str, str]], zone_keys: set[str]) -> list[str]:
    """What a text says that a group message must not: report ids, zone ids and keys, burgled
    addresses (street and number, any spacing or case), times of day, coordinates."""
    found = [f"report id {rid}" for rid, _ in reports if rid in text]
    found += [f"zone key {key}" for key in zone_keys if key in text]
    found += [f"zone id {m}" for m in ZONE_ID.findall(text)]
    for _, address in reports:
        parsed = parse_address_text(address)
        assert parsed is not None
        door = rf"\b{re.escape(parsed.street)}\s*{re.escape(parsed.number)}\b"
        found += [f"address {m}" for m in re.findall(door, text, flags=re.IGNORECASE)]
    found += [f"time {m}" for m in TIME.findall(text)]
    found += [f"coordinate {m}" for m in COORDINATE.findall(text)]
    return found


@pytest.fixture
def busy_month(db_url: str, tmp_path: Path) -> Iterator[tuple[Installation, Recorder, list[str]]]:
    """The town's groups (and one in English) told of a month of burglaries, pass by pass."""
    app = service_app(db_url, tmp_path)
    path = tmp_path / "grupper.csv"
    english = f'EN,Neighbourhood Watch,"Ed, ed@example.se","{wkt(-50, -50, 50, 50)}",,en\n'
    path.write_text(GROUPS.replace("addresses\n", "addresses,language\n", 1) + english, "utf-8")
    assert app.groups.load(path, NOW - timedelta(days=60)).rejections == []
    recorder = Recorder()
    groups = GroupCases(app.context, recorder)
    for rid, days, address in BURGLARIES:
        at = NOW - timedelta(days=days)
        file = tmp_path / f"{rid}.csv"
        file.write_text(report_csv((rid, at - timedelta(hours=1), address)), "utf-8")
        if rid == LATE:  # found after a holiday, placed by coordinates: elevated from the start
            lon, lat = SWEREF.point_to_wgs84(ORIGIN[0] + 2900, ORIGIN[1] + 2900)
            file.write_text(
                "report_id,reported_at,occurred_to,lat,lon,premises\n"
                f"{rid},{(at - timedelta(hours=1)).isoformat()},"
                f"{(at - timedelta(days=20)).isoformat()},{lat:.6f},{lon:.6f},villa\n",
                "utf-8",
            )
        app.reports.ingest(file, at)
        groups.send(at)
    stored = [m.body for m in groups.messages()] + [m.subject for m in groups.messages()]
    yield app, recorder, stored
    app.engine.dispose()


def zone_keys(app: Installation) -> set[str]:
    from sqlalchemy import select

    from cocoon.store.schema import reports

    with app.engine.connect() as conn:
        return set(conn.execute(select(reports.c.zone_key)).scalars())


def test_no_group_message_carries_a_report_id_an_address_a_time_or_a_point(
    busy_month: tuple[Installation, Recorder, list[str]],
) -> None:
    app, recorder, stored = busy_month
    levels = {m.level for m in GroupCases(app.context).messages()}
    assert levels == {"high", "elevated"}  # both kinds of message were made and scanned
    assert len(recorder.sent) >= 8 and any("Neighbourhood Watch" in b for *_, b in recorder.sent)
    reports = [(rid, address) for rid, _, address in BURGLARIES]
    keys = zone_keys(app)
    for channel, to, subject, body in recorder.sent:
        assert leaks(subject, reports, keys) == [], (to, subject)
        assert leaks(body, reports, keys) == [], (channel, to, body)
    for words in stored:  # what the database keeps to send again
        assert leaks(words, reports, keys) == []


def test_a_message_is_four_short_lines_and_nothing_more(
    busy_month: tuple[Installation, Recorder, list[str]],
) -> None:
    _, recorder, _ = busy_month
    for *_, body in recorder.sent:
        head, *advice, call = body.split("\n")
        assert len(advice) == 2 and "112" in call and "114 14" in call
        streets = re.findall(r"(?:kring|around) (.*?) (?:t\.o\.m\.|through)", head)
        named = len(head.split(":")[0]) + sum(len(s) for s in streets)
        assert len(body) - named <= 320, body  # short: the words around the names


@pytest.mark.parametrize(
    ("plant", "found"),
    [
        (" Anmälan 5000-K1002-26.", "report id 5000-K1002-26"),
        (" Inbrottet skedde på storgatan  1.", "address storgatan  1"),
        (" Kl. 09:40.", "time 09:40"),
        (" Plats 56.66341, 16.35680.", "coordinate 56.66341"),
        (" Punkt 6283512 E.", "coordinate 6283512"),
    ],
)
def test_the_scan_finds_what_is_planted_in_a_real_message(
    busy_month: tuple[Installation, Recorder, list[str]], plant: str, found: str
) -> None:
    app, recorder, _ = busy_month
    reports = [(rid, address) for rid, _, address in BURGLARIES]
    body = recorder.sent[0][3]
    assert leaks(body, reports, zone_keys(app)) == []
    head, rest = body.split("\n", 1)
    assert found in leaks(f"{head}{plant}\n{rest}", reports, zone_keys(app))


def test_the_scan_finds_a_planted_zone_key(
    busy_month: tuple[Installation, Recorder, list[str]],
) -> None:
    app, recorder, _ = busy_month
    key = sorted(zone_keys(app))[0]
    reports = [(rid, address) for rid, _, address in BURGLARIES]
    assert f"zone key {key}" in leaks(recorder.sent[0][3] + f" ({key})", reports, {key})


def test_the_days_said_are_local_days_not_instants(
    busy_month: tuple[Installation, Recorder, list[str]],
) -> None:
    _, recorder, _ = busy_month
    month = (
        r"(januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)"
    )
    for *_, body in recorder.sent:
        head = body.split("\n")[0]
        if "Neighbourhood Watch" in head:
            continue
        assert re.search(rf"t\.o\.m\. \d{{1,2}} {month}", head), head
