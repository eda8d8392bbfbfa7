"""The service's records: its job runs, the report files it has ingested, the alerts it sent.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

from cocoon.store.types import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("run_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("job", sa.String(16), nullable=False),
        sa.Column("trigger", sa.String(16), nullable=False),
        sa.Column("day", sa.Date),
        sa.Column("started_at", UTCDateTime, nullable=False),
        sa.Column("ended_at", UTCDateTime),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("counts", sa.Text, nullable=False),
        sa.Column("error", sa.Text),
    )
    op.create_index("ix_runs_job_started", "runs", ["job", "started_at"])
    op.create_index("ix_runs_job_day", "runs", ["job", "day"])
    op.create_table(
        "ingested_files",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("ingested_at", UTCDateTime, nullable=False),
        sa.Column("created", sa.Integer, nullable=False),
        sa.Column("updated", sa.Integer, nullable=False),
        sa.Column("unchanged", sa.Integer, nullable=False),
        sa.Column("rejected", sa.Integer, nullable=False),
        sa.Column("rejects_path", sa.Text),
    )
    op.create_table(
        "alerts",
        sa.Column(
            "report_id", sa.String(100), sa.ForeignKey("reports.report_id"), primary_key=True
        ),
        sa.Column("zone_id", sa.String(16), nullable=False),
        sa.Column("alerted_at", UTCDateTime, nullable=False),
        sa.Column("folder", sa.Text, nullable=False),
        sa.Column("line", sa.Text, nullable=False),
        sa.Column("mail", sa.String(16), nullable=False),
        sa.Column("mail_attempts", sa.Integer, nullable=False),
        sa.Column("mail_error", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("alerts")
    op.drop_table("ingested_files")
    op.drop_index("ix_runs_job_day", "runs")
    op.drop_index("ix_runs_job_started", "runs")
    op.drop_table("runs")
