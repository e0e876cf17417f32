"""a problem's place in Kazakh beside the Russian one (the Kazakh review list and documents spell
it the Kazakh way); problems stored before get an empty one, and readers fall back to the Russian

Revision ID: 0010_place_kk
Revises: 0009_issue_15
Create Date: 2026-12-03 09:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0010_place_kk'
down_revision = '0009_issue_15'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A column with a server default only (SQLite adds it in place, as in 0008).
    with op.batch_alter_table('problems', schema=None) as batch_op:
        batch_op.add_column(sa.Column('place_kk', sa.String(length=300), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('problems', schema=None) as batch_op:
        batch_op.drop_column('place_kk')
