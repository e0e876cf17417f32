"""Text hygiene and number/date formatting shared by every document format.

Citizens' texts are hostile by default: control characters break XML (DOCX, XLSX) and confuse
spreadsheets, bidirectional overrides disguise text, zero-width characters hide an IIN from a
redactor, and a 10,000-character "title" would wreck a table. Every text that reaches a document
goes through :func:`clean` (or :func:`one_line`): the one text-safety function with its document
profile, which cleans, then redacts personal data, then clips.
"""

from __future__ import annotations

from datetime import date, datetime

from tyndau.domain.text_safety import DOCUMENT, LINE, safe
from tyndau.timeutil import ALMATY, as_utc

TITLE_LIMIT = 500
TEXT_LIMIT = 2000
QUOTE_LIMIT = 300
ELLIPSIS = "…"
NBSP = "\u00a0"


def clean(text: object, limit: int = TEXT_LIMIT, lang: str | None = None) -> str:
    """A printable, XML-safe, redacted, whitespace-tidy string of at most ``limit`` characters (clipped with …).

    ``lang`` is the document's language, for its redaction marks ("[аты-жөні]" in Kazakh).
    """
    return "" if text is None else safe(text, DOCUMENT, limit=limit, lang=lang)


def one_line(text: object, limit: int = TITLE_LIMIT, lang: str | None = None) -> str:
    """Like :func:`clean`, with line breaks folded into spaces (titles, names, places)."""
    return "" if text is None else safe(text, LINE, limit=limit, lang=lang)


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
