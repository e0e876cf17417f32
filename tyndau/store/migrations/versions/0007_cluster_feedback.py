"""cluster feedback: comment pairs people judged the same problem or not (merge, split, move)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 23:45:00
"""

from alembic import op
import sqlalchemy as sa

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('cluster_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('a_comment_id', sa.Integer(), nullable=False),
    sa.Column('b_comment_id', sa.Integer(), nullable=False),
    sa.Column('same', sa.Boolean(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_cluster_feedback_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['a_comment_id'], ['comments.id'], name=op.f('fk_cluster_feedback_a_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['b_comment_id'], ['comments.id'], name=op.f('fk_cluster_feedback_b_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decision_id'], ['review_decisions.id'], name=op.f('fk_cluster_feedback_decision_id_review_decisions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cluster_feedback'))
    )
    with op.batch_alter_table('cluster_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cluster_feedback_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cluster_feedback_decision_id'), ['decision_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('cluster_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cluster_feedback_decision_id'))
        batch_op.drop_index(batch_op.f('ix_cluster_feedback_meeting_id'))
    op.drop_table('cluster_feedback')
