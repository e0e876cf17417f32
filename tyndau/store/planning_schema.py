"""The planning side's tables (issue 14), on the store's one metadata.

Administrative units with a closure table (``admin_unit_paths``: every ancestor of every unit,
itself included at depth 0), so "a unit and everything below it" is one indexed join at national
scale; organisers (akimats and central bodies); calendars as persisted change events with a
projection of the current plan; rounds, receptions and the people around a meeting. Dates are
``DATE``; instants naive UTC, as everywhere in the store.
"""

from __future__ import annotations

import sqlalchemy as sa

from tyndau.store.schema import metadata

admin_units = sa.Table(
    "admin_units", metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("name_ru", sa.String(300), nullable=False, default=""),
    sa.Column("name_kk", sa.String(300), nullable=False, default=""),
    sa.Column("parent_id", sa.String(40), sa.ForeignKey("admin_units.id"), nullable=True, index=True),
    sa.Column("kato", sa.String(9), nullable=True, unique=True),
    sa.Column("valid_from", sa.Date, nullable=True),
    sa.Column("valid_to", sa.Date, nullable=True),
    sa.Column("source", sa.String(200), nullable=False, default=""),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)

admin_unit_paths = sa.Table(
    "admin_unit_paths", metadata,
    sa.Column("ancestor_id", sa.String(40), sa.ForeignKey("admin_units.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("unit_id", sa.String(40), sa.ForeignKey("admin_units.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("depth", sa.Integer, nullable=False),
    sa.Index("ix_admin_unit_paths_unit_id_ancestor_id", "unit_id", "ancestor_id"),
)

unit_imports = sa.Table(
    "unit_imports", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("filename", sa.String(300), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("units_total", sa.Integer, nullable=False),
    sa.Column("created", sa.Integer, nullable=False),
    sa.Column("updated", sa.Integer, nullable=False),
    sa.Column("unchanged", sa.Integer, nullable=False),
    sa.Column("skipped", sa.JSON, nullable=False, default=list),
)

organisers = sa.Table(
    "organisers", metadata,
    sa.Column("id", sa.String(60), primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),  # akimat | central_body
    sa.Column("unit_id", sa.String(40), sa.ForeignKey("admin_units.id"), nullable=True, unique=True),
    sa.Column("level", sa.String(30), nullable=False),
    sa.Column("name_ru", sa.String(300), nullable=False, default=""),
    sa.Column("name_kk", sa.String(300), nullable=False, default=""),
    sa.Column("exempt", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)

calendars = sa.Table(
    "calendars", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("organiser_id", sa.String(60), sa.ForeignKey("organisers.id", ondelete="CASCADE"), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("organiser_id", "year", name="uq_calendars_organiser_year"),
)

calendar_changes = sa.Table(
    "calendar_changes", metadata,
    sa.Column("calendar_id", sa.Integer, sa.ForeignKey("calendars.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("reason", sa.Text, nullable=False, default=""),
    sa.Column("operations", sa.JSON, nullable=False, default=list),
    sa.Column("maslikhat_agreed_on", sa.Date, nullable=True),
    sa.Column("maslikhat_ref", sa.String(200), nullable=False, default=""),
)

calendar_visits = sa.Table(
    "calendar_visits", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("calendar_id", sa.Integer, sa.ForeignKey("calendars.id", ondelete="CASCADE"), nullable=False),
    sa.Column("visit_key", sa.String(40), nullable=False),
    sa.Column("organiser_id", sa.String(60), sa.ForeignKey("organisers.id", ondelete="CASCADE"), nullable=False),
    sa.Column("planned_on", sa.Date, nullable=False),
    sa.Column("place_unit_id", sa.String(40), sa.ForeignKey("admin_units.id"), nullable=True, index=True),
    sa.Column("note", sa.String(500), nullable=False, default=""),
    sa.Column("status", sa.String(20), nullable=False, default="planned"),  # planned | cancelled
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("calendar_id", "visit_key", name="uq_calendar_visits_calendar_key"),
    sa.Index("ix_calendar_visits_organiser_id_planned_on", "organiser_id", "planned_on"),
)

rounds = sa.Table(
    "rounds", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("organiser_id", sa.String(60), sa.ForeignKey("organisers.id"), nullable=True, index=True),
    sa.Column("title", sa.String(300), nullable=False, default=""),
    sa.Column("published_at", sa.DateTime, nullable=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)

receptions = sa.Table(
    "receptions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("round_id", sa.Integer, sa.ForeignKey("rounds.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("starts_at", sa.DateTime, nullable=False),
    sa.Column("ended_at", sa.DateTime, nullable=True),
    sa.Column("place", sa.String(300), nullable=False, default=""),
    sa.Column("citizens_received", sa.Integer, nullable=True),
    sa.Column("cancelled", sa.Boolean, nullable=False, default=False),
    sa.Column("version", sa.Integer, nullable=False, default=1),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)

reception_participants = sa.Table(
    "reception_participants", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("reception_id", sa.Integer, sa.ForeignKey("receptions.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("role", sa.String(40), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("organisation", sa.String(300), nullable=False, default=""),
)

reception_questions = sa.Table(
    "reception_questions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("reception_id", sa.Integer, sa.ForeignKey("receptions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("qkey", sa.String(40), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("lang", sa.String(10), nullable=True),
    sa.Column("answered_on_spot", sa.Boolean, nullable=False, default=False),
    sa.Column("comment_id", sa.Integer, sa.ForeignKey("comments.id", ondelete="SET NULL"), nullable=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("reception_id", "qkey", name="uq_reception_questions_reception_key"),
)

commission_members = sa.Table(
    "commission_members", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("round_id", sa.Integer, sa.ForeignKey("rounds.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("role", sa.String(40), nullable=False),
    sa.Column("organisation", sa.String(300), nullable=False, default=""),
)

attendance_entries = sa.Table(
    "attendance_entries", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("category", sa.String(40), nullable=False),
    sa.Column("organisation", sa.String(300), nullable=False, default=""),
    sa.Column("name", sa.String(200), nullable=False, default=""),
    sa.Column("count", sa.Integer, nullable=False, default=1),
)
