"""meeting title in Kazakh; amendments of a meeting's plan after it ended

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 10:00:00
"""

from alembic import op
import sqlalchemy as sa

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_kk', sa.String(length=300), nullable=False, server_default=''))
    op.create_table('meeting_amendments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('old', sa.JSON(), nullable=True),
    sa.Column('new', sa.JSON(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_amendments_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_amendments'))
    )
    with op.batch_alter_table('meeting_amendments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_amendments_meeting_id'), ['meeting_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('meeting_amendments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_amendments_meeting_id'))
    op.drop_table('meeting_amendments')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('title_kk')
