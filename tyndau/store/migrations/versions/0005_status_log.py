"""problem status history (for the quarterly progress report)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 19:40:00
"""

from alembic import op
import sqlalchemy as sa

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('problem_status_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('problem_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['problem_id'], ['problems.id'], name=op.f('fk_problem_status_log_problem_id_problems'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_problem_status_log'))
    )
    with op.batch_alter_table('problem_status_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_problem_status_log_problem_id'), ['problem_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('problem_status_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_problem_status_log_problem_id'))
    op.drop_table('problem_status_log')
