"""Make citizens' text safe to display without changing what is stored.

The store keeps the original; what a screen shows has control characters, zero-width and bidi
tricks removed and is clipped. (HTML is never interpreted: pages set ``textContent``.)
"""

from __future__ import annotations

import re

DISPLAY_LIMIT = 1000
AUTHOR_LIMIT = 80
LONG_TEXT = 2000
# Zero-width characters and bidi controls that can hide or reorder text on screen.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u061c\ufeff\u180e]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")
_SPACES = re.compile(r"[ \t]+")
_LINES = re.compile(r"\n{3,}")


def neutralise(text: str) -> str:
    """Remove what could disguise or reorder text; keep letters, emoji and line breaks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    # Lone surrogates (from broken UTF-16 sources) would break JSON encoders downstream.
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = _PRIVATE_USE.sub("", text)
    return _LINES.sub("\n\n", _SPACES.sub(" ", text)).strip()


def display_text(text: str, limit: int = DISPLAY_LIMIT) -> tuple[str, bool]:
    """The text for screens, and whether it was clipped."""
    clean = neutralise(text)
    if len(clean) <= limit:
        return clean, False
    return clean[: limit - 1].rstrip() + "…", True


def display_author(author: str) -> str:
    """An author name fit for one line."""
    return display_text(author.replace("\n", " "), AUTHOR_LIMIT)[0]


def text_flags(text: str) -> list[str]:
    """Facts about the raw text a secretary should know (shown as badges, stored with the comment)."""
    flags = []
    if len(text) > LONG_TEXT:
        flags.append("long")
    if _INVISIBLE.search(text) or _CONTROL.search(text.replace("\n", "").replace("\t", "")):
        flags.append("control_chars")
    if "\ufffd" in text:
        flags.append("invalid_utf8")
    if not neutralise(text):
        flags.append("empty")
    return flags
