"""reminders

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'reminders',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('dedupe_key', sa.String(length=200), nullable=False),
        sa.Column('kind', sa.String(length=24), nullable=False),
        sa.Column('recipient', sa.String(length=32), nullable=False),
        sa.Column('supersede_key', sa.String(length=120), nullable=True),
        sa.Column('body_id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=True),
        sa.Column('item_id', sa.Integer(), nullable=True),
        sa.Column('planned_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('lease_owner', sa.String(length=64), nullable=True),
        sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['body_id'], ['bodies.id'],
                                name=op.f('fk_reminders_body_id_bodies')),
        sa.ForeignKeyConstraint(['item_id'], ['forward_plan_items.id'],
                                name=op.f('fk_reminders_item_id_forward_plan_items')),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'],
                                name=op.f('fk_reminders_meeting_id_meetings')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders')),
        sa.UniqueConstraint('dedupe_key', name=op.f('uq_reminders_dedupe_key')),
    )
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.create_index('ix_reminders_status_due_at', ['status', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminders_body_id'), ['body_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminders_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminders_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminders_recipient'), ['recipient'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminders_supersede_key'), ['supersede_key'],
                              unique=False)
    op.create_table(
        'extension_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('requested_by', sa.String(length=64), nullable=False),
        sa.Column('until', sa.DateTime(timezone=True), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('decided_by', sa.String(length=64), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decision_note', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['item_id'], ['forward_plan_items.id'],
                                name=op.f('fk_extension_requests_item_id_forward_plan_items')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_extension_requests')),
    )
    with op.batch_alter_table('extension_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_extension_requests_item_id'), ['item_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('extension_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_extension_requests_item_id'))
    op.drop_table('extension_requests')
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminders_supersede_key'))
        batch_op.drop_index(batch_op.f('ix_reminders_recipient'))
        batch_op.drop_index(batch_op.f('ix_reminders_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_reminders_item_id'))
        batch_op.drop_index(batch_op.f('ix_reminders_body_id'))
        batch_op.drop_index('ix_reminders_status_due_at')
    op.drop_table('reminders')
