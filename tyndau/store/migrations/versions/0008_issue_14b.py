"""the planning side (issue 14): administrative units with their closure table, unit imports,
organisers, calendars (change events and the current plan), rounds, receptions, the commission and
the attendance record; meetings gain their organiser, place unit, calendar visit or off-calendar
reason, round, and the clock's end (backfilled from the clock events). Every new meeting column is
nullable, so meetings stored before keep working unchanged.

Revision ID: 0008_issue_14b
Revises: 0007
Create Date: 2026-12-02 01:14:42
"""

from alembic import op
import sqlalchemy as sa


revision = '0008_issue_14b'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('admin_units',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('name_ru', sa.String(length=300), nullable=False),
    sa.Column('name_kk', sa.String(length=300), nullable=False),
    sa.Column('parent_id', sa.String(length=40), nullable=True),
    sa.Column('kato', sa.String(length=9), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['admin_units.id'], name=op.f('fk_admin_units_parent_id_admin_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_units')),
    sa.UniqueConstraint('kato', name=op.f('uq_admin_units_kato'))
    )
    with op.batch_alter_table('admin_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_admin_units_parent_id'), ['parent_id'], unique=False)

    op.create_table('unit_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=300), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('units_total', sa.Integer(), nullable=False),
    sa.Column('created', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('skipped', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_imports'))
    )
    op.create_table('admin_unit_paths',
    sa.Column('ancestor_id', sa.String(length=40), nullable=False),
    sa.Column('unit_id', sa.String(length=40), nullable=False),
    sa.Column('depth', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ancestor_id'], ['admin_units.id'], name=op.f('fk_admin_unit_paths_ancestor_id_admin_units'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['admin_units.id'], name=op.f('fk_admin_unit_paths_unit_id_admin_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ancestor_id', 'unit_id', name=op.f('pk_admin_unit_paths'))
    )
    with op.batch_alter_table('admin_unit_paths', schema=None) as batch_op:
        batch_op.create_index('ix_admin_unit_paths_unit_id_ancestor_id', ['unit_id', 'ancestor_id'], unique=False)

    op.create_table('organisers',
    sa.Column('id', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('unit_id', sa.String(length=40), nullable=True),
    sa.Column('level', sa.String(length=30), nullable=False),
    sa.Column('name_ru', sa.String(length=300), nullable=False),
    sa.Column('name_kk', sa.String(length=300), nullable=False),
    sa.Column('exempt', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['admin_units.id'], name=op.f('fk_organisers_unit_id_admin_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisers')),
    sa.UniqueConstraint('unit_id', name=op.f('uq_organisers_unit_id'))
    )
    op.create_table('calendars',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organiser_id', sa.String(length=60), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organiser_id'], ['organisers.id'], name=op.f('fk_calendars_organiser_id_organisers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendars')),
    sa.UniqueConstraint('organiser_id', 'year', name='uq_calendars_organiser_year')
    )
    op.create_table('rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organiser_id', sa.String(length=60), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organiser_id'], ['organisers.id'], name=op.f('fk_rounds_organiser_id_organisers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rounds'))
    )
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rounds_organiser_id'), ['organiser_id'], unique=False)

    op.create_table('calendar_changes',
    sa.Column('calendar_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('operations', sa.JSON(), nullable=False),
    sa.Column('maslikhat_agreed_on', sa.Date(), nullable=True),
    sa.Column('maslikhat_ref', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['calendar_id'], ['calendars.id'], name=op.f('fk_calendar_changes_calendar_id_calendars'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('calendar_id', 'seq', name=op.f('pk_calendar_changes'))
    )
    op.create_table('calendar_visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('calendar_id', sa.Integer(), nullable=False),
    sa.Column('visit_key', sa.String(length=40), nullable=False),
    sa.Column('organiser_id', sa.String(length=60), nullable=False),
    sa.Column('planned_on', sa.Date(), nullable=False),
    sa.Column('place_unit_id', sa.String(length=40), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['calendar_id'], ['calendars.id'], name=op.f('fk_calendar_visits_calendar_id_calendars'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organiser_id'], ['organisers.id'], name=op.f('fk_calendar_visits_organiser_id_organisers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['place_unit_id'], ['admin_units.id'], name=op.f('fk_calendar_visits_place_unit_id_admin_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_visits')),
    sa.UniqueConstraint('calendar_id', 'visit_key', name='uq_calendar_visits_calendar_key')
    )
    with op.batch_alter_table('calendar_visits', schema=None) as batch_op:
        batch_op.create_index('ix_calendar_visits_organiser_id_planned_on', ['organiser_id', 'planned_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_calendar_visits_place_unit_id'), ['place_unit_id'], unique=False)

    op.create_table('commission_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.Column('organisation', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_commission_members_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commission_members'))
    )
    with op.batch_alter_table('commission_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commission_members_round_id'), ['round_id'], unique=False)

    op.create_table('attendance_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('organisation', sa.String(length=300), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_attendance_entries_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_entries'))
    )
    with op.batch_alter_table('attendance_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_entries_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('receptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('citizens_received', sa.Integer(), nullable=True),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_receptions_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_receptions_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receptions'))
    )
    with op.batch_alter_table('receptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receptions_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_receptions_round_id'), ['round_id'], unique=False)

    op.create_table('reception_participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reception_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('organisation', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['reception_id'], ['receptions.id'], name=op.f('fk_reception_participants_reception_id_receptions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reception_participants'))
    )
    with op.batch_alter_table('reception_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reception_participants_reception_id'), ['reception_id'], unique=False)

    op.create_table('reception_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reception_id', sa.Integer(), nullable=False),
    sa.Column('qkey', sa.String(length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('lang', sa.String(length=10), nullable=True),
    sa.Column('answered_on_spot', sa.Boolean(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_reception_questions_comment_id_comments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reception_id'], ['receptions.id'], name=op.f('fk_reception_questions_reception_id_receptions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reception_questions')),
    sa.UniqueConstraint('reception_id', 'qkey', name='uq_reception_questions_reception_key')
    )
    # Columns and indexes only (SQLite adds them in place): a foreign key would make SQLite rebuild
    # the table, and dropping its old copy with foreign keys on would cascade into the comments.
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organiser_id', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('place_unit_id', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('calendar_visit_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('off_calendar_reason', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('round_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('ended_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_meetings_organiser_id_starts_at', ['organiser_id', 'starts_at'], unique=False)
        batch_op.create_index('ix_meetings_place_unit_id_starts_at', ['place_unit_id', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_round_id'), ['round_id'], unique=False)
        batch_op.create_index('ix_meetings_calendar_visit_id', ['calendar_visit_id'], unique=True)

    # A meeting has ended when its last clock event is an "end" (an undone end is followed by the undo).
    op.execute(sa.text(
        "UPDATE meetings SET ended_at = (SELECT ce.at FROM clock_events ce WHERE ce.meeting_id = meetings.id "
        "AND ce.action = 'end' AND ce.seq = (SELECT MAX(c2.seq) FROM clock_events c2 WHERE c2.meeting_id = meetings.id))"
    ))


def downgrade() -> None:
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index('ix_meetings_calendar_visit_id')
        batch_op.drop_index(batch_op.f('ix_meetings_round_id'))
        batch_op.drop_index('ix_meetings_place_unit_id_starts_at')
        batch_op.drop_index('ix_meetings_organiser_id_starts_at')
        batch_op.drop_column('ended_at')
        batch_op.drop_column('round_id')
        batch_op.drop_column('off_calendar_reason')
        batch_op.drop_column('calendar_visit_id')
        batch_op.drop_column('place_unit_id')
        batch_op.drop_column('organiser_id')

    op.drop_table('reception_questions')
    with op.batch_alter_table('reception_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reception_participants_reception_id'))

    op.drop_table('reception_participants')
    with op.batch_alter_table('receptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receptions_round_id'))
        batch_op.drop_index(batch_op.f('ix_receptions_meeting_id'))

    op.drop_table('receptions')
    with op.batch_alter_table('attendance_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_entries_meeting_id'))

    op.drop_table('attendance_entries')
    with op.batch_alter_table('commission_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commission_members_round_id'))

    op.drop_table('commission_members')
    with op.batch_alter_table('calendar_visits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_visits_place_unit_id'))
        batch_op.drop_index('ix_calendar_visits_organiser_id_planned_on')

    op.drop_table('calendar_visits')
    op.drop_table('calendar_changes')
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rounds_organiser_id'))

    op.drop_table('rounds')
    op.drop_table('calendars')
    op.drop_table('organisers')
    with op.batch_alter_table('admin_unit_paths', schema=None) as batch_op:
        batch_op.drop_index('ix_admin_unit_paths_unit_id_ancestor_id')

    op.drop_table('admin_unit_paths')
    op.drop_table('unit_imports')
    with op.batch_alter_table('admin_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_admin_units_parent_id'))

    op.drop_table('admin_units')
