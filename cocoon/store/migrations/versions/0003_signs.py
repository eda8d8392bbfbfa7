"""Sign placements and the days the sign plan was made for.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

from cocoon.store.types import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signs",
        sa.Column("sign_id", sa.String(16), primary_key=True),
        sa.Column("zone_id", sa.String(16), nullable=False),
        sa.Column("report_ids", sa.Text, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("on_road", sa.Boolean, nullable=False),
        sa.Column("put_up", sa.Date, nullable=False),
        sa.Column("take_down", sa.Date, nullable=False),
        sa.Column("down_on", sa.Date),
        sa.Column("down_reason", sa.String(16)),
        sa.Column("placed_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_signs_down_on", "signs", ["down_on"])
    op.create_table(
        "sign_runs",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("at", UTCDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sign_runs")
    op.drop_table("signs")
