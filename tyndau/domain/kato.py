"""KATO, the national classifier of administrative-territorial objects: codes, kinds, rows → units.

A KATO code has nine digits ``AB CD EF HIJ``: AB the region or city of republican significance,
CD the district or city of regional significance, EF the rural district or city of district
significance, HIJ the village or settlement (``H00``; ``HIJ`` with ``IJ`` ≠ 00 is a locality
subordinate to village ``H00``). The stat.gov.kz export carries it as ``te`` with the parts
repeated in ``ab``/``cd``/``ef``/``hij``; ``k`` is the object-type code and ``name_kaz``/``name_rus``
the names (see docs/dev/calendar-rules.md for the sources). A unit's parent is the nearest code
above it that is in the file — a city of district significance such as ``613820100`` sits right
under its district ``613800000`` with no ``613820000`` row. KATO lists an administration
("… г.а.", "с.а.", "п.а.") and its seat ("г. …") as two rows; we keep the administration (it has
the akim) and merge the seat into it. This module is pure; :mod:`tyndau.live.kato_files` reads files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from tyndau.domain.text_chars import clean
from tyndau.domain.units import KIND_IDS, UNIT_KINDS, AdminUnit, UnitTree, UnitTreeError, build_tree

CAPITAL_AB = "71"  # Astana: 710000000 in KATO
MAX_NAME = 300
MAX_DEPTH = 20  # KATO has five levels; explicit parent columns may not chain deeper than this


@dataclass(frozen=True, slots=True)
class KatoCode:
    """A valid nine-digit KATO code and its parts."""

    code: str

    @property
    def ab(self) -> str:
        """The region (or city of republican significance) part."""
        return self.code[:2]

    @property
    def cd(self) -> str:
        """The district / city of regional significance part."""
        return self.code[2:4]

    @property
    def ef(self) -> str:
        """The rural district / city of district significance part."""
        return self.code[4:6]

    @property
    def hij(self) -> str:
        """The village / settlement part."""
        return self.code[6:]

    @property
    def level(self) -> int:
        """1 region, 2 district, 3 rural district, 4 village, 5 a locality inside a village."""
        if self.hij[1:] != "00":
            return 5
        if self.hij != "000":
            return 4
        if self.ef != "00":
            return 3
        return 2 if self.cd != "00" else 1

    def parent_candidates(self) -> tuple[str, ...]:
        """Codes that could be the parent, nearest first: each part zeroed from the right."""
        out: list[str] = []
        for keep, pad in ((7, "00"), (6, "000"), (4, "00000"), (2, "0000000")):
            candidate = self.code[:keep] + pad
            if candidate != self.code and candidate not in out and int(candidate) < int(self.code):
                out.append(candidate)
        return tuple(out)


def parse_kato(value: object) -> KatoCode:
    """A KATO code from text or a spreadsheet number; ValueError says what is wrong."""
    if isinstance(value, bool):
        raise ValueError("a KATO code is nine digits, not a yes/no value")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"[\s\u00a0]", "", str(value if value is not None else ""))
    if not text:
        raise ValueError("the KATO code is empty")
    if not text.isdigit() or not text.isascii():
        raise ValueError(f"the KATO code {text[:20]!r} has characters other than digits")
    if len(text) != 9:
        raise ValueError(f"the KATO code {text} has {len(text)} digits, not 9")
    return KatoCode(text)


@dataclass(frozen=True, slots=True)
class KatoRow:
    """One data row of an export: its line in the file and its cells under our column names."""

    line: int
    cells: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class RowError:
    """A row that is wrong: where, which column, what."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.column}: {self.message}"


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A well-formed row that is not imported as a unit, and why."""

    line: int
    code: str
    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class KatoImport:
    """What an export gave: the units (a valid tree when there are no errors), what was left out."""

    units: tuple[AdminUnit, ...]
    skipped: tuple[SkippedRow, ...]
    errors: tuple[RowError, ...]
    lines: Mapping[str, int]  # unit id → its line in the file

    @property
    def ok(self) -> bool:
        """Whether every row was either imported or deliberately skipped."""
        return not self.errors

    def tree(self) -> UnitTree:
        """The units as a tree; raises UnitTreeError listing the errors if there are any."""
        if self.errors:
            raise UnitTreeError(str(e) for e in self.errors)
        return build_tree(self.units)


# Name markers, checked on the lower-cased name with ё → е; the first that matches wins.
_MARKERS_RU: tuple[tuple[str, re.Pattern[str]], ...] = tuple((m, re.compile(p)) for m, p in (
    ("microdistrict", r"\bмкр\b|микрорайон"),
    ("region", r"\bобласть\b|\bобл\.?$"),
    ("city_admin", r"\bг\.\s*а\.?(?!\w)|городская администрация|горадминистрация"),
    ("settlement_admin", r"\bп\.\s*а\.?(?!\w)|поселковая администрация"),
    ("village_admin", r"\bс\.\s*а\.?(?!\w)|сельская администрация|аульная администрация"),
    ("rural_district", r"\bс\.\s*о\.?(?!\w)|сельский округ|\bа\.\s*о\.?(?!\w)|аульный округ"),
    ("district", r"\bрайон\b|\bр-н\b"),
    ("city", r"^г\.|\bгород\b"),
    ("settlement", r"^п\.|^пос\.|\bпоселок\b|^пгт\b"),
    ("village", r"^с\.|\bсело\b|\bаул\b"),
))
_MARKERS_KK: tuple[tuple[str, re.Pattern[str]], ...] = tuple((m, re.compile(p)) for m, p in (
    ("microdistrict", r"шағын аудан"),
    ("region", r"\bоблысы\b"),
    ("city_admin", r"\bқ\.\s*ә\.?(?!\w)|қалалық әкімдігі|қала әкімдігі"),
    ("settlement_admin", r"кенттік әкімдігі?|кент әкімдігі"),
    ("village_admin", r"ауылдық әкімдігі?|ауыл әкімдігі"),
    ("rural_district", r"ауылдық округ|\bа\.\s*о\.?(?!\w)"),
    ("district", r"\bауданы\b"),
    ("city", r"\bқаласы\b|^қ\."),
    ("settlement", r"\bкенті\b"),
    ("village", r"\bауылы\b|\bа\.$|^а\."),
))
_ABOLISHED = re.compile(r"\(\s*(упразд|жойыл)")
_ADMIN_OF = {"city_admin": "city", "settlement_admin": "settlement", "village_admin": "village"}


def name_marker(name_ru: str, name_kk: str) -> str | None:
    """Which kind of object a name says it is (Russian first, then Kazakh), or None."""
    for name, markers in ((name_ru, _MARKERS_RU), (name_kk, _MARKERS_KK)):
        text = re.sub(r"\s+", " ", name.lower().replace("ё", "е")).strip()
        for marker, pattern in markers:
            if text and pattern.search(text):
                return marker
    return None


def kind_for(marker: str | None, code: KatoCode, parent: AdminUnit | None) -> str | None:
    """The unit kind a marker means at this place in the tree, or None when it is not a unit."""
    pkind = parent.kind if parent else None
    if marker == "region":
        return "region" if parent is None else None
    if marker in ("city", "city_admin"):
        if parent is None:
            return "capital" if code.ab == CAPITAL_AB else "republican_city"
        return {"region": "regional_city", "district": "district_city"}.get(pkind or "")
    if marker == "district":
        if pkind == "region":
            return "district"
        return "city_district" if pkind in ("capital", "republican_city", "regional_city") else None
    if marker == "rural_district":
        return "rural_district" if pkind in ("district", "regional_city") else None
    if marker in ("village", "village_admin", "settlement", "settlement_admin"):
        kind = "village" if marker.startswith("village") else "settlement"
        return kind if pkind in UNIT_KINDS[kind].parents else None
    if marker == "microdistrict":
        return "microdistrict" if pkind in UNIT_KINDS["microdistrict"].parents else None
    return None


def units_from_rows(rows: Iterable[KatoRow], *, valid_from: date | None = None) -> KatoImport:
    """Turn export rows into units: check every row, derive parents and kinds, report the rest."""
    return _Importer(valid_from).run(rows)


@dataclass(slots=True)
class _Parsed:
    line: int
    code: KatoCode
    name_ru: str
    name_kk: str
    kind: str | None
    parent: str | None
    valid_from: date | None
    valid_to: date | None


class _Importer:
    """One pass over an export; kept private because it only holds the pass's working state."""

    def __init__(self, valid_from: date | None) -> None:
        self.default_from = valid_from
        self.errors: list[RowError] = []
        self.skipped: list[SkippedRow] = []
        self.rows: dict[str, _Parsed] = {}
        self.units: dict[str, AdminUnit] = {}
        self.admins: dict[str, str] = {}  # unit id → its marker, for units from an administration row
        self.merged: dict[str, str] = {}  # seat code → the administration it was merged into
        self.seated: set[str] = set()  # administrations whose seat is already merged
        self.done: set[str] = set()  # codes already imported, merged, skipped or refused
        self.bad: dict[str, int] = {}  # codes of rows with an error → their line

    def run(self, rows: Iterable[KatoRow]) -> KatoImport:
        for row in rows:
            self._parse(row)
        for code in sorted(self.rows):
            self._resolve(code, ())
        units = tuple(self.units.values())
        lines = {u.id: self.rows[u.id].line for u in units}
        try:
            build_tree(units)
        except UnitTreeError as exc:
            for problem in exc.problems:
                self.errors.append(RowError(lines.get(problem.split(":", 1)[0], 0), "kind", problem))
        return KatoImport(units, tuple(sorted(self.skipped, key=lambda s: s.line)),
                          tuple(sorted(self.errors, key=lambda e: e.line)), lines)

    def _error(self, line: int, column: str, message: str) -> None:
        self.errors.append(RowError(line, column, message))

    def _refuse(self, row: _Parsed, column: str, message: str) -> None:
        self.done.add(row.code.code)
        self._error(row.line, column, message)

    def _parse(self, row: KatoRow) -> None:
        cells = {k: (v or "").strip() for k, v in row.cells.items()}
        try:
            code = parse_kato(cells.get("code", ""))
        except ValueError as exc:
            return self._error(row.line, "code", str(exc))
        if code.code in self.rows or code.code in self.bad:
            first = self.rows[code.code].line if code.code in self.rows else self.bad[code.code]
            return self._error(row.line, "code", f"{code.code} repeats line {first}")
        self.bad[code.code] = row.line  # until the row proves good: its children must not skip past it
        for part in ("ab", "cd", "ef", "hij"):
            given = cells.get(part, "")
            if given and given.zfill(len(part)) != getattr(code, part):
                return self._error(row.line, part, f"{given} does not match the code {code.code} ({getattr(code, part)})")
        # Official names, but from a file: no control, zero-width or bidi characters, one line.
        name_ru, name_kk = (clean(cells.get(k, ""), one_line=True) for k in ("name_ru", "name_kk"))
        if not (name_ru or name_kk):
            return self._error(row.line, "name_rus", "the row has no name in Russian or Kazakh")
        if len(name_ru) > MAX_NAME or len(name_kk) > MAX_NAME:
            return self._error(row.line, "name_rus", f"a name is longer than {MAX_NAME} characters")
        kind = cells.get("kind", "") or None
        if kind is not None and kind not in UNIT_KINDS:
            return self._error(row.line, "kind", f"unknown kind {kind!r}; one of {', '.join(KIND_IDS)}")
        parent = cells.get("parent", "") or None
        if parent is not None:
            try:
                parent = parse_kato(parent).code
            except ValueError as exc:
                return self._error(row.line, "parent", str(exc))
        dates: dict[str, date | None] = {}
        for column in ("valid_from", "valid_to"):
            text = cells.get(column, "")
            try:
                dates[column] = date.fromisoformat(text[:10]) if text else None
            except ValueError:
                return self._error(row.line, column, f"{text[:30]!r} is not a date like 2026-07-01")
        start = dates["valid_from"] or self.default_from
        end = dates["valid_to"]
        if start and end and end < start:
            return self._error(row.line, "valid_to", f"{end} is before valid_from {start}")
        del self.bad[code.code]
        self.rows[code.code] = _Parsed(row.line, code, name_ru, name_kk, kind, parent, start, end)

    def _skip(self, row: _Parsed, reason: str) -> None:
        self.done.add(row.code.code)
        self.skipped.append(SkippedRow(row.line, row.code.code, row.name_ru or row.name_kk, reason))

    def _parent_of(self, row: _Parsed, chain: tuple[str, ...]) -> tuple[str | None, str | None, bool]:
        """(the parent unit id, why the row cannot be placed, whether that is an error rather than a skip)."""
        fatal = row.parent is not None  # an explicit parent that does not work is the file's mistake
        candidates = (row.parent,) if row.parent else row.code.parent_candidates()
        for candidate in candidates:
            if candidate in self.bad:
                return None, f"its parent {candidate} (line {self.bad[candidate]}) has an error", fatal
            if candidate not in self.rows:
                continue
            if candidate in chain:
                return None, f"its parent chain loops through {candidate}", True
            if len(chain) >= MAX_DEPTH:
                return None, f"its parent chain is deeper than {MAX_DEPTH} levels", True
            self._resolve(candidate, chain + (row.code.code,))
            if candidate in self.units:
                return candidate, None, False
            if candidate in self.merged:
                return self.merged[candidate], None, False
            if candidate not in self.done:  # still being resolved higher up the recursion
                return None, f"its parent chain loops through {candidate}", True
            return None, f"its parent {candidate} (line {self.rows[candidate].line}) was not imported", fatal
        if row.parent:
            return None, f"its parent {row.parent} is not in the file", True
        if row.code.level > 1:
            return None, f"no unit above it in the file (looked for {', '.join(candidates)})", True
        return None, None, False

    def _resolve(self, code: str, chain: tuple[str, ...]) -> None:
        if code in self.done:
            return
        row = self.rows[code]
        if code == "000000000":
            return self._skip(row, "the country as a whole, not a unit")
        if _ABOLISHED.search(f"{row.name_ru} {row.name_kk}".lower()) and row.valid_to is None:
            return self._skip(row, "marked abolished in the export; give valid_to to keep it with its dates")
        parent_id, problem, fatal = self._parent_of(row, chain)
        if problem:
            if fatal:
                return self._refuse(row, "parent" if row.parent else "code", problem)
            return self._skip(row, problem)
        parent = self.units.get(parent_id) if parent_id else None
        marker = name_marker(row.name_ru, row.name_kk)
        if (row.kind is None and parent is not None and parent.id in self.admins and parent.id not in self.seated
                and marker is not None and _ADMIN_OF[self.admins[parent.id]] == marker):
            self.seated.add(parent.id)
            self.merged[code] = parent.id
            self.done.add(code)
            return self._skip(row, f"the seat of the administration {parent.id} (line {self.rows[parent.id].line}); merged into it")
        kind = row.kind or kind_for(marker, row.code, parent)
        if kind is None:
            if row.code.level == 5 and parent is not None and parent.kind in ("village", "settlement"):
                return self._skip(row, f"a locality inside {parent.name_ru or parent.name_kk}, not a unit with an akim")
            what = "the name does not say what it is" if marker is None else (
                f"a {marker} cannot sit under {parent.kind if parent else 'nothing'}")
            return self._skip(row, f"{what}; add a kind column to import it")
        if marker in _ADMIN_OF:
            self.admins[code] = marker
        self.done.add(code)
        self.units[code] = AdminUnit(
            id=code, kind=kind, name_ru=row.name_ru, name_kk=row.name_kk, parent_id=parent_id, kato=code,
            valid_from=row.valid_from, valid_to=row.valid_to,
        )
