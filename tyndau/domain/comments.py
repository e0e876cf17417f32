"""The one shape every comment source produces, whatever the platform."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

KINDS = frozenset(
    {"text", "paid", "sticker", "membership", "deleted", "placeholder", "request", "floor", "media"}
)


OWN_KEY = "own"
"""``extra["own"]``: why a comment is the page's own post (``page``, ``channel``, ``anonymous_admin``,
``account``, ``channel_owner``); stored and shown, but never labelled as a citizen's problem."""


@dataclass(frozen=True, slots=True)
class IncomingComment:
    """A comment as a source received it, before it is stored.

    ``external_id`` is the platform's id; where a source has none, :meth:`dedup_key` falls back
    to a hash of the content so that re-ingesting the same file stays idempotent.
    """

    source: str
    external_id: str | None
    author: str
    text: str
    created_at: datetime
    lang: str | None = None
    kind: str = "text"
    extra: Mapping[str, Any] = field(default_factory=dict)

    def dedup_key(self) -> str:
        """The idempotency key within a meeting: the platform id, else a content hash."""
        if self.external_id:
            return self.external_id
        digest = hashlib.sha256(
            "\x1f".join(
                (self.author, self.text, self.created_at.isoformat(), self.kind)
            ).encode("utf-8", "surrogatepass")
        ).hexdigest()
        return f"sha256:{digest[:40]}"


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What the store did with one incoming comment.

    ``error`` says why one comment could not be stored (``id`` is then 0); the rest of its batch
    is stored regardless.
    """

    id: int
    duplicate: bool
    error: str | None = None

    @property
    def stored(self) -> bool:
        """True when the comment is in the store (new or seen before)."""
        return self.error is None
