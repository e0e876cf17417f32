"""problems, memberships, review decisions, corrections

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 18:23:25.468708
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('akim_name', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('attendance', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('online_reach', sa.Integer(), nullable=True))
    op.create_table('problems',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=True),
    sa.Column('origin', sa.String(length=10), nullable=False),
    sa.Column('title_ru', sa.String(length=500), nullable=False),
    sa.Column('title_kk', sa.String(length=500), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=True),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('human_fields', sa.JSON(), nullable=False),
    sa.Column('executor', sa.String(length=300), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('competence', sa.String(length=20), nullable=False),
    sa.Column('funding_need', sa.BigInteger(), nullable=True),
    sa.Column('funding_allocated', sa.BigInteger(), nullable=True),
    sa.Column('funding_source', sa.String(length=20), nullable=True),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('measures', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('central_list', sa.Boolean(), nullable=False),
    sa.Column('accepted', sa.Boolean(), nullable=False),
    sa.Column('merged_into', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_problems_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_problems'))
    )
    with op.batch_alter_table('problems', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_problems_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('review_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('undo', sa.JSON(), nullable=False),
    sa.Column('undone', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_review_decisions_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_decisions'))
    )
    with op.batch_alter_table('review_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_decisions_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=True),
    sa.Column('is_problem', sa.Boolean(), nullable=True),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_corrections_comment_id_comments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_corrections')),
    sa.UniqueConstraint('comment_id', name=op.f('uq_corrections_comment_id'))
    )
    op.create_table('problem_comments',
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('problem_id', sa.Integer(), nullable=True),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_problem_comments_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['problem_id'], ['problems.id'], name=op.f('fk_problem_comments_problem_id_problems'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('comment_id', name=op.f('pk_problem_comments'))
    )
    with op.batch_alter_table('problem_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_problem_comments_problem_id'), ['problem_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('online_reach')
        batch_op.drop_column('attendance')
        batch_op.drop_column('akim_name')
    with op.batch_alter_table('problem_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_problem_comments_problem_id'))

    op.drop_table('problem_comments')
    op.drop_table('corrections')
    with op.batch_alter_table('review_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_decisions_meeting_id'))

    op.drop_table('review_decisions')
    with op.batch_alter_table('problems', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_problems_meeting_id'))

    op.drop_table('problems')
