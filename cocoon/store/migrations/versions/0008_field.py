"""The field app's work: what a neighbour saw, kept with the visit; the outcome taps of the
roster page, each once by its client's id; the ticks that a sign was put up or taken down.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

from cocoon.store.types import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("visits") as batch:
        batch.add_column(sa.Column("saw_what", sa.Text))
        batch.add_column(sa.Column("saw_when", sa.Text))
    op.create_table(
        "visit_taps",
        sa.Column("tap_id", sa.String(36), primary_key=True),
        sa.Column("report_id", sa.String(100), nullable=False),
        sa.Column("address_id", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("visited_at", UTCDateTime, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("saw_what", sa.Text),
        sa.Column("saw_when", sa.Text),
        sa.Column("user_name", sa.String(64), nullable=False),
        sa.Column("received_at", UTCDateTime, nullable=False),
        sa.Column("result", sa.String(16), nullable=False),
    )
    op.create_index("ix_visit_taps_report_id", "visit_taps", ["report_id"])
    op.create_table(
        "sign_checks",
        sa.Column("sign_id", sa.String(16), primary_key=True),
        sa.Column("action", sa.String(8), primary_key=True),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sign_checks")
    op.drop_index("ix_visit_taps_report_id", "visit_taps")
    op.drop_table("visit_taps")
    with op.batch_alter_table("visits") as batch:
        batch.drop_column("saw_when")
        batch.drop_column("saw_what")
