"""Hostile text in every field that reaches an output: report ids, burgled addresses, address
ids, street names, towns, road names (hence sign descriptions) and the teams' notes carry
newlines, CR, NUL, vertical tabs, tabs, quotes, markup, spreadsheet formulas, a right-to-left
override, zero-width characters and 10 KB. A value a reader refuses is refused naming its
field; a value it takes is harmless in every output: rosters, sign plans, daily lists, map
exports (internal and public), the alert log and the alert mails.

The town is built and every output made once per module, through the command line (the alerts
through the alert use case and a local SMTP server, as the service sends them).
"""

from __future__ import annotations

import csv
import email
import email.policy
import io
import json
import os
import re
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pyogrio
import pytest
import shapely
from aiosmtpd.controller import Controller
from pyogrio import raw

from tests import hostile
from tests.hostile import HOSTILE, Ran
from tests.support import SWEREF, make_app
from tests.test_alerts import Relay, free_port
from tests.test_export_formats import map_data

VALUES = list(HOSTILE.values())
NEAR_M = 50.0
EXPORT_FORMATS = ("gpkg", "geojson", "kml", "html", "png")


@dataclass(repr=False)
class Town:
    """The hostile town once every output is made: its folder, database and command runs."""

    root: Path
    db: Path
    homes: np.ndarray  # the burgled points, metric
    layout: hostile.HostileTown
    ran: dict[str, Ran] = field(default_factory=dict)
    mails: list[EmailMessage] = field(default_factory=list)
    alerted: list[str] = field(default_factory=list)
    alert_error: str = ""

    def files(self, *patterns: str) -> list[Path]:
        return sorted(p for pattern in patterns for p in self.root.glob(pattern) if p.is_file())


