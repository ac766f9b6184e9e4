"""accessibility: organisation language, body accessibility policy, the check's result on
each paper, and paper renditions (tagged PDF, HTML) for the public site

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'  # 0006 minutes parts -> 0007 accessibility
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('paper_renditions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('paper_id', sa.Integer(), nullable=False),
    sa.Column('format', sa.String(length=8), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.String(length=300), nullable=False),
    sa.Column('language', sa.String(length=35), nullable=False),
    sa.Column('built_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['paper_id'], ['papers.id'], name=op.f('fk_paper_renditions_paper_id_papers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paper_renditions')),
    sa.UniqueConstraint('paper_id', 'format', name=op.f('uq_paper_renditions_paper_id'))
    )
    with op.batch_alter_table('paper_renditions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paper_renditions_paper_id'), ['paper_id'], unique=False)
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=35), nullable=False, server_default='en-GB'))
    with op.batch_alter_table('bodies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accessibility', sa.String(length=8), nullable=False, server_default='warn'))
    with op.batch_alter_table('papers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accessibility', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('papers', schema=None) as batch_op:
        batch_op.drop_column('accessibility')
    with op.batch_alter_table('bodies', schema=None) as batch_op:
        batch_op.drop_column('accessibility')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('paper_renditions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paper_renditions_paper_id'))
    op.drop_table('paper_renditions')
