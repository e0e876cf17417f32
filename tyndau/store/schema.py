"""The store's tables (SQLAlchemy Core), shared by SQLite and PostgreSQL.

Datetimes are kept as naive UTC in both databases; :mod:`tyndau.timeutil` makes them aware on
the way out. Alembic migrations in ``migrations/versions`` create exactly these tables.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("password_hash", sa.String(300), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
)

api_tokens = sa.Table(
    "api_tokens", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("revoked_at", sa.DateTime, nullable=True),
)

sessions = sa.Table(
    "sessions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("expires_at", sa.DateTime, nullable=False),
)

meetings = sa.Table(
    "meetings", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("title_kk", sa.String(300), nullable=False, server_default=""),
    sa.Column("akim_level", sa.String(30), nullable=False),
    sa.Column("place", sa.String(300), nullable=False, default=""),
    sa.Column("starts_at", sa.DateTime, nullable=False),
    sa.Column("planned_minutes", sa.Integer, nullable=False),
    sa.Column("announced_at", sa.DateTime, nullable=True),
    sa.Column("stream_links", sa.JSON, nullable=False, default=list),
    sa.Column("presenter_message", sa.String(300), nullable=False, default=""),
    sa.Column("presenter_message_at", sa.DateTime, nullable=True),
    sa.Column("current_comment_id", sa.Integer, nullable=True),
    sa.Column("akim_name", sa.String(200), nullable=False, server_default=""),
    sa.Column("attendance", sa.Integer, nullable=True),
    sa.Column("online_reach", sa.Integer, nullable=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    # The planning side (issue 14): who held it, where, which calendar visit it realises (or why it
    # was outside the calendar), its round, and when its clock ended (kept by clock_log.append_events).
    # Plain indexed columns, no database foreign keys: adding those would make SQLite rebuild the
    # table, and dropping the old copy with foreign keys on cascades into comments and clock events.
    # The actions check every id they write.
    sa.Column("organiser_id", sa.String(60), nullable=True),
    sa.Column("place_unit_id", sa.String(40), nullable=True),
    sa.Column("calendar_visit_id", sa.Integer, nullable=True),
    sa.Column("off_calendar_reason", sa.String(30), nullable=True),
    sa.Column("round_id", sa.Integer, nullable=True, index=True),
    sa.Column("ended_at", sa.DateTime, nullable=True),
    # Issue 15: the presentation's length once the clock ended (kept by clock_log with ended_at), so
    # the compliance monitor checks the quarter rule for a nation's meetings without replaying clocks.
    sa.Column("presentation_seconds", sa.Float, nullable=True),
    sa.Index("ix_meetings_organiser_id_starts_at", "organiser_id", "starts_at"),
    sa.Index("ix_meetings_place_unit_id_starts_at", "place_unit_id", "starts_at"),
    sa.Index("ix_meetings_calendar_visit_id", "calendar_visit_id", unique=True),
)

meeting_amendments = sa.Table(
    "meeting_amendments", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("field", sa.String(40), nullable=False),
    sa.Column("old", sa.JSON, nullable=True),
    sa.Column("new", sa.JSON, nullable=True),
    sa.Column("reason", sa.Text, nullable=False),
)

clock_events = sa.Table(
    "clock_events", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("action", sa.String(30), nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("mono", sa.Float, nullable=False),
    sa.Column("boot_id", sa.String(40), nullable=False),
    sa.Column("undoes", sa.Integer, nullable=True),
    sa.Column("down_from", sa.DateTime, nullable=True),
    sa.Column("actor", sa.String(100), nullable=False, default=""),
    sa.Column("command_id", sa.String(64), nullable=True),
    sa.UniqueConstraint("meeting_id", "seq", name="uq_clock_events_meeting_seq"),
    sa.UniqueConstraint("meeting_id", "command_id", name="uq_clock_events_meeting_command"),
)

boots = sa.Table(
    "boots", metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("started_at", sa.DateTime, nullable=False),
    sa.Column("last_seen_at", sa.DateTime, nullable=False),
)

audit_log = sa.Table(
    "audit_log", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("action", sa.String(60), nullable=False),
    sa.Column("meeting_id", sa.Integer, nullable=True, index=True),
    sa.Column("detail", sa.JSON, nullable=False, default=dict),
)

comments = sa.Table(
    "comments", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False),
    sa.Column("source", sa.String(60), nullable=False),
    sa.Column("dedup_key", sa.String(200), nullable=False),
    sa.Column("external_id", sa.String(200), nullable=True),
    sa.Column("author", sa.String(300), nullable=False, default=""),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("received_at", sa.DateTime, nullable=False),
    sa.Column("lang", sa.String(10), nullable=True),
    sa.Column("kind", sa.String(20), nullable=False, default="text"),
    sa.Column("extra", sa.JSON, nullable=False, default=dict),
    sa.Column("flags", sa.JSON, nullable=False, default=list),
    sa.Column("throttled", sa.Boolean, nullable=False, default=False),
    sa.Column("hidden", sa.Boolean, nullable=False, default=False),
    sa.Column("hidden_reason", sa.String(200), nullable=True),
    sa.Column("pinned_at", sa.DateTime, nullable=True),
    sa.Column("answered_at", sa.DateTime, nullable=True),
    sa.Column("labels", sa.JSON, nullable=True),
    sa.Column("is_problem", sa.Boolean, nullable=True),
    sa.Column("category", sa.String(40), nullable=True),
    sa.Column("cluster_id", sa.Integer, nullable=True),
    sa.Column("needs_review", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("reviewed_at", sa.DateTime, nullable=True),
    sa.Column("reviewed_by", sa.String(100), nullable=True),
    sa.Column("version", sa.Integer, nullable=False, default=1),
    sa.UniqueConstraint("meeting_id", "source", "dedup_key", name="uq_comments_meeting_source_key"),
    sa.Index("ix_comments_meeting_id_id", "meeting_id", "id"),
)

sources = sa.Table(
    "sources", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("config", sa.JSON, nullable=False, default=dict),
    sa.Column("running", sa.Boolean, nullable=False, default=False),
    sa.Column("checkpoint", sa.JSON, nullable=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)

problems = sa.Table(
    "problems", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("cluster_id", sa.Integer, nullable=True),
    sa.Column("origin", sa.String(10), nullable=False, default="machine"),
    sa.Column("title_ru", sa.String(500), nullable=False, default=""),
    sa.Column("title_kk", sa.String(500), nullable=False, default=""),
    sa.Column("category", sa.String(40), nullable=True),
    sa.Column("place", sa.String(300), nullable=False, default=""),
    sa.Column("place_kk", sa.String(300), nullable=False, server_default=""),
    sa.Column("human_fields", sa.JSON, nullable=False, default=list),
    sa.Column("executor", sa.String(300), nullable=False, default=""),
    sa.Column("deadline", sa.Date, nullable=True),
    sa.Column("competence", sa.String(20), nullable=False, default="local"),
    sa.Column("funding_need", sa.BigInteger, nullable=True),
    sa.Column("funding_allocated", sa.BigInteger, nullable=True),
    sa.Column("funding_source", sa.String(20), nullable=True),
    sa.Column("status", sa.String(30), nullable=False, default="in_progress"),
    sa.Column("measures", sa.Text, nullable=False, default=""),
    sa.Column("notes", sa.Text, nullable=False, default=""),
    sa.Column("central_list", sa.Boolean, nullable=False, default=False),
    sa.Column("accepted", sa.Boolean, nullable=False, default=False),
    sa.Column("merged_into", sa.Integer, nullable=True),
    sa.Column("version", sa.Integer, nullable=False, default=1),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Index("ix_problems_central_list", "central_list"),
)

problem_comments = sa.Table(
    "problem_comments", metadata,
    sa.Column("comment_id", sa.Integer, sa.ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("problem_id", sa.Integer, sa.ForeignKey("problems.id", ondelete="CASCADE"), nullable=True, index=True),
    sa.Column("locked", sa.Boolean, nullable=False, default=False),
)

review_decisions = sa.Table(
    "review_decisions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("payload", sa.JSON, nullable=False, default=dict),
    sa.Column("undo", sa.JSON, nullable=False, default=dict),
    sa.Column("undone", sa.Boolean, nullable=False, default=False),
)

corrections = sa.Table(
    "corrections", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("comment_id", sa.Integer, sa.ForeignKey("comments.id", ondelete="CASCADE"), nullable=True, unique=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("category", sa.String(40), nullable=True),
    sa.Column("is_problem", sa.Boolean, nullable=True),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
)

problem_status_log = sa.Table(
    "problem_status_log", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("problem_id", sa.Integer, sa.ForeignKey("problems.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("status", sa.String(30), nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
)

cluster_feedback = sa.Table(
    "cluster_feedback", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("a_comment_id", sa.Integer, sa.ForeignKey("comments.id", ondelete="CASCADE"), nullable=False),
    sa.Column("b_comment_id", sa.Integer, sa.ForeignKey("comments.id", ondelete="CASCADE"), nullable=False),
    sa.Column("same", sa.Boolean, nullable=False),
    sa.Column("decision_id", sa.Integer, sa.ForeignKey("review_decisions.id", ondelete="CASCADE"), nullable=True, index=True),
    sa.Column("at", sa.DateTime, nullable=False),
)


# The planning tables live in their own module on the same metadata (imported here so that
# ``metadata`` always holds every table, for Alembic and for the tests).
from tyndau.store import national_schema as _national  # noqa: E402,F401
from tyndau.store import planning_schema as _planning  # noqa: E402,F401
