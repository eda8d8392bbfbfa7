"""Reports, their audit events, and the address register.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

from cocoon.store.types import PointWKB, UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("report_id", sa.String(100), primary_key=True),
        sa.Column("zone_key", sa.String(16), nullable=False, unique=True),
        sa.Column("reported_at", UTCDateTime, nullable=False),
        sa.Column("occurred_from", UTCDateTime),
        sa.Column("occurred_to", UTCDateTime),
        sa.Column("risk_start", UTCDateTime, nullable=False),
        sa.Column("premises", sa.String(16), nullable=False),
        sa.Column("attempt", sa.Boolean, nullable=False),
        sa.Column("address", sa.Text),
        sa.Column("address_id", sa.String(64)),
        sa.Column("geom", PointWKB),
        sa.Column("located_by", sa.String(16)),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("ingest_hash", sa.String(64), nullable=False),
        sa.Column("retracted_at", UTCDateTime),
        sa.Column("retract_reason", sa.Text),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_reports_risk_start", "reports", ["risk_start"])
    op.create_table(
        "report_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("report_id", sa.String(100), sa.ForeignKey("reports.report_id"), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_report_events_report_id", "report_events", ["report_id"])
    op.create_table(
        "addresses",
        sa.Column("address_id", sa.String(64), primary_key=True),
        sa.Column("street", sa.Text, nullable=False),
        sa.Column("number", sa.String(32), nullable=False),
        sa.Column("postcode", sa.String(16)),
        sa.Column("town", sa.Text),
        sa.Column("dwelling", sa.String(16)),
        sa.Column("geom", PointWKB, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_reports_geom", "reports", ["geom"], postgresql_using="gist")
    op.create_index("ix_addresses_geom", "addresses", ["geom"], postgresql_using="gist")


def downgrade() -> None:
    op.drop_table("report_events")
    op.drop_table("reports")
    op.drop_table("addresses")
