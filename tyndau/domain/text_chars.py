"""Which characters hide, reorder or break text, and the one pass that removes them.

Every cleaner reads this table (screens, documents, the personal-data finder), so a digit
string split by a zero-width space is joined up *before* anyone looks for an IIN in it. The
pass only deletes characters or replaces one character by one, so a position in the clean text
maps back to a position in the original (:class:`Cleaned`): spans found in the clean text can
be cut out of the stored original too.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

ELLIPSIS = "…"
# Zero-width and bidi controls, soft hyphen, combining grapheme joiner, Hangul fillers, Mongolian
# vowel separator, word joiner and invisible operators, BOM, interlinear annotations, tag
# characters, private use, non-characters and lone surrogates; and U+FFFD, which the store puts for
# a NUL (:func:`storable`): "87\x00011…" is kept as "87\ufffd011…", and a reader reads the phone through it.
_INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b\u200c\u200e\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufeff\uffa0\ufff0-\ufffb\ufffd\ufffe\uffff\ue000-\uf8ff\ud800-\udfff"
    "\U000e0000-\U000e0fff\U000f0000-\U0010ffff"
)
# C0/C1 controls other than the line breaks and the tab, which count as white space below.
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_PICTOGRAPH = "\u2600-\u27bf\U0001f000-\U0001faff"
# A zero-width joiner is kept only inside an emoji sequence (👨‍👩‍👧); anywhere else it hides a split.
_LONE_ZWJ = f"(?:(?<![{_PICTOGRAPH}\ufe0f\U0001f3fb-\U0001f3ff])\u200d|\u200d(?![{_PICTOGRAPH}]))"
_NEWLINE = "\n\r\u2028\u2029"
_SPACE = " \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_RUN = re.compile(f"(?:[{_INVISIBLE}{_CONTROL}{_NEWLINE}{_SPACE}]|{_LONE_ZWJ})+")
_HAS_NEWLINE = re.compile(f"[{_NEWLINE}]")
_CRLF = re.compile("\r\n")
_SPACE_OR_NEWLINE = re.compile(f"[{_SPACE}{_NEWLINE}]")
_SURROGATE_OR_NUL = re.compile("[\x00\ud800-\udfff]")
# Anything :func:`clean` would change, bar a plain space or a single line break between words.
_DIRTY = re.compile(f"[{_INVISIBLE}{_CONTROL}\u200d\r\u2028\u2029{_SPACE.replace(' ', '')}]| \n|\n |\n\n\n")
_UNSAFE = re.compile(f"[{_INVISIBLE}{_CONTROL}]|{_LONE_ZWJ}")


def storable(value: object) -> str:
    """What the store may keep: lone surrogates and NUL become U+FFFD, nothing else changes.

    PostgreSQL refuses NUL and UTF-8 refuses lone surrogates; everything else is kept as received.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return _SURROGATE_OR_NUL.sub("\ufffd", text) if _SURROGATE_OR_NUL.search(text) else text


def has_hidden_characters(text: str) -> bool:
    """True when the text holds characters that hide or reorder what is shown."""
    return _UNSAFE.search(text) is not None


@dataclass(frozen=True, slots=True)
class Cleaned:
    """A cleaned text and, for each of its characters, where it came from in the original."""

    text: str
    _clean_starts: tuple[int, ...]
    _raw_starts: tuple[int, ...]

    def raw_offset(self, pos: int) -> int:
        """The original's index of the clean text's character at ``pos``."""
        i = bisect.bisect_right(self._clean_starts, pos) - 1
        return self._raw_starts[i] + (pos - self._clean_starts[i])

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The original's ``[start, end)`` covering the clean text's ``[start, end)``."""
        return self.raw_offset(start), self.raw_offset(end - 1) + 1


def _replacement(run: str, one_line: bool) -> str:
    if _CRLF.search(run):
        run = _CRLF.sub("\n", run)
    if not _SPACE_OR_NEWLINE.search(run):
        return ""  # only invisible characters: a split to join up, not a word break
    newlines = len(_HAS_NEWLINE.findall(run))
    if one_line or not newlines:
        return " "
    return "\n" if newlines == 1 else "\n\n"


def is_clean(text: str, *, one_line: bool = False) -> bool:
    """True when :func:`clean` would return ``text`` unchanged (the common case, checked fast)."""
    if not text:
        return True
    if text[0] in " \n" or text[-1] in " \n" or "  " in text or (one_line and "\n" in text):
        return False
    return _DIRTY.search(text) is None


def clean(text: str, *, one_line: bool = False) -> str:
    """``text`` without invisible or control characters, white space tidied (at most one blank line)."""
    if is_clean(text, one_line=one_line):
        return text
    out = _RUN.sub(lambda m: _replacement(m.group(0), one_line), text)
    return out.strip(" \n")


def clean_mapped(text: str, *, one_line: bool = False) -> Cleaned:
    """Like :func:`clean`, remembering where each character came from."""
    pieces: list[tuple[str, int]] = []  # (clean piece, where it starts in the original)
    pos = 0
    for m in _RUN.finditer(text):
        pieces.append((text[pos : m.start()], pos))
        pieces.append((_replacement(m.group(0), one_line), m.start()))
        pos = m.end()
    pieces.append((text[pos:], pos))
    # Kept pieces never hold white space (every space is in a run), so stripping the text is
    # dropping the white pieces at both ends, as :func:`clean` does.
    pieces = [p for p in pieces if p[0]]
    while pieces and not pieces[0][0].strip(" \n"):
        pieces.pop(0)
    while pieces and not pieces[-1][0].strip(" \n"):
        pieces.pop()
    if not pieces:
        return Cleaned("", (0,), (0,))
    clean_starts: list[int] = []
    at = 0
    for piece, _ in pieces:
        clean_starts.append(at)
        at += len(piece)
    return Cleaned("".join(p for p, _ in pieces), tuple(clean_starts), tuple(r for _, r in pieces))


def clip(text: str, limit: int) -> tuple[str, bool]:
    """At most ``limit`` characters, cut with an ellipsis; and whether it was cut."""
    if len(text) <= limit:
        return text, False
    return text[: max(0, limit - 1)].rstrip() + ELLIPSIS, True
