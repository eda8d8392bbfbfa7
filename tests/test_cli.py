"""The command line as a user runs it: exit status, one-line errors, the zones contract."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape

NOW = datetime.now(UTC).replace(microsecond=0)
SWEDISH = {"COCOON_OUTPUT__LANGUAGE": "sv"}


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def cocoon(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`cocoon --db … ARGS` as a process in `tmp_path`; in English (the language the assertions
    read) unless `env` sets COCOON_OUTPUT__LANGUAGE."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("COCOON_")}
    environment["COCOON_OUTPUT__LANGUAGE"] = "en"
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "cocoon.cli", "--db", f"sqlite:///{tmp_path / 'c.sqlite'}", *args],
        cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.fixture
def initialised(tmp_path: Path) -> Path:
    assert cocoon(tmp_path, "init").returncode == 0
    return tmp_path


def write_reports(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "reports.csv"
    path.write_text(
        "report_id,reported_at,lat,lon,premises\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    return path


def test_init_says_where_the_database_is(tmp_path: Path) -> None:
    result = cocoon(tmp_path, "init")
    assert result.returncode == 0 and "database ready" in result.stdout


def test_command_before_init_fails_with_one_line(tmp_path: Path) -> None:
    result = cocoon(tmp_path, "zones")
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == "cocoon: error: the database has no cocoon schema; run `cocoon init` first"
    )


def test_bad_config_fails_with_one_line_naming_the_setting(tmp_path: Path) -> None:
    (tmp_path / "c.toml").write_text("[risk]\nradius_m = 'far'\n")
    result = cocoon(tmp_path, "--config", "c.toml", "init")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "risk.radius_m" in result.stderr


def test_ingest_with_rejected_rows_exits_non_zero_and_keeps_the_good_rows(
    initialised: Path,
) -> None:
    path = write_reports(
        initialised, f"K1,{iso(NOW)},56.66,16.36,villa", "K2,not-a-time,56.66,16.36,villa"
    )
    result = cocoon(initialised, "ingest", str(path))
    assert result.returncode == 1
    assert "1 new" in result.stdout and "1 rejected" in result.stdout
    assert "reports.csv, line 3, field reported_at" in result.stderr
    assert list((initialised / "var" / "rejects").glob("reports-*.rejects.csv"))
    assert cocoon(initialised, "zones", "-o", "z.geojson").returncode == 0


def test_ingest_of_a_missing_file_names_it(initialised: Path) -> None:
    result = cocoon(initialised, "ingest", "nowhere.csv")
    assert result.returncode == 1 and "nowhere.csv: cannot read" in result.stderr


def test_zones_geojson_follows_the_contract(initialised: Path) -> None:
    old, new = iso(NOW - timedelta(days=20)), iso(NOW - timedelta(days=1))
    path = write_reports(
        initialised,
        f"OLD,{old},56.6600,16.3600,villa",
        f"NEW,{new},56.6610,16.3650,radhus",
        f"FAR,{new},57.7000,11.9700,lagenhet",
    )
    assert cocoon(initialised, "ingest", str(path)).returncode == 0
    result = cocoon(initialised, "zones", "-o", "zones.geojson", env=SWEDISH)
    assert result.returncode == 0, result.stderr
    assert "Riskzoner" in result.stdout and "2 zoner" in result.stdout
    data = json.loads((initialised / "zones.geojson").read_text(encoding="utf-8"))
    props = [f["properties"] for f in data["features"]]
    assert {(p["level"], tuple(p["report_ids"])) for p in props} == {
        ("high", ("OLD", "NEW")), ("elevated", ("OLD", "NEW")), ("high", ("FAR",))
    }  # fmt: skip
    merged = [f for f in data["features"] if "OLD" in f["properties"]["report_ids"]]
    assert len({f["properties"]["zone_id"] for f in merged}) == 1
    high, elevated = (
        shape(f["geometry"])
        for f in sorted(merged, key=lambda f: f["properties"]["level"] != "high")
    )
    assert high.intersection(elevated).area < 1e-9  # each place has one level
    far = next(f for f in data["features"] if f["properties"]["report_ids"] == ["FAR"])
    assert shape(far["geometry"]).contains(shapely.Point(11.97, 57.70))  # lon, lat order
    assert datetime.fromisoformat(far["properties"]["level_until"]) > NOW


def test_zones_at_a_naive_time_is_local_time(initialised: Path) -> None:
    path = write_reports(initialised, "K1,2026-01-10T12:00:00+01:00,56.66,16.36,villa")
    cocoon(initialised, "ingest", str(path))
    just_before = json.loads(cocoon(initialised, "zones", "--at", "2026-01-24T11:59").stdout)
    at_end = json.loads(cocoon(initialised, "zones", "--at", "2026-01-24T12:00").stdout)
    assert [f["properties"]["level"] for f in just_before["features"]] == ["high"]
    assert [f["properties"]["level"] for f in at_end["features"]] == ["elevated"]


def test_zones_at_an_unreadable_time_is_a_usage_error(initialised: Path) -> None:
    result = cocoon(initialised, "zones", "--at", "tisdag")
    assert result.returncode == 2 and "--at" in result.stderr


def test_unlocated_locate_and_retract(initialised: Path) -> None:
    path = initialised / "r.csv"
    path.write_text(
        f'report_id,reported_at,address\nK1,{iso(NOW)},"Okändgatan 1, Kalmar"\n', encoding="utf-8"
    )
    assert cocoon(initialised, "ingest", str(path)).returncode == 0
    assert cocoon(initialised, "unlocated").stdout.startswith("K1\t")
    result = cocoon(initialised, "locate", "K1", "--easting", "583000", "--northing", "6280000")
    assert result.returncode == 0 and "placed at" in result.stdout
    assert cocoon(initialised, "unlocated").stdout.strip() == "no unlocated reports"
    assert len(json.loads(cocoon(initialised, "zones").stdout)["features"]) == 1
    assert cocoon(initialised, "retract", "K1", "--reason", "felregistrerad").returncode == 0
    assert json.loads(cocoon(initialised, "zones").stdout)["features"] == []


def test_english_summary_with_a_setting(initialised: Path) -> None:
    result = cocoon(initialised, "zones", "-o", "z.geojson", env={"COCOON_OUTPUT__LANGUAGE": "en"})
    assert "No active risk zones." in result.stdout


def test_cocoon_db_environment_variable_is_the_default_database(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COCOON_")}
    env["COCOON_DB"] = f"sqlite:///{tmp_path / 'from-env.sqlite'}"
    result = subprocess.run([sys.executable, "-m", "cocoon.cli", "init"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0 and (tmp_path / "from-env.sqlite").exists()


def test_default_database_is_a_sqlite_file_under_var(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COCOON_")}
    subprocess.run([sys.executable, "-m", "cocoon.cli", "init"], cwd=tmp_path, env=env, check=True,
                   capture_output=True, timeout=60)  # fmt: skip
    assert (tmp_path / "var" / "cocoon.sqlite").exists()
