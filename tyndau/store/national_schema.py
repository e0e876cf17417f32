"""The national side's tables (issue 15), on the store's one metadata.

``user_scopes`` and ``token_scopes``: the unit (and so its subtree) or the central body a user or
an API token works for; one without a row is national, as every user and token was before. ``central_items``: the analysis of a problem
marked as needing the central level (its status, the sum, the proposal, the body responsible).
``progress_reports``: when an organiser handed in its quarterly progress report (due the 25th).
"""

from __future__ import annotations

import sqlalchemy as sa

from tyndau.store.schema import metadata

user_scopes = sa.Table(
    "user_scopes", metadata,
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("unit_id", sa.String(40), sa.ForeignKey("admin_units.id", ondelete="CASCADE"), nullable=True),
    sa.Column("organiser_id", sa.String(60), sa.ForeignKey("organisers.id", ondelete="CASCADE"), nullable=True),
    sa.Column("set_at", sa.DateTime, nullable=False),
)

central_items = sa.Table(
    "central_items", metadata,
    sa.Column("problem_id", sa.Integer, sa.ForeignKey("problems.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("analysis", sa.String(30), nullable=False, default="pending"),
    sa.Column("amount", sa.BigInteger, nullable=True),
    sa.Column("proposal", sa.Text, nullable=False, default=""),
    sa.Column("body_id", sa.String(60), sa.ForeignKey("organisers.id", ondelete="SET NULL"), nullable=True, index=True),
    sa.Column("selected", sa.Boolean, nullable=False, default=False),
    sa.Column("version", sa.Integer, nullable=False, default=1),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("updated_by", sa.String(100), nullable=False, default=""),
)

token_scopes = sa.Table(
    "token_scopes", metadata,
    sa.Column("token_id", sa.Integer, sa.ForeignKey("api_tokens.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("unit_id", sa.String(40), sa.ForeignKey("admin_units.id", ondelete="CASCADE"), nullable=True),
    sa.Column("organiser_id", sa.String(60), sa.ForeignKey("organisers.id", ondelete="CASCADE"), nullable=True),
)

progress_reports = sa.Table(
    "progress_reports", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("organiser_id", sa.String(60), sa.ForeignKey("organisers.id", ondelete="CASCADE"), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("quarter", sa.Integer, nullable=False),
    sa.Column("submitted_at", sa.DateTime, nullable=False),
    sa.Column("actor", sa.String(100), nullable=False, default=""),
    sa.UniqueConstraint("organiser_id", "year", "quarter", name="uq_progress_reports_organiser_period"),
)
