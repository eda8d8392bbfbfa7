"""Door-visit plans and their stops, the road network, indexed lon/lat on the address register.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import shapely
import sqlalchemy as sa
from alembic import op

from cocoon.store.types import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("addresses") as batch:
        batch.add_column(sa.Column("lon", sa.Float))
        batch.add_column(sa.Column("lat", sa.Float))
    _fill_lon_lat()
    with op.batch_alter_table("addresses") as batch:
        batch.alter_column("lon", nullable=False)
        batch.alter_column("lat", nullable=False)
    op.create_index("ix_addresses_lat_lon", "addresses", ["lat", "lon"])
    op.create_table(
        "roads",
        sa.Column("road_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source_id", sa.String(64)),
        sa.Column("road_class", sa.String(32), nullable=False),
        sa.Column("name", sa.Text),
        sa.Column("geom", sa.LargeBinary, nullable=False),
        sa.Column("min_lon", sa.Float, nullable=False),
        sa.Column("min_lat", sa.Float, nullable=False),
        sa.Column("max_lon", sa.Float, nullable=False),
        sa.Column("max_lat", sa.Float, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_roads_box", "roads", ["min_lat", "max_lat", "min_lon", "max_lon"])
    op.create_table(
        "visit_plans",
        sa.Column(
            "report_id", sa.String(100), sa.ForeignKey("reports.report_id"), primary_key=True
        ),
        sa.Column("zone_id", sa.String(16), nullable=False),
        sa.Column("planned_at", UTCDateTime, nullable=False),
        sa.Column("stops", sa.Integer, nullable=False),
    )
    op.create_index("ix_visit_plans_planned_at", "visit_plans", ["planned_at"])
    op.create_table(
        "visits",
        sa.Column("visit_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "report_id", sa.String(100), sa.ForeignKey("visit_plans.report_id"), nullable=False
        ),
        sa.Column("address_id", sa.String(64), nullable=False),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("covers", sa.Text, nullable=False),
        sa.Column("visit_kind", sa.String(16), nullable=False),
        sa.Column("distance_m", sa.Integer, nullable=False),
        sa.Column("sheet", sa.Integer, nullable=False),
        sa.Column("stop", sa.Integer, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("outcome", sa.String(16)),
        sa.Column("visited_at", UTCDateTime),
        sa.Column("note", sa.Text),
        sa.Column("recorded_at", UTCDateTime),
        sa.UniqueConstraint("report_id", "address_id", name="uq_visits_report_address"),
    )
    op.create_index("ix_visits_address_id", "visits", ["address_id"])
    op.create_index("ix_visits_visited_at", "visits", ["visited_at"])


def _fill_lon_lat() -> None:
    """Copy each stored point into the new columns (PostGIS hands its geometry back as WKB)."""
    conn = op.get_bind()
    geom = "ST_AsBinary(geom)" if conn.dialect.name == "postgresql" else "geom"
    rows = conn.execute(sa.text(f"SELECT address_id, {geom} AS g FROM addresses")).all()
    update = sa.text("UPDATE addresses SET lon = :lon, lat = :lat WHERE address_id = :id")
    values = []
    for address_id, wkb in rows:
        point = shapely.from_wkb(bytes(wkb))
        values.append({"id": address_id, "lon": point.x, "lat": point.y})
    if values:
        conn.execute(update, values)


def downgrade() -> None:
    op.drop_table("visits")
    op.drop_table("visit_plans")
    op.drop_table("roads")
    op.drop_index("ix_addresses_lat_lon", "addresses")
    with op.batch_alter_table("addresses") as batch:
        batch.drop_column("lat")
        batch.drop_column("lon")
