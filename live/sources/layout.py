"""Find the table inside a sheet as offices make it: title rows, a one- or two-row header, footers.

Registries of appeals start with a merged title ("Реестр обращений граждан за ноябрь"), a blank
row, sometimes a date line, then the header — possibly two rows, with "Заявитель" merged over
"ФИО" and "Телефон" — and end with "Итого: 12". The header is the early row whose cells look most
like known column names; a second header row is taken when its cells sit under a merged top cell;
footer rows are dropped. Every decision is reported with a reason code, and the operator can
override the header row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tyndau.live.sources.encodings import Detected
from tyndau.live.sources.headers import FIELDS, _score
from tyndau.live.sources.tables import FileImportError, RawSheet, ReadOptions, cell_text

SCAN = 30
"""How many non-empty rows may come before the header."""
FOOTER = re.compile(r"^\s*(итого|всего|барлығы|барлыгы|жиыны|жиынтығы|total|количество обращений)\b", re.IGNORECASE)


@dataclass(slots=True)
class Table:
    """The table: column names, data rows (row number, cells), and what was detected."""

    columns: list[str]
    rows: list[tuple[int, list[Any]]]
    kind: str
    detected: dict[str, Detected] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    sheet: str | None = None

    @property
    def encoding(self) -> str | None:
        """The CSV encoding used (None for XLSX)."""
        d = self.detected.get("encoding")
        return None if d is None else str(d.value)

    @property
    def delimiter(self) -> str | None:
        """The CSV delimiter used (None for XLSX)."""
        d = self.detected.get("delimiter")
        return None if d is None else str(d.value)


def _texts(cells: list[Any]) -> list[str]:
    return [" ".join(cell_text(c).split()) for c in cells]


def _filled(cells: list[Any]) -> int:
    return sum(1 for t in _texts(cells) if t)


def _matches(cells: list[Any]) -> set[str]:
    found = set()
    for text in _texts(cells):
        if not text or len(text) > 80 or any(ch.isdigit() for ch in text.replace("№", "")):
            continue
        for fld in FIELDS:
            if _score(fld, text) > 0:
                found.add(fld)
    return found


def _pick_header(rows: list[tuple[int, list[Any]]]) -> tuple[int, Detected]:
    """Index in ``rows`` of the header row, and why."""
    best, best_fields = -1, set()
    for i, (_, cells) in enumerate(rows[:SCAN]):
        if _filled(cells) < 2:
            continue
        fields = _matches(cells)
        if len(fields) > len(best_fields) or (fields and "text" in fields and "text" not in best_fields and len(fields) == len(best_fields)):
            best, best_fields = i, fields
    if best >= 0 and ("text" in best_fields or len(best_fields) >= 2):
        return best, Detected(rows[best][0], "header_matched", {"fields": ", ".join(sorted(best_fields))})
    for i, (_, cells) in enumerate(rows[:SCAN]):
        if _filled(cells) >= 2:
            return i, Detected(rows[i][0], "header_first_wide_row", {})
    return 0, Detected(rows[0][0], "header_first_row", {})


def _is_subheader(top: list[str], below: list[str]) -> bool:
    """Does ``below`` continue a header whose top row has merged cells (a cell spanning several columns)?"""
    filled = [(i, t) for i, t in enumerate(below) if t]
    if not filled or any(len(t) > 50 or any(ch.isdigit() for ch in t) for _, t in filled):
        return False
    width = max(len(top), len(below))
    top = top + [""] * (width - len(top))
    under_gap = [i for i, _ in filled if not top[i]]  # the continuation of a merged top cell
    if not under_gap:
        return False
    return all(any(top[j] for j in range(0, i)) for i in under_gap)


def _combine(top: list[str], below: list[str]) -> list[str]:
    width = max(len(top), len(below))
    top, below = top + [""] * (width - len(top)), below + [""] * (width - len(below))
    names, current = [], ""
    for i in range(width):
        if top[i]:
            current = top[i]
        elif not below[i]:
            current = ""
        head = top[i] or (current if below[i] else "")
        if head and below[i] and head != below[i]:
            names.append(f"{head} / {below[i]}")
        else:
            names.append(head or below[i])
    return names


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(names):
        name = name or f"column {i + 1}"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def locate(raw: RawSheet, options: ReadOptions = ReadOptions()) -> Table:
    """The table in a raw sheet (see the module docstring); raises :class:`FileImportError` when empty."""
    rows = raw.rows
    if not rows:
        raise FileImportError("the file is empty: no header row")
    detected = dict(raw.detected)
    problems = list(raw.problems)
    if options.header_row is not None:
        index = next((i for i, (n, _) in enumerate(rows) if n >= options.header_row), None)
        if index is None:
            raise FileImportError(f"there is no row {options.header_row}; the last filled row is {rows[-1][0]}")
        header = Detected(rows[index][0], "given")
    else:
        index, header = _pick_header(rows)
    top = _texts(rows[index][1])
    body_start = index + 1
    two = options.header_rows
    if two is None:
        two = 2 if body_start < len(rows) and _is_subheader(top, _texts(rows[body_start][1])) else 1
    if two == 2 and body_start < len(rows):
        columns = _combine(top, _texts(rows[body_start][1]))
        detected["header_rows"] = Detected(2, "given" if options.header_rows else "header_two_rows",
                                           {"second": rows[body_start][0]})
        body_start += 1
    else:
        columns = top
        detected["header_rows"] = Detected(1, "given" if options.header_rows else "header_one_row")
    detected["header_row"] = header
    above = [n for n, _ in rows[:index]]
    if above:
        detected["title_rows"] = Detected(above, "title_rows_skipped", {"rows": ", ".join(map(str, above))})
    body = rows[body_start:]
    footer_at = next((i for i, (_, cells) in enumerate(body) if FOOTER.match(next((t for t in _texts(cells) if t), ""))), None)
    if footer_at is not None:
        tail = [n for n, _ in body[footer_at:]]
        if len(tail) <= 10:
            detected["footer_rows"] = Detected(tail, "footer_rows_skipped", {"rows": ", ".join(map(str, tail)),
                                               "first": next((t for t in _texts(body[footer_at][1]) if t), "")[:40]})
            body = body[:footer_at]
    return Table(_unique([c.strip() for c in columns]), body, raw.kind, detected, problems, raw.sheet)
