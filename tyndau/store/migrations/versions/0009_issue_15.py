"""the national side (issue 15): users' and API tokens' scopes (a unit and its subtree, or a central body), the
central-level list's analysis, quarterly progress reports handed in; meetings keep the
presentation's length once their clock ended (backfilled as NULL: the monitor counts those as
"not recorded"); an index for the central list.

Revision ID: 0009_issue_15
Revises: 0008_issue_14b
Create Date: 2026-12-02 02:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0009_issue_15'
down_revision = '0008_issue_14b'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('user_scopes',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.String(length=40), nullable=True),
    sa.Column('organiser_id', sa.String(length=60), nullable=True),
    sa.Column('set_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organiser_id'], ['organisers.id'], name=op.f('fk_user_scopes_organiser_id_organisers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['admin_units.id'], name=op.f('fk_user_scopes_unit_id_admin_units'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_scopes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_user_scopes'))
    )
    op.create_table('token_scopes',
    sa.Column('token_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.String(length=40), nullable=True),
    sa.Column('organiser_id', sa.String(length=60), nullable=True),
    sa.ForeignKeyConstraint(['organiser_id'], ['organisers.id'], name=op.f('fk_token_scopes_organiser_id_organisers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['token_id'], ['api_tokens.id'], name=op.f('fk_token_scopes_token_id_api_tokens'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['admin_units.id'], name=op.f('fk_token_scopes_unit_id_admin_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_id', name=op.f('pk_token_scopes'))
    )
    op.create_table('central_items',
    sa.Column('problem_id', sa.Integer(), nullable=False),
    sa.Column('analysis', sa.String(length=30), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=True),
    sa.Column('proposal', sa.Text(), nullable=False),
    sa.Column('body_id', sa.String(length=60), nullable=True),
    sa.Column('selected', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['body_id'], ['organisers.id'], name=op.f('fk_central_items_body_id_organisers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['problem_id'], ['problems.id'], name=op.f('fk_central_items_problem_id_problems'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('problem_id', name=op.f('pk_central_items'))
    )
    with op.batch_alter_table('central_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_central_items_body_id'), ['body_id'], unique=False)
    op.create_table('progress_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organiser_id', sa.String(length=60), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['organiser_id'], ['organisers.id'], name=op.f('fk_progress_reports_organiser_id_organisers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_reports')),
    sa.UniqueConstraint('organiser_id', 'year', 'quarter', name='uq_progress_reports_organiser_period')
    )
    # Columns and indexes only (SQLite adds them in place, as in 0008).
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('presentation_seconds', sa.Float(), nullable=True))
    with op.batch_alter_table('problems', schema=None) as batch_op:
        batch_op.create_index('ix_problems_central_list', ['central_list'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('problems', schema=None) as batch_op:
        batch_op.drop_index('ix_problems_central_list')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('presentation_seconds')
    op.drop_table('progress_reports')
    with op.batch_alter_table('central_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_central_items_body_id'))
    op.drop_table('central_items')
    op.drop_table('token_scopes')
    op.drop_table('user_scopes')
