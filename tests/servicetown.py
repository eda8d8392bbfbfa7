"""An installation as the service runs it: folders under tmp_path, the town's register loaded."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cocoon.app.installation import Installation
from cocoon.core.model import Dwelling
from tests.support import make_app
from tests.towns import ORIGIN, SWEREF, address, register_csv, villa_street

#: The tests' present: a Friday morning in November.
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def service_app(url: str, root: Path, **sections: dict[str, object]) -> Installation:
    """An initialised installation whose service folders lie under `root`, with a register."""
    service = {
        "inbox_dir": str(root / "inbox"),
        "processed_dir": str(root / "processed"),
        "rejected_dir": str(root / "rejected"),
        "outbox_dir": str(root / "outbox"),
        "alert_log": str(root / "outbox" / "alerts.log"),
        "daily_dir": str(root / "daily"),
        "settle_seconds": 0,
    }
    service.update(sections.pop("service", {}))
    app = make_app(url, ingest={"rejects_dir": str(root / "rejects")}, service=service, **sections)
    register = [
        *villa_street("Storgatan", 0, 0, 30),
        *[address("Parkgatan", "5", 60, 60, Dwelling.FLERBOSTADSHUS, f"pg5-{i}") for i in range(3)],
    ]
    path = root / "register.csv"
    path.write_text(register_csv(register), encoding="utf-8")
    app.register.load_addresses(path, NOW - timedelta(days=30))
    roads = root / "roads.geojson"
    roads.write_text(json.dumps(road_network()), encoding="utf-8")
    app.register.load_roads(roads, NOW - timedelta(days=30))
    return app


def road_network() -> dict[str, object]:
    """A grid of residential streets 150 m apart round the town's origin, with names."""
    features = []
    for i, offset in enumerate(range(-600, 601, 150)):
        for name, line in (
            (f"Gata {i}", [(-600, offset), (600, offset)]),
            (f"Väg {i}", [(offset, -600), (offset, 600)]),
        ):
            coords = [SWEREF.point_to_wgs84(ORIGIN[0] + x, ORIGIN[1] + y) for x, y in line]
            features.append({
                "type": "Feature",
                "properties": {"highway": "residential", "name": name},
                "geometry": {"type": "LineString", "coordinates": coords},
            })  # fmt: skip
    return {"type": "FeatureCollection", "features": features}


def report_csv(*rows: tuple[str, datetime, str]) -> str:
    """A report file of (report_id, reported_at, address) rows: villa burglaries in the town."""
    lines = ["report_id,reported_at,address,premises"]
    lines += [f'{rid},{at.isoformat()},"{where}, Kalmar",villa' for rid, at, where in rows]
    return "\n".join(lines) + "\n"


def drop(folder: Path, name: str, text: str, written: datetime | None = None) -> Path:
    """Put a file into the inbox as a careful writer does: NAME.part first, then renamed.

    `written` sets its modification time (default: a minute before NOW), since the tests'
    instants are fixed, not the clock's.
    """
    folder.mkdir(parents=True, exist_ok=True)
    part = folder / f"{name}.part"
    part.write_text(text, encoding="utf-8")
    path = part.rename(folder / name)
    stamp = (written or NOW - timedelta(minutes=1)).timestamp()
    os.utime(path, (stamp, stamp))
    return path
