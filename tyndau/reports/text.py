"""Text hygiene and number/date formatting shared by every document format.

Citizens' texts are hostile by default: control characters break XML (DOCX, XLSX) and confuse
spreadsheets, bidirectional overrides disguise text, and a 10,000-character "title" would wreck
a table. Every text that reaches a document goes through :func:`clean` first.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from tyndau.timeutil import ALMATY, as_utc

TITLE_LIMIT = 500
TEXT_LIMIT = 2000
QUOTE_LIMIT = 300
ELLIPSIS = "…"
NBSP = "\u00a0"

# C0 controls except tab/newline, DEL, C1 controls, bidi embeddings/overrides/isolates, zero-width
# joiners' troublesome cousins, BOM, non-characters and lone surrogates.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff\ud800-\udfff]"
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u3000]+")
_NEWLINES = re.compile(r"\n{3,}")


def clean(text: object, limit: int = TEXT_LIMIT) -> str:
    """A printable, XML-safe, whitespace-tidy string of at most ``limit`` characters (clipped with …)."""
    if text is None:
        return ""
    value = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    value = _UNSAFE.sub("", value)
    value = "\n".join(_SPACES.sub(" ", line).strip() for line in value.split("\n"))
    value = _NEWLINES.sub("\n\n", value).strip()
    if len(value) > limit:
        value = value[: max(0, limit - 1)].rstrip() + ELLIPSIS
    return value


def one_line(text: object, limit: int = TITLE_LIMIT) -> str:
    """Like :func:`clean`, with line breaks folded into spaces (titles, names, places)."""
    return clean(clean(text, limit * 2).replace("\n", " "), limit)


def spreadsheet_safe(text: str) -> str:
    """Neutralise a leading formula character so a CSV cell is never run as a formula by Excel."""
    if text and text[0] in "=+-@\t\r|%":
        return "'" + text
    return text


def fmt_date(value: date | datetime | None) -> str:
    """dd.mm.yyyy (an instant is shown as its Almaty date); '' for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = as_utc(value).astimezone(ALMATY).date()
    return value.strftime("%d.%m.%Y")


def fmt_datetime(value: datetime | None) -> str:
    """dd.mm.yyyy HH:MM in Almaty time; '' for None."""
    if value is None:
        return ""
    return as_utc(value).astimezone(ALMATY).strftime("%d.%m.%Y %H:%M")


def fmt_int(value: int | None, sep: str = NBSP) -> str:
    """An integer with thousands grouped by a non-breaking space (Russian/Kazakh style); '' for None."""
    if value is None:
        return ""
    return f"{value:,}".replace(",", sep)


def fmt_percent(share: float | None, digits: int = 1) -> str:
    """A 0..1 share as '52,3 %' (decimal comma); '' for None."""
    if share is None:
        return ""
    return f"{share * 100:.{digits}f}".replace(".", ",") + NBSP + "%"


def share(part: float, whole: float) -> float | None:
    """part / whole, or None when the whole is zero (no 'NaN %' in a document)."""
    return None if not whole else part / whole
