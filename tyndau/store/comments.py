"""Comments: idempotent batch inserts, the cursor-paged feed, and moderation marks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeAlias

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from tyndau.domain.comments import KINDS, IncomingComment, IngestResult
from tyndau.domain.text_safety import AUTHOR, CommentText, Profile, author_named, comment_text, safe, storable, text_flags
from tyndau.permissions import Audience
from tyndau.store.schema import comments
from tyndau.timeutil import as_utc, iso, store_time

MAX_TEXT = 100_000
# A row of ``comments`` as every comment read returns it and :func:`comment_json` reads it (by attribute).
# A frozen dataclass would cost a copy per comment on the intake's hot path (get_comments after every batch).
CommentRow: TypeAlias = sa.Row[Any]
PUBLIC_KINDS = ("text", "paid", "sticker", "membership", "request", "floor")
# Whose author is a private person's name: hall askers and pooled requesters.
PRIVATE_AUTHOR_KINDS = ("floor", "request")
NAME = Profile("name", one_line=True, limit=300)
AUDIENCES: tuple[Audience, ...] = ("public", "console", "private")


@dataclass(frozen=True, slots=True)
class PreparedComment:
    """An incoming comment turned into a row, plus the facts the writer decided."""

    meeting_id: int
    incoming: IncomingComment
    received_at: datetime
    throttled: bool


def _naive(dt: datetime) -> datetime:
    return store_time(dt)


def _clean_json(value: Any, depth: int = 0) -> Any:
    """A JSON value whose strings (and keys) the store accepts."""
    if isinstance(value, str):
        return storable(value)
    if depth > 20:
        return None
    if isinstance(value, dict):
        return {storable(k): _clean_json(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean_json(v, depth + 1) for v in value]
    if isinstance(value, float) and value != value:  # NaN is not JSON
        return None
    return value


def _row(p: PreparedComment) -> dict[str, Any]:
    """The row of one comment; raises ValueError when the comment cannot be stored at all."""
    c = p.incoming
    raw = storable(c.text)
    text = raw if len(raw) <= MAX_TEXT else raw[:MAX_TEXT]
    flags = text_flags(raw)
    if len(raw) > MAX_TEXT:
        flags.append("truncated")
    if c.kind not in KINDS:
        raise ValueError(f"unknown comment kind {c.kind!r}")
    try:
        created, received = _naive(c.created_at), _naive(p.received_at)
    except (OverflowError, ValueError) as exc:
        raise ValueError(f"created_at is out of range: {exc}") from None
    return {
        "meeting_id": p.meeting_id, "source": storable(c.source)[:60], "dedup_key": storable(c.dedup_key())[:200],
        "external_id": storable(c.external_id)[:200] if c.external_id else None, "author": storable(c.author)[:300], "text": text,
        "created_at": created, "received_at": received, "lang": storable(c.lang)[:10] if c.lang else None,
        "kind": c.kind, "extra": _clean_json(dict(c.extra)), "flags": flags, "throttled": p.throttled, "hidden": False, "version": 1,
    }


async def insert_batch(conn: AsyncConnection, batch: Sequence[PreparedComment]) -> list[tuple[IngestResult, int]]:
    """Insert what is new, skip what is known; returns (result, meeting_id) per input, in order.

    A comment that cannot be made into a row gets a result with an ``error``; the others go in.
    """
    if not batch:
        return []
    prepared: list[dict[str, Any] | str] = []
    for p in batch:
        try:
            prepared.append(_row(p))
        except (ValueError, TypeError, UnicodeError) as exc:
            prepared.append(str(exc) or type(exc).__name__)
    rows = [r for r in prepared if isinstance(r, dict)]
    stored = iter(await _insert_rows(conn, rows) if rows else [])
    return [next(stored) if isinstance(r, dict) else (IngestResult(0, False, r), p.meeting_id) for p, r in zip(batch, prepared)]


async def _insert_rows(conn: AsyncConnection, rows: list[dict[str, Any]]) -> list[tuple[IngestResult, int]]:
    dialect = conn.dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(comments)
    stmt = insert.on_conflict_do_nothing(index_elements=["meeting_id", "source", "dedup_key"]).returning(
        comments.c.id, comments.c.meeting_id, comments.c.source, comments.c.dedup_key
    )
    # SQLAlchemy renders this as multi-row INSERT ... ON CONFLICT DO NOTHING RETURNING ("insertmanyvalues"):
    # the returned rows are the new ones, matched back to the input by their key.
    result = await conn.execute(stmt, rows)
    inserted = {(r.meeting_id, r.source, r.dedup_key): r.id for r in result}
    missing = [(r["meeting_id"], r["source"], r["dedup_key"]) for r in rows if (r["meeting_id"], r["source"], r["dedup_key"]) not in inserted]
    existing: dict[tuple[int, str, str], int] = {}
    if missing:
        keys = sa.tuple_(comments.c.meeting_id, comments.c.source, comments.c.dedup_key)
        found = await conn.execute(sa.select(comments.c.id, comments.c.meeting_id, comments.c.source, comments.c.dedup_key).where(keys.in_(missing)))
        existing = {(r.meeting_id, r.source, r.dedup_key): r.id for r in found}
    results: list[tuple[IngestResult, int]] = []
    seen: set[tuple[int, str, str]] = set()
    for row in rows:
        key = (row["meeting_id"], row["source"], row["dedup_key"])
        if key in inserted and key not in seen:
            results.append((IngestResult(inserted[key], duplicate=False), row["meeting_id"]))
        else:
            results.append((IngestResult(inserted.get(key) or existing[key], duplicate=True), row["meeting_id"]))
        seen.add(key)
    return results


def _labels(labels: Any) -> Any:
    """The NLP labels without the normaliser's unredacted display text."""
    if not isinstance(labels, dict) or "display" not in labels:
        return labels
    return {k: v for k, v in labels.items() if k != "display"}


