"""The problem taxonomy and the category → department table, loaded from ``config/``.

Both files are edited by people, so every mistake is reported as ``file:line: what is wrong``
at start-up instead of surfacing later as a silently missing category.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

LANGS: tuple[str, ...] = ("ru", "kk")
TEXT_TABLES: tuple[str, ...] = ("name", "description")
LIST_TABLES: tuple[str, ...] = ("keywords", "examples")
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_TOML_LINE_RE = re.compile(r"at line (\d+)")


class TaxonomyError(ValueError):
    """A taxonomy or department file is invalid; the message names the file and the line."""

    def __init__(self, source: str, line: int | None, message: str) -> None:
        self.source = source
        self.line = line
        self.message = message
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True, slots=True)
class Category:
    """One category with its Russian and Kazakh texts; ``line`` is where it starts in the file."""

    id: str
    name: Mapping[str, str]
    description: Mapping[str, str]
    keywords: Mapping[str, tuple[str, ...]]
    examples: Mapping[str, tuple[str, ...]]
    line: int = 0

    def label(self, lang: str = "ru") -> str:
        """The category name in ``lang`` (Russian when that language is missing)."""
        return self.name.get(lang) or self.name["ru"]


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """The ordered categories of one taxonomy file."""

    categories: tuple[Category, ...]
    source: str = "<memory>"
    _by_id: Mapping[str, Category] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {c.id: c for c in self.categories})

    @property
    def ids(self) -> tuple[str, ...]:
        """Category ids in file order."""
        return tuple(c.id for c in self.categories)

    def get(self, category_id: str) -> Category:
        """The category with ``category_id``; KeyError names the unknown id."""
        try:
            return self._by_id[category_id]
        except KeyError:
            raise KeyError(f"unknown category {category_id!r}; known: {', '.join(self.ids)}") from None

    def __contains__(self, category_id: object) -> bool:
        return category_id in self._by_id

    def __iter__(self) -> Iterator[Category]:
        return iter(self.categories)

    def __len__(self) -> int:
        return len(self.categories)


@dataclass(frozen=True, slots=True)
class Department:
    """The akimat department suggested as the executor for one category."""

    category: str
    name: Mapping[str, str]

    def label(self, lang: str = "ru") -> str:
        """The department name in ``lang`` (Russian when that language is missing)."""
        return self.name.get(lang) or self.name["ru"]


def config_path(name: str) -> Path:
    """Path of a file shipped in the ``tyndau.config`` package."""
    return Path(str(resources.files("tyndau.config").joinpath(name)))


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Read and validate a taxonomy file (default: the shipped ``config/taxonomy.toml``)."""
    file = Path(path) if path is not None else config_path("taxonomy.toml")
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise TaxonomyError(str(file), None, f"cannot read the taxonomy: {exc}") from exc
    return parse_taxonomy(text, source=str(file))


def parse_taxonomy(text: str, source: str = "<string>") -> Taxonomy:
    """Validate taxonomy TOML text; every error names ``source`` and a line."""
    data = _parse_toml(text, source)
    lines = _CategoryLines.scan(text)
    raw = data.get("category")
    if not isinstance(raw, list) or not raw:
        raise TaxonomyError(source, None, "no [[category]] tables found")
    categories: list[Category] = []
    first_line: dict[str, int] = {}
    for index, entry in enumerate(raw):
        where = lines.of(index)
        if not isinstance(entry, dict):
            raise TaxonomyError(source, where.start, "a [[category]] must be a table")
        cid = entry.get("id")
        if not isinstance(cid, str) or not _ID_RE.match(cid):
            raise TaxonomyError(source, where.key("id") or where.start,
                                f"category id must be lower-case letters, digits and '_', got {cid!r}")
        if cid in first_line:
            raise TaxonomyError(source, where.key("id") or where.start,
                                f"duplicate category id {cid!r} (first defined at line {first_line[cid]})")
        first_line[cid] = where.key("id") or where.start
        unknown = set(entry) - {"id", *TEXT_TABLES, *LIST_TABLES}
        if unknown:
            key = min(unknown)
            raise TaxonomyError(source, where.table(key) or where.start,
                                f"category {cid!r}: unknown key {key!r}")
        texts = {t: _lang_texts(entry, t, cid, where, source) for t in TEXT_TABLES}
        lists = {t: _lang_lists(entry, t, cid, where, source) for t in LIST_TABLES}
        categories.append(Category(id=cid, name=texts["name"], description=texts["description"],
                                   keywords=lists["keywords"], examples=lists["examples"],
                                   line=where.start))
    return Taxonomy(tuple(categories), source=source)


