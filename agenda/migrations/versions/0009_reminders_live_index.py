"""reminders: a partial index on the planned time of live reminders, for the stale pass

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 14:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"  # 0008 request keys -> 0009 live reminders index
branch_labels = None
depends_on = None

LIVE_WITH_KEY = "status IN ('pending', 'sending', 'sent') AND supersede_key IS NOT NULL"


def upgrade() -> None:
    op.create_index(
        "ix_reminders_live_planned_at",
        "reminders",
        ["planned_at"],
        postgresql_where=sa.text(LIVE_WITH_KEY),
        sqlite_where=sa.text(LIVE_WITH_KEY),
    )


def downgrade() -> None:
    op.drop_index("ix_reminders_live_planned_at", table_name="reminders")