def _filled_in(rosters: list[Path]) -> str:
    """The rosters' CSVs as the teams hand them back, in one file: every stop visited, with
    a hostile note on each."""
    rows = [
        row
        for roster in rosters
        for row in csv.DictReader(io.StringIO(roster.read_text(encoding="utf-8"), newline=""))
    ]
    out = io.StringIO()
    header = [*(rows[0] if rows else ["address_id"]), "outcome", "note"]
    writer = csv.DictWriter(out, header, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    for n, row in enumerate(rows):
        writer.writerow(row | {"outcome": "besökt", "note": VALUES[n % len(VALUES)]})
    return out.getvalue()


def _alerts(town: Town, url: str) -> None:
    """The alert pass of the service, mailing through a local SMTP server."""
    relay = Relay(free_port())
    controller = Controller(relay, hostname="127.0.0.1", port=relay.port)
    controller.start()
    service = town.root / "service"
    try:
        app = make_app(
            url,
            service={
                "outbox_dir": str(service / "outbox"),
                "alert_log": str(service / "outbox" / "alerts.log"),
                "inbox_dir": str(service / "inbox"),
            },
            mail={
                "smtp_host": "127.0.0.1",
                "smtp_port": relay.port,
                "recipients": ["kp@example.se"],
                "timeout_seconds": 5,
            },
        )
        try:
            sent = app.alerts.send(datetime.now(UTC))
            town.alerted = sent.alerted
            town.alert_error = "; ".join(f"{k}: {v}" for k, v in sent.failed.items())
        except Exception as exc:  # the pass itself must not fail: on record for the test
            town.alert_error = f"{type(exc).__name__}: {exc}"
        finally:
            app.engine.dispose()
    finally:
        controller.stop()
    town.mails = [
        email.message_from_bytes(m.as_bytes(), policy=email.policy.default)  # type: ignore[misc]
        for m in relay.received
    ]


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Town:
    root = tmp_path_factory.mktemp("hostile-town")
    db = root / "c.sqlite"
    url = hostile.sqlite_url(db)
    layout = hostile.hostile_files(root)
    built = Town(root, db, np.array(layout.homes), layout)

    def step(name: str, *args: str) -> Ran:
        built.ran[name] = ran = hostile.run(root, url, *args)
        return ran

    step("init", "init")
    step("load-addresses", "load-addresses", "register.csv")
    step("load-roads", "load-roads", "roads.geojson")
    step("ingest", "ingest", "reports.csv")
    step("visits new", "visits", "new", "--out", "rosters")
    (root / "filled.csv").write_text(
        _filled_in(sorted((root / "rosters").glob("*.csv"))), encoding="utf-8"
    )
    step("visits record", "visits", "record", "filled.csv")
    for fmt in ("pdf", "geojson", "csv"):
        step(f"signs {fmt}", "signs", "-o", f"signs/signs.{fmt}")
    step("daily", "daily", "--out", "daily")
    exports = [(p, f) for p in ("internal", "public") for f in EXPORT_FORMATS]
    runs = hostile.in_parallel(
        [
            (
                lambda p=p, f=f: hostile.run(
                    root, url, "export", "--profile", p, "-o", f"exports/{p}.{f}"
                )
            )
            for p, f in exports
        ],
        workers=2,
    )
    built.ran |= {f"export {p} {f}": r for (p, f), r in zip(exports, runs, strict=True)}
    _alerts(built, url)
    return built


# --- the readers: stored, or refused naming the field ----------------------------------------


def _refusals(ran: Ran) -> dict[int, str]:
    """The lines of stderr that name a row, by the row's line number."""
    return {
        int(m.group(1)): line
        for line in ran.stderr.splitlines()
        if (m := re.search(r"\bline (\d+)\b", line))
    }


#: command, input file, table, key column, the fields a refusal may name, what marks the i-th
#: value's row in the key (the value itself may be stored cleaned), the i-th value's row.
READERS = {
    "reports": (
        "ingest",
        "reports.csv",
        "reports",
        "report_id",
        ("report_id", "address"),
        hostile.report_tag,
        "report_rows",
    ),
    "register": (
        "load-addresses",
        "register.csv",
        "addresses",
        "address_id",
        ("address_id", "street", "town"),
        lambda i: f"#{i}-1",
        "address_rows",
    ),
}


@pytest.mark.parametrize("reader", READERS)
def test_a_hostile_value_is_stored_or_refused_naming_its_field(town: Town, reader: str) -> None:
    command, file, table, key, fields, mark, rows_of = READERS[reader]
    row_of = getattr(town.layout, rows_of)
    ran = town.ran[command]
    assert "Traceback" not in ran.stderr, str(ran)
    stored = [r[0] for r in hostile.rows(town.db, f"SELECT {key} FROM {table}")]
    lines = hostile.record_lines((town.root / file).read_text(encoding="utf-8"))
    refusals = _refusals(ran)
    problems = []
    for i, name in enumerate(HOSTILE):
        if any(mark(i) in s for s in stored):
            continue
        first, last = lines[row_of[i]]
        refusal = refusals.get(first) or refusals.get(last)
        if refusal is None:
            problems.append(f"{name}: neither stored nor refused (its row: lines {first}-{last})")
        elif not any(f"field {f}" in refusal for f in fields):
            problems.append(f"{name}: refused without naming {fields}: {refusal[:200]!r}")
    assert problems == [], "\n".join([*problems, str(ran)])


def test_every_command_runs_on_hostile_values_without_a_traceback(town: Town) -> None:
    failed = [
        str(ran)
        for name, ran in town.ran.items()
        if "Traceback" in ran.stdout + ran.stderr
        or ran.returncode
        not in (
            (0, 1) if name in ("ingest", "load-addresses", "load-roads", "visits record") else (0,)
        )
    ]
    assert failed == [], "\n".join(failed)


def test_the_rosters_filled_in_are_recorded_whole(town: Town) -> None:
    """The roster CSVs as written, with outcomes added, are read back: no stop is unknown, and
    only a note holding a character a field may not hold (NUL, a bidi override) is refused,
    naming its line and the field."""
    rosters = town.files("rosters/*.csv")
    assert rosters, f"no roster was written:\n{town.ran['visits new']}"
    ran = town.ran["visits record"]
    refused = [ln for ln in ran.stderr.splitlines() if ln.strip().startswith("rejected:")]
    assert all(re.search(r"filled\.csv, line \d+, field note: ", ln) for ln in refused), str(ran)
    assert f" {len(refused)} rejected" in ran.stdout, str(ran)
    planned = hostile.count(
        town.db, "SELECT count(*) FROM visits v JOIN visit_plans p ON p.report_id = v.report_id"
    )
    done = hostile.count(town.db, "SELECT count(*) FROM visits WHERE outcome IS NOT NULL")
    assert done == planned - len(refused), f"{done} of {planned} stops recorded\n{ran}"


def test_report_ids_alike_but_for_punctuation_get_a_roster_and_an_outbox_folder_each(
    town: Town,
) -> None:
    """'Kollision/1' and 'Kollision:1' are two reports: neither's files replace the other's."""
    written = re.findall(r"written: (.+)$", town.ran["visits new"].stdout, re.M)
    twice = sorted(p for p, n in Counter(written).items() if n > 1)
    shared = hostile.rows(
        town.db, "SELECT folder, count(*) FROM alerts GROUP BY folder HAVING count(*) > 1"
    )
    assert (twice, shared) == ([], []), str(town.ran["visits new"])


# --- the outputs ------------------------------------------------------------------------------


def _cells(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def _numeric(cell: str) -> bool:
    try:
        float(cell.replace(",", "."))
    except ValueError:
        return False
    return True


def test_no_csv_output_has_a_cell_a_spreadsheet_would_run_as_a_formula(town: Town) -> None:
    files = town.files(
        "rosters/*.csv", "signs/*.csv", "daily/*.csv", "service/outbox/*/*.csv", "var/rejects/*.csv"
    )
    assert files
    found = []
    for path in files:
        rows = _cells(path)
        for n, row in enumerate(rows[1:], start=2):
            if len(row) != len(rows[0]):
                found.append(f"{path.name} row {n}: {len(row)} cells under {len(rows[0])} columns")
            found += [
                f"{path.relative_to(town.root)} row {n}: {cell[:60]!r}"
                for cell in row
                if cell.startswith(hostile.FORMULA_STARTS) and not _numeric(cell)
            ]
    assert found == [], "\n".join(found[:40])


class _Tags(HTMLParser):
    """The elements of an HTML text, and the content of each script."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append((self._in_script, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)


def markup_problems(text: str) -> list[str]:
    """What hostile values made of an HTML text: elements, handlers, scripts, broken data."""
    parser = _Tags()
    parser.feed(text)
    parser.close()
    found = [f"<{tag}> element" for tag, _ in parser.tags if tag in ("img", "b")]
    found += [
        f"<{tag} {name}=…>" for tag, attrs in parser.tags for name in attrs if name.startswith("on")
    ]
    for attrs, content in parser.scripts:
        if attrs.get("type") == "application/json":
            try:
                json.loads(content)
            except ValueError:
                found.append(f"a JSON script element that is no longer JSON: {content[:80]!r}")
        elif "alert(" in content:
            found.append(f"a script that runs a hostile value: {content[:80]!r}")
    return found


def test_html_outputs_carry_the_hostile_values_as_text_not_markup(town: Town) -> None:
    files = town.files("exports/*.html", "daily/*.html")
    found = [
        f"{pattern}: not written (see the commands' runs)"
        for pattern in (
            "exports/internal.html",
            "exports/public.html",
            "daily/daily-????-??-??.html",
            "daily/daily-*-map.html",
        )
        if not town.files(pattern)
    ]
    for path in files:
        found += [f"{path.name}: {p}" for p in markup_problems(path.read_text(encoding="utf-8"))]
    assert found == [], "\n".join(found)


def test_kml_exports_are_well_formed_and_their_balloons_carry_no_markup(town: Town) -> None:
    found = []
    for path in town.files("exports/*.kml"):
        try:
            root = ET.fromstring(path.read_bytes())
        except ET.ParseError as exc:
            found.append(f"{path.name} is not well-formed XML: {exc}")
            continue
        for element in root.iter("{http://www.opengis.net/kml/2.2}description"):
            found += [f"{path.name}: {p}" for p in markup_problems(element.text or "")]
    assert found == [], "\n".join(found)


def test_every_output_is_whole_and_readable(town: Town) -> None:
    found = []
    for folder in ("rosters", "signs", "daily", "exports", "service/outbox"):
        found += hostile.half_written(town.root / folder)
    for pdf in town.files("rosters/*.pdf", "signs/*.pdf", "daily/*.pdf"):
        try:
            pdf_text(pdf)
        except AssertionError as exc:
            found.append(str(exc))
    assert found == [], "\n".join(found)


# --- privacy: public outputs show no report, burgled address or point ---------------------------


def pdf_text(path: Path) -> str:
    """The PDF's text (pdftotext); AssertionError if pdftotext cannot read the file."""
    exe = shutil.which("pdftotext")
    if exe is None:
        if os.environ.get("COCOON_REQUIRE_PDFTOTEXT"):
            pytest.fail("COCOON_REQUIRE_PDFTOTEXT is set but pdftotext (poppler-utils) is missing")
        pytest.skip("pdftotext not found: install poppler-utils (scripts/test.sh does)")
    done = subprocess.run([exe, str(path), "-"], capture_output=True, check=False)
    if done.returncode != 0:
        raise AssertionError(f"pdftotext cannot read {path.name}: {done.stderr[:200]!r}")
    return done.stdout.decode("utf-8", "replace")


def secrets_in(text: str) -> list[str]:
    tags = [hostile.report_tag(i) for i in range(len(VALUES))]
    tags += [hostile.address_tag(i) for i in range(len(VALUES))]
    tags += list(hostile.LOOKALIKE_IDS)
    return [t for t in tags if t in text]


def nearest_home_m(town: Town, xy: np.ndarray) -> float:
    """The least distance from metric points to any burgled home."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    if not len(xy):
        return float("inf")
    d = np.hypot(xy[:, None, 0] - town.homes[None, :, 0], xy[:, None, 1] - town.homes[None, :, 1])
    return float(d.min())


def metric(lonlat: np.ndarray) -> np.ndarray:
    lonlat = np.asarray(lonlat, dtype=float).reshape(-1, 2)
    x, y = SWEREF.to_metric(lonlat[:, 0], lonlat[:, 1])
    return np.column_stack([x, y])


def points_of(path: Path) -> np.ndarray:
    """Every coordinate a map file holds, as metric points (the HTML map's drawn ones)."""
    if path.suffix == ".geojson":
        data = json.loads(path.read_text(encoding="utf-8"))
        coords = [
            shapely.get_coordinates(shapely.from_geojson(json.dumps(f["geometry"])))
            for f in data["features"]
            if f.get("geometry")
        ]
        return metric(np.vstack([np.empty((0, 2)), *coords]))
    if path.suffix == ".kml":
        pairs = re.findall(r"(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)", path.read_text("utf-8"))
        return metric(np.array(pairs, dtype=float))
    if path.suffix == ".gpkg":
        found = [np.empty((0, 2))]
        for name, kind in pyogrio.list_layers(path):
            if kind is None:
                continue
            meta, _, wkb, _ = raw.read(str(path), layer=str(name))
            if wkb is not None and len(wkb):
                xy = shapely.get_coordinates(shapely.from_wkb(wkb))
                found.append(xy if meta["crs"] == "EPSG:3006" else metric(xy))
        return np.vstack(found)
    data = map_data(path)  # the offline HTML map: metric, from an origin
    origin = np.array(data["origin"], dtype=float)
    found = [origin.reshape(1, 2)]
    for layer in data["layers"]:
        for f in layer["features"]:
            rings = f["g"] if layer["kind"] == "area" else [f["g"]]
            found += [np.array(ring, dtype=float).reshape(-1, 2) + origin for ring in rings]
    found.append(np.array(data["addresses"], dtype=float).reshape(-1, 2) + origin)
    return np.vstack(found)


MAP_FILES = ("geojson", "kml", "gpkg", "html")


def public_files(town: Town) -> list[Path]:
    """Files that leave the police: the public maps, the sign plan's GeoJSON and CSV; and
    the papers a burgled home must not be named on: rosters and the daily list."""
    return town.files(
        "exports/public.*",
        "signs/signs.geojson",
        "signs/signs.csv",
        "rosters/*",
        "daily/*.pdf",
        "daily/*.csv",
        "daily/daily-????-??-??.html",
        "service/outbox/*/roster.*",
        "service/outbox/*/signs.geojson",
        "service/outbox/*/signs.csv",
    )


def test_no_public_output_shows_a_report_id_or_burgled_address(town: Town) -> None:
    found = []
    for path in public_files(town):
        if path.suffix == ".pdf":
            text = pdf_text(path)
        elif path.suffix == ".png":
            text = path.read_bytes().decode("latin-1")
        else:
            text = path.read_bytes().decode("utf-8", "replace")
        found += [f"{path.relative_to(town.root)}: {s}" for s in secrets_in(text)]
    assert found == [], "\n".join(found)


def test_no_public_map_or_sign_plan_has_a_point_near_a_burgled_home(town: Town) -> None:
    found = []
    files = [town.root / "exports" / f"public.{fmt}" for fmt in MAP_FILES]
    for path in [*files, town.root / "signs" / "signs.geojson"]:
        if not path.exists():
            found.append(f"{path.name}: not written")
        elif (nearest := nearest_home_m(town, points_of(path))) <= NEAR_M:
            found.append(f"{path.name}: a point {nearest:.0f} m from a burgled home")
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("fmt", MAP_FILES)
def test_the_same_scans_find_the_burglaries_in_the_internal_export(town: Town, fmt: str) -> None:
    """The scans above can see what they look for."""
    path = town.root / "exports" / f"internal.{fmt}"
    assert secrets_in(path.read_bytes().decode("utf-8", "replace"))
    assert nearest_home_m(town, points_of(path)) < 1.0


# --- the alert log and mails ---------------------------------------------------------------------

ALERT_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (LARM|ALERT) ")


def test_the_alert_pass_alerts_every_stored_report_at_high_risk(town: Town) -> None:
    stored = hostile.count(
        town.db, "SELECT count(*) FROM reports WHERE geom IS NOT NULL AND retracted_at IS NULL"
    )
    assert town.alert_error == "", town.alert_error
    assert len(town.alerted) == stored > 0


def test_the_alert_log_has_one_line_per_alert(town: Town) -> None:
    log = town.root / "service" / "outbox" / "alerts.log"
    lines = log.read_text(encoding="utf-8").splitlines()
    alerts = hostile.count(town.db, "SELECT count(*) FROM alerts")
    bad = [ln[:120] for ln in lines if not ALERT_LINE.match(ln)]
    assert (len(lines), bad) == (alerts, []), f"{len(lines)} lines for {alerts} alerts"


def test_every_alert_mail_is_sent_with_no_control_character_in_a_header(town: Town) -> None:
    alerts = hostile.count(town.db, "SELECT count(*) FROM alerts")
    found = []
    for msg in town.mails:
        for name, value in msg.items():
            bad = sorted({f"U+{ord(c):04X}" for c in str(value) if unicodedata.category(c) == "Cc"})
            if bad:
                found.append(f"{name}: {str(value)[:80]!r} has {bad}")
    assert (len(town.mails), found) == (alerts, []), "\n".join(found)


# --- values a database cannot keep ----------------------------------------------------------


def test_a_value_postgresql_cannot_keep_is_refused_naming_its_field_or_kept_whole(
    db_url: str, tmp_path: Path
) -> None:
    """A NUL in a report id, an address id over the 64 characters of its column: on either
    database the good rows are stored, and the bad one is kept as given or refused by name."""
    from sqlalchemy import create_engine, text

    assert hostile.run(tmp_path, db_url, "init").returncode == 0
    reports = hostile.table(
        hostile.REPORT_COLUMNS,
        hostile.good_report("G1"),
        {**hostile.good_report("B1"), "report_id": "Nul\x00id"},
        hostile.good_report("G2", 2),
        quote_all=True,
    )
    (tmp_path / "reports.csv").write_text(reports, encoding="utf-8")
    register = hostile.table(
        hostile.REGISTER_COLUMNS,
        hostile.good_address("ny-1", "1", 0),
        hostile.good_address("a" * 65, "3", 20),
        hostile.good_address("ny-2", "2", 10),
    )
    (tmp_path / "reg.csv").write_text(register, encoding="utf-8")
    cases = [
        ("ingest", "reports.csv", "reports", "report_id", "Nul\x00id", ("G1", "G2")),
        ("load-addresses", "reg.csv", "addresses", "address_id", "a" * 65, ("ny-1", "ny-2")),
    ]
    engine = create_engine(db_url)
    found = []
    try:
        for command, file, table, key, bad, good in cases:
            ran = hostile.run(tmp_path, db_url, command, file)
            with engine.connect() as conn:
                stored = {r[0] for r in conn.execute(text(f"SELECT {key} FROM {table}"))}
            named = any(
                file in ln and "line 3" in ln and f"field {key}" in ln
                for ln in ran.stderr.splitlines()
            )
            if "Traceback" in ran.stdout + ran.stderr or ran.returncode not in (0, 1):
                found.append(f"{command} failed:\n{ran}")
            elif not set(good) <= stored:
                found.append(f"{command}: the good rows {good} are not all stored:\n{ran}")
            elif bad not in stored and not named:
                found.append(f"{command}: {bad[:20]!r} neither kept nor refused by name:\n{ran}")
    finally:
        engine.dispose()
    if found:
        pytest.fail("\n".join(found), pytrace=False)