@dataclass(frozen=True, slots=True)
class CommentViews:
    """A comment's redacted text and author, computed once for every audience."""

    text: CommentText
    author: str
    author_display: str


def same_for_everyone(row: Any) -> bool:
    """True when every audience sees this comment alike (no private author, contact or typist)."""
    extra = row.extra or {}
    return row.kind not in PRIVATE_AUTHOR_KINDS and "contact" not in extra and "typed_by" not in extra


def comment_views(row: Any) -> CommentViews:
    """What :func:`comment_json` shows of a row's text and author (one search for personal data each)."""
    return CommentViews(comment_text(row.text), safe(row.author, NAME), safe(row.author, AUTHOR))


def comment_json(row: Any, audience: Audience = "public", *, views: CommentViews | None = None) -> dict[str, Any]:
    """What an audience sees of a comment: the text with personal data replaced, a display text, state.

    Everyone gets the redacted text and ``personal_data`` (the kinds hidden, so a screen can show
    that something was). Hall askers' names and pooled requesters' names are private to secretaries
    and admins (the console that typed a hall asker's name remembers it itself); so are contacts.
    The original is read through an audited reveal (``feed.reveal``).
    """
    views = views or comment_views(row)
    text = views.text
    extra = dict(row.extra or {})
    contact = extra.pop("contact", None)
    body = {
        "id": row.id, "meeting_id": row.meeting_id, "source": row.source, "external_id": row.external_id,
        "author": views.author, "author_display": views.author_display, "text": text.text,
        "display": text.display, "clipped": text.clipped, "personal_data": list(text.hidden),
        "created_at": iso(as_utc(row.created_at)), "received_at": iso(as_utc(row.received_at)), "lang": row.lang,
        "kind": row.kind, "flags": list(row.flags or []), "throttled": row.throttled, "hidden": row.hidden,
        "hidden_reason": row.hidden_reason, "pinned_at": iso(as_utc(row.pinned_at)) if row.pinned_at else None,
        "answered_at": iso(as_utc(row.answered_at)) if row.answered_at else None,
        "labels": _labels(row.labels), "is_problem": row.is_problem, "category": row.category, "cluster_id": row.cluster_id,
        "version": row.version, "extra": extra,
    }
    if audience == "private":
        if contact:
            body["contact"] = contact
        return body
    extra.pop("typed_by", None)
    if text.names and author_named(row.author or "", text.names):  # the handle would say the hidden name
        body["author"] = body["author_display"] = ""
    if row.kind in PRIVATE_AUTHOR_KINDS:  # the console that typed a hall asker's name keeps it in the browser
        body["author"] = body["author_display"] = ""
        body["extra"] = {}
    return body


@dataclass(frozen=True, slots=True)
class FeedQuery:
    """Filters of the feed."""

    after: int = 0
    limit: int = 200
    source: str | None = None
    lang: str | None = None
    search: str | None = None
    include_hidden: bool = True
    include_throttled: bool = True
    only_pinned: bool = False
    is_problem: bool | None = None
    category: str | None = None
    cluster_id: int | None = None
    newest_first: bool = False