def load_departments(path: str | Path | None = None,
                     taxonomy: Taxonomy | None = None) -> dict[str, Department]:
    """Read ``config/departments.toml``: one ``[category_id]`` table with ``ru`` and ``kk``."""
    file = Path(path) if path is not None else config_path("departments.toml")
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise TaxonomyError(str(file), None, f"cannot read the department table: {exc}") from exc
    source = str(file)
    data = _parse_toml(text, source)
    header_lines = {m.group(1): n for n, line in enumerate(text.splitlines(), 1)
                    if (m := re.match(r"^\s*\[\s*([A-Za-z0-9_]+)\s*\]", line))}
    out: dict[str, Department] = {}
    for cid, entry in data.items():
        line = header_lines.get(cid)
        if taxonomy is not None and cid not in taxonomy:
            raise TaxonomyError(source, line, f"department for unknown category {cid!r}")
        if not isinstance(entry, dict):
            raise TaxonomyError(source, line, f"{cid!r} must be a table with 'ru' and 'kk'")
        for lang in LANGS:
            value = entry.get(lang)
            if not isinstance(value, str) or not value.strip():
                raise TaxonomyError(source, line, f"department of {cid!r}: missing language {lang!r}")
        out[cid] = Department(category=cid, name={lang: entry[lang].strip() for lang in LANGS})
    return out


def _parse_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_LINE_RE.search(str(exc))
        raise TaxonomyError(source, int(m.group(1)) if m else None, f"invalid TOML: {exc}") from exc


def _lang_texts(entry: dict[str, Any], table: str, cid: str, where: _Lines,
                source: str) -> dict[str, str]:
    value = entry.get(table)
    if not isinstance(value, dict):
        raise TaxonomyError(source, where.start, f"category {cid!r}: missing [{table}] with ru and kk")
    out: dict[str, str] = {}
    for lang in LANGS:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            raise TaxonomyError(source, where.key(f"{table}.{lang}") or where.table(table) or where.start,
                                f"category {cid!r}: {table} is missing language {lang!r}")
        out[lang] = text.strip()
    return out


def _lang_lists(entry: dict[str, Any], table: str, cid: str, where: _Lines,
                source: str) -> dict[str, tuple[str, ...]]:
    value = entry.get(table)
    if not isinstance(value, dict):
        raise TaxonomyError(source, where.start, f"category {cid!r}: missing [{table}] with ru and kk")
    out: dict[str, tuple[str, ...]] = {}
    for lang in LANGS:
        items = value.get(lang)
        line = where.key(f"{table}.{lang}") or where.table(table) or where.start
        if not isinstance(items, list):
            raise TaxonomyError(source, line, f"category {cid!r}: {table} is missing language {lang!r}")
        if not all(isinstance(i, str) for i in items):
            raise TaxonomyError(source, line, f"category {cid!r}: {table}.{lang} must be strings")
        cleaned = tuple(dict.fromkeys(i.strip() for i in items if i.strip()))
        if table == "examples" and not cleaned:
            raise TaxonomyError(source, line, f"category {cid!r}: no {lang!r} examples")
        out[lang] = cleaned
    return out


@dataclass(slots=True)
class _Lines:
    """Line numbers inside one [[category]]: where it starts, its sub-tables and keys."""

    start: int
    tables: dict[str, int] = field(default_factory=dict)
    keys: dict[str, int] = field(default_factory=dict)

    def table(self, name: str) -> int | None:
        return self.tables.get(name)

    def key(self, dotted: str) -> int | None:
        return self.keys.get(dotted)


@dataclass(slots=True)
class _CategoryLines:
    """A light line scanner, because tomllib keeps no positions."""

    blocks: list[_Lines]

    @classmethod
    def scan(cls, text: str) -> _CategoryLines:
        blocks: list[_Lines] = []
        table = ""
        for n, raw in enumerate(text.splitlines(), 1):
            line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith(('"', "'")) else ""
            if re.match(r"^\[\[\s*category\s*\]\]$", line):
                blocks.append(_Lines(start=n))
                table = ""
                continue
            m = re.match(r"^\[\s*category\.([A-Za-z_]+)\s*\]$", line)
            if m and blocks:
                table = m.group(1)
                blocks[-1].tables.setdefault(table, n)
                continue
            if line.startswith("["):
                table = "<other>"
                continue
            m = re.match(r"^([A-Za-z_]+(?:\.[A-Za-z_]+)?)\s*=", line)
            if m and blocks and table != "<other>":
                key = f"{table}.{m.group(1)}" if table else m.group(1)
                blocks[-1].keys.setdefault(key, n)
                if "." in m.group(1) and not table:
                    blocks[-1].tables.setdefault(m.group(1).split(".", 1)[0], n)
        return cls(blocks)

    def of(self, index: int) -> _Lines:
        return self.blocks[index] if index < len(self.blocks) else _Lines(start=0)
