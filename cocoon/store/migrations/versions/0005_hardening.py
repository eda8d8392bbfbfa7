"""When a visit plan's roster files were written (a plan without them is not done), and the
alerts that could not be made.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

from cocoon.store.types import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("visit_plans") as batch:
        batch.add_column(sa.Column("roster_written_at", UTCDateTime))
        batch.add_column(sa.Column("roster_path", sa.Text))
    # Plans made before this revision had their files written right after they were stored.
    op.execute("UPDATE visit_plans SET roster_written_at = planned_at")
    op.create_table(
        "alert_failures",
        sa.Column(
            "report_id", sa.String(100), sa.ForeignKey("reports.report_id"), primary_key=True
        ),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("first_failed_at", UTCDateTime, nullable=False),
        sa.Column("last_failed_at", UTCDateTime, nullable=False),
        sa.Column("error", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("alert_failures")
    with op.batch_alter_table("visit_plans") as batch:
        batch.drop_column("roster_path")
        batch.drop_column("roster_written_at")
