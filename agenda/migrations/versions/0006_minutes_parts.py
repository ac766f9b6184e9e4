"""approved minutes in two parts: public and confidential (Part B)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 13:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("approved_minutes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("part", sa.String(length=16), server_default="public", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("approved_minutes", schema=None) as batch_op:
        batch_op.drop_column("part")
