"""Make citizens' text safe to show or publish, without changing what is stored.

The one place that turns a stored text into what leaves it. The store keeps the original;
every view is made by :func:`safe_text` with a named :class:`Profile`, in this order:
invisible and control characters removed (:mod:`tyndau.domain.text_chars`), personal data
replaced by placeholders (:mod:`tyndau.domain.personal_data`), then clipped. Redacting after the
clean-up is the point: "9501\u200b01300125" is an IIN once the zero-width space is gone.
(HTML is never interpreted: pages set ``textContent``; documents escape.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tyndau.domain.personal_data import Span, find_in_clean, localise_marks, redact
from tyndau.domain.text_chars import clean, clean_mapped, clip, has_hidden_characters, is_clean, storable

DISPLAY_LIMIT = 1000
AUTHOR_LIMIT = 80
LONG_TEXT = 2000

__all__ = [
    "AUTHOR", "DOCUMENT", "LINE", "ORIGINAL", "PUBLIC", "SCREEN", "CommentText", "Profile", "SafeText",
    "author_named", "comment_text", "safe", "safe_text", "storable", "text_flags",
]


@dataclass(frozen=True, slots=True)
class Profile:
    """How a text is prepared for one kind of view."""

    name: str
    redact: bool = True
    one_line: bool = False
    limit: int | None = None


# The stored text made readable but not redacted: only for a secretary's audited reveal.
ORIGINAL = Profile("original", redact=False)
# Everything that leaves the store for people: consoles, presenter, overlay, viewers, drafts.
PUBLIC = Profile("public")
SCREEN = Profile("screen", limit=DISPLAY_LIMIT)
AUTHOR = Profile("author", one_line=True, limit=AUTHOR_LIMIT)
# Documents: the 10-day package and the quarterly report, every format.
DOCUMENT = Profile("document", limit=2000)
LINE = Profile("line", one_line=True, limit=500)


@dataclass(frozen=True, slots=True)
class SafeText:
    """A prepared text, whether it was clipped, and which kinds of personal data it hid."""

    text: str
    clipped: bool = False
    hidden: tuple[str, ...] = ()


def _kinds(spans: list[Span]) -> tuple[str, ...]:
    return tuple(sorted({s.kind for s in spans}))


def safe_text(value: object, profile: Profile = PUBLIC, *, limit: int | None = None,
              lang: str | None = None) -> SafeText:
    """``value`` prepared by ``profile`` (``limit`` overrides the profile's clip length).

    ``lang`` is the reader's language: a Kazakh document gets "[аты-жөні]" where a Russian one has
    "[имя]", for marks made now and for those already in a stored, redacted text.
    """
    text = "" if value is None else value if isinstance(value, str) else str(value)
    text = clean(text, one_line=profile.one_line)
    hidden: tuple[str, ...] = ()
    if profile.redact:
        spans = find_in_clean(text)
        if spans:
            text, hidden = redact(text, spans), _kinds(spans)
        text = localise_marks(text, lang)
    cut = limit if limit is not None else profile.limit
    if cut is None:
        return SafeText(text, False, hidden)
    clipped, was_clipped = clip(text, cut)
    return SafeText(clipped, was_clipped, hidden)


def safe(value: object, profile: Profile = PUBLIC, *, limit: int | None = None, lang: str | None = None) -> str:
    """Just the text of :func:`safe_text`."""
    return safe_text(value, profile, limit=limit, lang=lang).text


@dataclass(frozen=True, slots=True)
class CommentText:
    """A comment's text as every view gets it.

    ``text`` is the stored text with personal data replaced (other characters as received),
    ``display`` the cleaned, redacted and clipped text for screens.
    """

    text: str
    display: str
    clipped: bool
    hidden: tuple[str, ...]
    names: tuple[str, ...] = ()  # the names it gave, as letters only (see :func:`author_named`)


def _letters(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalpha())


def _names(text: str, spans: Sequence[Span]) -> tuple[str, ...]:
    return tuple(key for s in spans if s.kind == "name" and len(key := _letters(text[s.start:s.end])) >= 4)


def author_named(author: str, names: Sequence[str]) -> bool:
    """Whether a handle spells a name the text gave and the text's view hides.

    "Меня зовут Айгуль Сейтова, мой ИИН …" from ``@АйгульСейтова``: blanking the name in the text
    and showing it as the author would put it on the screen all the same.
    """
    key = _letters(author)
    return bool(key) and any(name in key for name in names)


def comment_text(raw: str, limit: int = DISPLAY_LIMIT) -> CommentText:
    """Both views of one comment, from one search for personal data on the cleaned text."""
    if is_clean(raw):
        spans = find_in_clean(raw)
        redacted = redact(raw, spans) if spans else raw
        display, clipped = clip(redacted, limit)
        return CommentText(redacted, display, clipped, _kinds(spans), _names(raw, spans))
    cleaned = clean_mapped(raw)
    spans = find_in_clean(cleaned.text)
    display, clipped = clip(redact(cleaned.text, spans) if spans else cleaned.text, limit)
    if not spans:
        return CommentText(raw, display, clipped, ())
    raw_spans = [Span(*cleaned.raw_span(s.start, s.end), s.kind) for s in spans]
    return CommentText(redact(raw, raw_spans), display, clipped, _kinds(spans), _names(cleaned.text, spans))


def text_flags(text: str) -> list[str]:
    """Facts about the raw text a secretary should know (shown as badges, stored with the comment)."""
    flags = []
    if len(text) > LONG_TEXT:
        flags.append("long")
    if has_hidden_characters(text.replace("\n", "").replace("\t", "").replace("\r", "")):
        flags.append("control_chars")
    if "\ufffd" in text:
        flags.append("invalid_utf8")
    if not clean(text):
        flags.append("empty")
    return flags
