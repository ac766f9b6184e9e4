"""request keys: a job recorded from a Slack request carries the request's identity, unique,
so a retried or replayed request records nothing new (durable intake, issue 13)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 13:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'  # 0007 accessibility -> 0008 request keys
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_key', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_jobs_request_key'), ['request_key'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jobs_request_key'))
        batch_op.drop_column('request_key')
