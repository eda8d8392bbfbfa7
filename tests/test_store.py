"""The store, on SQLite and on PostgreSQL + PostGIS: idempotent ingest, audit, transactions."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import shapely
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select, text

from cocoon.app.installation import Installation
from cocoon.core.model import Address
from cocoon.errors import InputError, NotFoundError, StoreError
from cocoon.store import check_schema, open_engine
from cocoon.store import reports as report_store
from cocoon.store.addresses import upsert_addresses
from cocoon.store.schema import is_cocoon_object, metadata, report_events, reports

NOW = datetime(2026, 11, 22, 9, tzinfo=UTC)
HEADER = "report_id,reported_at,occurred_to,lat,lon,address,premises\n"


def csv_file(tmp_path: Path, *rows: str, name: str = "reports.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def count(app: Installation, table: object = reports) -> int:
    with app.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(table)) or 0)  # type: ignore[arg-type]


@pytest.mark.filterwarnings("ignore:Did not recognize type 'geometry'")
def test_schema_from_migrations_matches_the_model(app: Installation) -> None:
    with app.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": is_cocoon_object})
        diff = compare_metadata(context, metadata)
    assert diff == []


def test_init_twice_changes_nothing(app: Installation) -> None:
    assert app.init() == app.init()


def test_uninitialised_database_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    with pytest.raises(StoreError, match="run `cocoon init` first"):
        check_schema(engine)


def test_points_come_back_at_their_lon_lat(app: Installation, tmp_path: Path) -> None:
    app.reports.ingest(csv_file(tmp_path, "K1,2026-11-20T08:00,,56.6634,16.3568,,villa"), NOW)
    with app.engine.connect() as conn:
        r = report_store.get_report(conn, "K1")
    assert (r.lon, r.lat) == (16.3568, 56.6634)
    assert r.reported_at == datetime(2026, 11, 20, 7, tzinfo=UTC)


def test_postgis_stores_a_real_geometry_in_wgs84(pg_app: Installation, tmp_path: Path) -> None:
    app = pg_app
    app.reports.ingest(csv_file(tmp_path, "K1,2026-11-20T08:00,,56.6634,16.3568,,villa"), NOW)
    with app.engine.connect() as conn:
        srid, wkt = conn.execute(text("SELECT ST_SRID(geom), ST_AsText(geom) FROM reports")).one()
    assert srid == 4326 and shapely.from_wkt(wkt).equals(shapely.Point(16.3568, 56.6634))


def test_reingesting_the_same_file_changes_nothing(app: Installation, tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        "K1,2026-11-20T08:00,,56.66,16.36,,villa",
        "K2,2026-11-20T09:00,,56.67,16.37,,radhus",
    )
    first = app.reports.ingest(path, NOW)
    events = count(app, report_events)
    second = app.reports.ingest(path, NOW + timedelta(hours=1))
    assert (first.created, second.created, second.updated, second.unchanged) == (2, 0, 0, 2)
    assert count(app, report_events) == events


def test_changed_content_is_an_update_that_is_recorded(app: Installation, tmp_path: Path) -> None:
    app.reports.ingest(csv_file(tmp_path, "K1,2026-11-20T08:00,,56.66,16.36,,villa"), NOW)
    result = app.reports.ingest(
        csv_file(tmp_path, "K1,2026-11-20T08:00,,56.66,16.36,,radhus", name="v2.csv"), NOW
    )
    assert result.updated == 1
    with app.engine.connect() as conn:
        trail = report_store.events_of(conn, "K1")
    assert [e["kind"] for e in trail] == ["created", "updated"]
    assert trail[1]["detail"]["before"] == {"premises": "villa", "source": "reports.csv:line 2"}
    assert trail[1]["detail"]["after"]["premises"] == "radhus"


def test_zone_key_stays_when_a_report_is_updated(app: Installation, tmp_path: Path) -> None:
    app.reports.ingest(csv_file(tmp_path, "K1,2026-11-20T08:00,,56.66,16.36,,villa"), NOW)
    before = app.zones(NOW)[0].zone_id
    app.reports.ingest(
        csv_file(tmp_path, "K1,2026-11-20T08:00,,56.661,16.36,,villa", name="v2.csv"), NOW
    )
    assert app.zones(NOW)[0].zone_id == before


def test_good_rows_are_stored_and_bad_rows_written_to_a_rejects_file(
    app: Installation, tmp_path: Path
) -> None:
    path = csv_file(
        tmp_path, "K1,2026-11-20T08:00,,56.66,16.36,,villa", "K2,igår,,56.66,16.36,,villa"
    )
    result = app.reports.ingest(path, NOW)
    assert result.created == 1 and len(result.rejections) == 1
    assert result.rejects_path is not None
    with result.rejects_path.open(encoding="utf-8", newline="") as fh:
        (row,) = csv.DictReader(fh)
    assert (row["report_id"], row["row"], row["field"]) == ("K2", "line 3", "reported_at")
    assert row["file"] == "reports.csv" and row["reported_at"] == "igår"


def test_interrupted_ingest_leaves_the_database_as_before(
    app: Installation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.reports.ingest(
        csv_file(tmp_path, "K0,2026-11-19T08:00,,56.66,16.36,,villa", name="first.csv"), NOW
    )
    rows = [f"K{i},2026-11-20T08:00,,56.66,16.36,,villa" for i in range(1, 1200)]
    real_insert = report_store.insert
    calls = {"n": 0}

    def failing_insert(table):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:  # after the first chunk of 500 reports went in
            raise KeyboardInterrupt("power cut")
        return real_insert(table)

    monkeypatch.setattr(report_store, "insert", failing_insert)
    with pytest.raises(KeyboardInterrupt):
        app.reports.ingest(csv_file(tmp_path, *rows), NOW)
    monkeypatch.undo()
    assert count(app) == 1
    assert app.reports.ingest(csv_file(tmp_path, *rows), NOW).created == 1199


def test_retracted_report_makes_no_zone(app: Installation, tmp_path: Path) -> None:
    app.reports.ingest(csv_file(tmp_path, "K1,2026-11-20T08:00,,56.66,16.36,,villa"), NOW)
    assert len(app.zones(NOW)) == 1
    app.reports.retract("K1", "reclassified: not a burglary", NOW)
    assert app.zones(NOW) == []
    with app.engine.connect() as conn:
        assert report_store.events_of(conn, "K1")[-1]["detail"] == {
            "reason": "reclassified: not a burglary"
        }


def test_retracting_an_unknown_report_names_it(app: Installation) -> None:
    with pytest.raises(NotFoundError, match="'NOPE'"):
        app.reports.retract("NOPE", "x", NOW)


def test_reingest_does_not_bring_a_retracted_report_back(app: Installation, tmp_path: Path) -> None:
    path = csv_file(tmp_path, "K1,2026-11-20T08:00,,56.66,16.36,,villa")
    app.reports.ingest(path, NOW)
    app.reports.retract("K1", "duplicate", NOW)
    app.reports.ingest(path, NOW)
    assert app.zones(NOW) == []


def _register(app: Installation) -> None:
    with app.engine.begin() as conn:
        upsert_addresses(
            conn,
            [Address("A-1", "Storgatan", "12B", 16.3568, 56.6634, "392 31", "Kalmar")],
            "test",
            NOW,
        )


def test_unmatched_address_is_listed_unlocated_and_located_later(
    app: Installation, tmp_path: Path
) -> None:
    _register(app)
    app.reports.ingest(
        csv_file(tmp_path, 'K1,2026-11-20T08:00,,,,"Lillgatan 3, Kalmar",villa'), NOW
    )
    assert [r.report_id for r, _ in app.reports.unlocated()] == ["K1"]
    assert app.zones(NOW) == []
    app.reports.locate("K1", NOW, address="storgatan 12 b")
    assert app.reports.unlocated() == []
    assert app.zones(NOW)[0].report_ids == ("K1",)


def test_hand_placed_point_survives_reingest_of_the_same_row(
    app: Installation, tmp_path: Path
) -> None:
    path = csv_file(tmp_path, 'K1,2026-11-20T08:00,,,,"Lillgatan 3, Kalmar",villa')
    app.reports.ingest(path, NOW)
    app.reports.locate("K1", NOW, lon=16.36, lat=56.66)
    app.reports.ingest(path, NOW)
    updated = csv_file(
        tmp_path, 'K1,2026-11-20T08:00,,,,"Lillgatan 3, Kalmar",radhus', name="v2.csv"
    )
    app.reports.ingest(updated, NOW)
    assert len(app.zones(NOW)) == 1


def test_locating_outside_the_service_area_is_refused(app: Installation, tmp_path: Path) -> None:
    app.reports.ingest(csv_file(tmp_path, 'K1,2026-11-20T08:00,,,,"Lillgatan 3",villa'), NOW)
    with pytest.raises(InputError, match="outside the service area"):
        app.reports.locate("K1", NOW, lon=10.75, lat=59.91)


def test_reloading_addresses_updates_instead_of_duplicating(app: Installation) -> None:
    a = Address("A-1", "Storgatan", "12B", 16.3568, 56.6634, "392 31", "Kalmar")
    with app.engine.begin() as conn:
        first = upsert_addresses(conn, [a], "v1", NOW)
        second = upsert_addresses(conn, [a], "v1", NOW)
        third = upsert_addresses(
            conn, [Address("A-1", "Storgatan", "12B", 16.3569, 56.6634)], "v2", NOW
        )
    assert (first.created, second.unchanged, third.updated) == (1, 1, 1)
    with app.engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM addresses")) == 1


def test_zones_come_from_the_store_with_the_same_rules(app: Installation, tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        "K1,2026-11-01T08:00,,56.6600,16.3600,,villa",
        "K2,2026-11-20T08:00,,56.6610,16.3610,,lagenhet",
        "K3,2026-11-20T08:00,,56.7500,16.3600,,fritidshus",
        "K4,2026-09-01T08:00,,56.8000,16.3600,,villa",
    )
    app.reports.ingest(path, NOW)
    (zone,) = app.zones(NOW)
    assert zone.report_ids == ("K1", "K2")
    assert [z.report_ids for z in app.zones(datetime(2026, 11, 10, tzinfo=UTC))] == [("K1",)]


def test_unknown_database_kind_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="unsupported database"):
        open_engine("oracle://somewhere/db")


def test_zone_keys_are_short_readable_and_distinct() -> None:
    keys = {report_store.new_zone_key() for _ in range(2000)}
    assert len(keys) == 2000
    assert all(len(k) == 11 and k[:2] == "Z-" and k[6] == "-" for k in keys)


def test_upgrading_counts_the_plans_made_before_as_having_their_roster_written(
    db_url: str,
) -> None:
    from alembic import command

    from cocoon.store.engine import _alembic_config, head_revision, upgrade
    from cocoon.store.schema import visit_plans

    engine = open_engine(db_url)
    cfg = _alembic_config()
    with engine.begin() as conn:  # a database of the cocoon before revision 0005
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0004")
    planned = NOW - timedelta(days=1)
    with engine.begin() as conn:
        conn.execute(
            reports.insert().values(
                report_id="R1", zone_key="Z-1", reported_at=planned, risk_start=planned,
                premises="villa", attempt=False, source="old.csv", ingest_hash="h",
                created_at=planned, updated_at=planned,
            )
        )  # fmt: skip
        conn.execute(
            visit_plans.insert().values(report_id="R1", zone_id="Z-1", planned_at=planned, stops=3)
        )
    assert upgrade(engine) == head_revision()
    with engine.connect() as conn:
        row = conn.execute(select(visit_plans)).one()
    assert row.roster_written_at == planned and row.roster_path is None
    engine.dispose()


def test_the_schema_check_knows_the_head_revision_alembic_knows() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from cocoon.store.engine import MIGRATIONS, head_revision

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert head_revision() == ScriptDirectory.from_config(config).get_current_head()
