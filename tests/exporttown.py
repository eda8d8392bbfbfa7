"""A small town near Kalmar for the export tests: register, roads, burglaries at register
addresses, a visit plan with outcomes and a sign plan, all through the installation's use cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cocoon.app.installation import Installation
from cocoon.core.model import Dwelling, Road
from cocoon.core.profile import Profile
from cocoon.core.visits import Outcome
from cocoon.outputs import render
from cocoon.outputs.maps import ExportMap
from cocoon.sources.outcomes import OutcomeRow
from cocoon.store import roads as road_store
from tests.signtown import grid_town
from tests.support import make_app
from tests.towns import SWEREF, address, villa_street

#: The instant every export test looks at: a Tuesday morning.
AT = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
#: Report id, address (a register address), reported how long before AT.
BURGLARIES = (
    ("K-4711-26", "Storgatan 1, Kalmar", timedelta(days=1)),  # high risk
    ("K-4650-26", "Åkervägen 7, Kalmar", timedelta(days=20)),  # elevated, merged with the first
    ("K-4321-26", "Lindvägen 3, Kalmar", timedelta(days=30)),  # elevated, a zone of its own
)
REGISTER = [
    *villa_street("Storgatan", 0, 0, 30),
    *villa_street("Åkervägen", 220, -300, 30),
    *villa_street("Lindvägen", -60, 1500, 12),
    *[address("Parkgatan", "5", 60, 60, Dwelling.FLERBOSTADSHUS, f"pg5-{i}") for i in range(3)],
]


def burgled(report_id: str) -> tuple[str, str, float, float]:
    """The burgled address of a report: its label, register id and metric point."""
    label = next(a for rid, a, _ in BURGLARIES if rid == report_id)
    street_number = label.split(",")[0]
    home = next(a for a in REGISTER if f"{a.street} {a.number}" == street_number)
    x, y = SWEREF.point_to_metric(home.lon, home.lat)
    return street_number, home.address_id, x, y


def build(app: Installation, folder: Path) -> None:
    """Load the town into an initialised installation and plan what the teams do."""
    lines = ["address_id,street,number,town,lat,lon,dwelling"]
    lines += [
        f"{a.address_id},{a.street},{a.number},{a.town},{a.lat:.7f},{a.lon:.7f},"
        f"{a.dwelling.value if a.dwelling else ''}"
        for a in REGISTER
    ]
    (folder / "register.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    app.register.load_addresses(folder / "register.csv", AT - timedelta(days=40))
    roads = []
    for ln in grid_town(half_m=2000):
        lons, lats = SWEREF.to_wgs84(ln.xy[:, 0], ln.xy[:, 1])
        coords = tuple((float(lo), float(la)) for lo, la in zip(lons, lats, strict=True))
        roads.append(Road(ln.road_class, coords, ln.name))
    with app.engine.begin() as conn:
        road_store.replace_roads(conn, roads, "town.osm.pbf", AT - timedelta(days=40))
    rows = ["report_id,reported_at,address,premises"]
    rows += [
        f'{rid},{(AT - ago).strftime("%Y-%m-%dT%H:%M:%SZ")},"{label}",villa'
        for rid, label, ago in BURGLARIES
    ]
    (folder / "reports.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = app.reports.ingest(folder / "reports.csv", AT)
    assert result.created == len(BURGLARIES) and not result.rejections, result
    plan = app.visits.plan("K-4711-26", AT)
    outcomes = (Outcome.VISITED, Outcome.NOT_HOME, Outcome.DECLINED)
    for stop, outcome in zip(plan.stops, outcomes, strict=False):
        row = OutcomeRow(stop.address_id, outcome, AT, "lapp", "K-4711-26")
        app.visits.record_one(row, AT)
    app.signs.plan(AT)


FORMATS = ("gpkg", "geojson", "kml", "html", "png")


@dataclass
class Town:
    """The town's installation, its two maps at AT and one file per profile and format."""

    app: Installation
    folder: Path
    maps: dict[Profile, ExportMap]

    def file(self, profile: Profile, fmt: str) -> Path:
        return self.folder / f"{profile.value}.{fmt}"


def rendered(folder: Path) -> Town:
    """Build the town on SQLite in `folder` and write every export of it there."""
    app = make_app(f"sqlite:///{folder / 'c.sqlite'}", ingest={"rejects_dir": str(folder / "rej")})
    build(app, folder)
    town = Town(app, folder, {p: app.exports.map(AT, p) for p in Profile})
    for profile, content in town.maps.items():
        for fmt in FORMATS:
            town.file(profile, fmt).write_bytes(render(fmt, content))
    return town
