"""packs: built agenda packs and the paper versions in each

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'packs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('private', sa.Boolean(), nullable=False),
        sa.Column('format', sa.String(length=8), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('file_name', sa.String(length=300), nullable=False),
        sa.Column('pages', sa.Integer(), nullable=True),
        sa.Column('built_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('built_by', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'],
                                name=op.f('fk_packs_meeting_id_meetings')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_packs')),
    )
    with op.batch_alter_table('packs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_packs_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_packs_sha256'), ['sha256'], unique=False)

    op.create_table(
        'pack_papers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('pack_id', sa.Integer(), nullable=False),
        sa.Column('paper_id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('entry_key', sa.String(length=60), nullable=False),
        sa.Column('stamp', sa.String(length=60), nullable=True),
        sa.Column('first_page', sa.Integer(), nullable=True),
        sa.Column('last_page', sa.Integer(), nullable=True),
        sa.Column('withheld', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['pack_id'], ['packs.id'],
                                name=op.f('fk_pack_papers_pack_id_packs')),
        sa.ForeignKeyConstraint(['paper_id'], ['papers.id'],
                                name=op.f('fk_pack_papers_paper_id_papers')),
        sa.ForeignKeyConstraint(['item_id'], ['forward_plan_items.id'],
                                name=op.f('fk_pack_papers_item_id_forward_plan_items')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pack_papers')),
    )
    with op.batch_alter_table('pack_papers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pack_papers_pack_id'), ['pack_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pack_papers_paper_id'), ['paper_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('pack_papers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pack_papers_paper_id'))
        batch_op.drop_index(batch_op.f('ix_pack_papers_pack_id'))
    op.drop_table('pack_papers')
    with op.batch_alter_table('packs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_packs_sha256'))
        batch_op.drop_index(batch_op.f('ix_packs_meeting_id'))
    op.drop_table('packs')