async def list_comments(conn: AsyncConnection, meeting_id: int, q: FeedQuery) -> tuple[list[Any], int | None]:
    """A page of comments after a cursor; returns rows and the next cursor (None at the end)."""
    query = sa.select(comments).where(comments.c.meeting_id == meeting_id)
    if q.newest_first:
        if q.after:
            query = query.where(comments.c.id < q.after)
        query = query.order_by(comments.c.id.desc())
    else:
        query = query.where(comments.c.id > q.after).order_by(comments.c.id)
    if q.source:
        query = query.where(comments.c.source == q.source)
    if q.lang:
        query = query.where(comments.c.lang == q.lang)
    if q.search:
        pattern = "%" + q.search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(sa.or_(comments.c.text.ilike(pattern, escape="\\"), comments.c.author.ilike(pattern, escape="\\")))
    if not q.include_hidden:
        query = query.where(comments.c.hidden.is_(False))
    if not q.include_throttled:
        query = query.where(comments.c.throttled.is_(False))
    if q.only_pinned:
        query = query.where(comments.c.pinned_at.is_not(None))
    if q.is_problem is not None:
        query = query.where(comments.c.is_problem.is_(q.is_problem))
    if q.category:
        query = query.where(comments.c.category == q.category)
    if q.cluster_id is not None:
        query = query.where(comments.c.cluster_id == q.cluster_id)
    rows = (await conn.execute(query.limit(q.limit + 1))).all()
    more = len(rows) > q.limit
    rows = rows[: q.limit]
    return list(rows), (int(rows[-1].id) if more and rows else None)


async def get_comments(conn: AsyncConnection, ids: Iterable[int]) -> list[Any]:
    """Rows by id, in id order."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    return list((await conn.execute(sa.select(comments).where(comments.c.id.in_(wanted)).order_by(comments.c.id))).all())


async def update_comment(conn: AsyncConnection, meeting_id: int, comment_id: int, **values: Any) -> Any | None:
    """Change moderation fields of one comment (bumping its version) and return the row."""
    result = await conn.execute(
        comments.update()
        .where(comments.c.id == comment_id, comments.c.meeting_id == meeting_id)
        .values(**values, version=comments.c.version + 1)
    )
    if not result.rowcount:
        return None
    return (await conn.execute(sa.select(comments).where(comments.c.id == comment_id))).first()


async def counts_by_source(conn: AsyncConnection, meeting_id: int) -> dict[str, int]:
    """How many comments each source brought."""
    rows = await conn.execute(
        sa.select(comments.c.source, sa.func.count()).where(comments.c.meeting_id == meeting_id).group_by(comments.c.source)
    )
    return {r[0]: r[1] for r in rows}


async def set_hidden_by_key(conn: AsyncConnection, meeting_id: int, source: str, key: str, hidden: bool, reason: str | None) -> Any | None:
    """Hide or show a comment found by its platform id (a platform's own moderation); the row, or None."""
    found = await conn.scalar(sa.select(comments.c.id).where(
        comments.c.meeting_id == meeting_id, comments.c.source == source, comments.c.dedup_key == key))
    if found is None:
        return None
    return await update_comment(conn, meeting_id, found, hidden=hidden, hidden_reason=reason if hidden else None)


async def comment_ids(conn: AsyncConnection, meeting_id: int, *, skip_kinds: Sequence[str] = ()) -> list[int]:
    """Every comment id of a meeting in order, without the given kinds."""
    query = sa.select(comments.c.id).where(comments.c.meeting_id == meeting_id)
    if skip_kinds:
        query = query.where(comments.c.kind.not_in(skip_kinds))
    return [int(i) for i in (await conn.execute(query.order_by(comments.c.id))).scalars()]


async def answered_count(conn: AsyncConnection, meeting_id: int) -> int:
    """How many of a meeting's comments were marked answered."""
    query = sa.select(sa.func.count()).where(comments.c.meeting_id == meeting_id, comments.c.answered_at.is_not(None))
    return int(await conn.scalar(query) or 0)


async def last_comment_id(conn: AsyncConnection) -> int:
    """The highest comment id in the store (0 when it is empty)."""
    return int(await conn.scalar(sa.select(sa.func.max(comments.c.id))) or 0)


async def comments_after(conn: AsyncConnection, watermark: int, also: Sequence[int] = (), *, limit: int = 5000) -> list[CommentRow]:
    """Comment rows above ``watermark`` or among ``also`` (ids skipped before), in id order, at most ``limit``."""
    seen = sa.or_(comments.c.id > watermark, comments.c.id.in_(also)) if also else comments.c.id > watermark
    return list((await conn.execute(sa.select(comments).where(seen).order_by(comments.c.id).limit(limit))).all())
