"""Dates in office exports: native cells, Excel serial numbers, and day-first or month-first text.

Naive values are Almaty time. Which way "03/04/2026" reads is decided once per file from its values
(a first part above 12 means day first, a second part above 12 month first; Kazakhstan writes day
first), reported with a reason code, and can be set by the operator.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tyndau.live.sources.encodings import Detected
from tyndau.timeutil import ALMATY

EXCEL_EPOCH = datetime(1899, 12, 30)
SERIAL_RANGE = (20_000, 80_000)
"""1954–2119: a number in this range in a date column is an Excel serial date."""
DAY_FIRST = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y %H:%M:%S",
             "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d-%m-%Y %H:%M", "%d-%m-%Y")
MONTH_FIRST = tuple(f.replace("%d", "%_").replace("%m", "%d").replace("%_", "%m") for f in DAY_FIRST if "/" in f or "-" in f)
OTHER = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y.%m.%d", "%Y.%m.%d %H:%M")
ORDERS = ("dmy", "mdy")
_PARTS = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-]\d{2,4}")
_NUMBER = re.compile(r"^\s*\d{5}(?:[.,]\d+)?\s*$")


def _serial(value: float) -> datetime | None:
    if not SERIAL_RANGE[0] < value < SERIAL_RANGE[1]:
        return None
    return EXCEL_EPOCH + timedelta(days=float(value))


def _text(text: str, order: str) -> datetime | None:
    if _NUMBER.match(text):
        return _serial(float(text.replace(",", ".")))
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    for fmt in (*(MONTH_FIRST if order == "mdy" else DAY_FIRST), *OTHER, *DAY_FIRST):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def parse_when(value: Any, order: str = "dmy") -> datetime | None:
    """A cell as an aware UTC instant; None when it is no date we can read."""
    moment: datetime | None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        moment = _serial(value)
    elif isinstance(value, str) and value.strip():
        moment = _text(value.strip(), order)
    else:
        moment = None
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ALMATY)
    try:
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def detect_dates(values: Iterable[Any]) -> Detected:
    """How the date column is written, for the preview and for reading ambiguous text."""
    native = serial = day = month = text = 0
    example = ""
    for v in values:
        if isinstance(v, (datetime, date)):
            native += 1
        elif isinstance(v, (int, float)) and not isinstance(v, bool) and _serial(v):
            serial += 1
            example = example or str(v)
        elif isinstance(v, str) and v.strip():
            if _NUMBER.match(v) and _serial(float(v.replace(",", "."))):
                serial += 1
                example = example or v.strip()
                continue
            text += 1
            m = _PARTS.match(v)
            if m:
                first, second = int(m.group(1)), int(m.group(2))
                day += first > 12
                month += second > 12
                example = example or v.strip()[:30]
    if serial and serial >= max(native, text):
        first = parse_when(example)
        return Detected("excel_serial", "dates_excel_serial", {"example": example,
                        "as": first.astimezone(ALMATY).strftime("%d.%m.%Y %H:%M") if first else ""})
    if native and native >= text:
        return Detected("cells", "dates_native")
    if month > day:
        return Detected("mdy", "dates_month_first", {"example": example})
    if day:
        return Detected("dmy", "dates_day_first", {"example": example})
    return Detected("dmy", "dates_default_day_first" if text else "dates_none", {"example": example})
