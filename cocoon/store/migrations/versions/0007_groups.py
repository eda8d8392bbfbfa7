"""Partner groups (Grannsamverkan, housing companies): their register and contacts, the
notices each group has had (one per group and zone level) and each message's delivery.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

from cocoon.store.types import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "partner_groups",
        sa.Column("group_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("language", sa.String(2)),
        sa.Column("geom", sa.LargeBinary, nullable=False),
        sa.Column("members", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("loaded_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_partner_groups_source", "partner_groups", ["source"])
    op.create_table(
        "group_contacts",
        sa.Column("contact_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "group_id", sa.String(64), sa.ForeignKey("partner_groups.group_id"), nullable=False
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("recipient", sa.Text, nullable=False),
    )
    op.create_index("ix_group_contacts_group_id", "group_contacts", ["group_id"])
    op.create_table(
        "group_notices",
        sa.Column("notice_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("group_id", sa.String(64), nullable=False),
        sa.Column("group_name", sa.Text, nullable=False),
        sa.Column("zone_id", sa.String(16), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("anchor_key", sa.String(16), nullable=False),
        sa.Column("report_keys", sa.Text, nullable=False),
        sa.Column("until", UTCDateTime, nullable=False),
        sa.Column("decided_at", UTCDateTime, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.UniqueConstraint("group_id", "level", "anchor_key", name="uq_group_notices_anchor"),
    )
    op.create_index("ix_group_notices_decided_at", "group_notices", ["decided_at"])
    op.create_table(
        "group_messages",
        sa.Column("message_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "notice_id", sa.Integer, sa.ForeignKey("group_notices.notice_id"), nullable=False
        ),
        sa.Column("contact_name", sa.Text, nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("recipient", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("tried_at", UTCDateTime),
        sa.Column("sent_at", UTCDateTime),
    )
    op.create_index("ix_group_messages_status", "group_messages", ["status"])
    op.create_index("ix_group_messages_notice_id", "group_messages", ["notice_id"])


def downgrade() -> None:
    op.drop_index("ix_group_messages_notice_id", "group_messages")
    op.drop_index("ix_group_messages_status", "group_messages")
    op.drop_table("group_messages")
    op.drop_index("ix_group_notices_decided_at", "group_notices")
    op.drop_table("group_notices")
    op.drop_index("ix_group_contacts_group_id", "group_contacts")
    op.drop_table("group_contacts")
    op.drop_index("ix_partner_groups_source", "partner_groups")
    op.drop_table("partner_groups")
