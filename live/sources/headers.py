"""Which column holds what: headers in Russian, Kazakh and English matched to our fields.

A mapping names, for each of our fields, the column that holds it; fields left out are guessed
from common headers ("Текст обращения", "ФИО", "Өтініш мәтіні", "Телефон" …), each column used once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from tyndau.live.sources.tables import FileImportError

FIELDS = ("text", "author", "created_at", "external_id", "contact", "lang")
PRIORITY = ("contact", "external_id", "created_at", "author", "lang", "text")
"""Tie-break order: "Номер телефона" is a contact before it is a number."""

EXACT: dict[str, tuple[str, ...]] = {
    "text": ("текст", "текст обращения", "обращение", "вопрос", "суть обращения", "содержание", "мәтін",
             "өтініш мәтіні", "сұрақ", "text", "message", "question", "comment", "body"),
    "author": ("фио", "ф и о", "автор", "заявитель", "имя", "аты жөні", "аты-жөні", "өтініш беруші",
               "name", "full name", "author", "applicant"),
    "created_at": ("дата", "дата и время", "время", "күні", "уақыты", "date", "created", "created at",
                   "timestamp", "time"),
    "external_id": ("номер", "№", "n", "id", "нөмірі", "number", "no", "external id", "ref"),
    "contact": ("телефон", "тел", "контакт", "контакты", "email", "e mail", "эл почта", "байланыс", "phone",
                "contact", "mobile"),
    "lang": ("язык", "тіл", "language", "lang"),
}
STEMS: dict[str, tuple[str, ...]] = {
    "text": ("текст", "обращени", "вопрос", "содержани", "сообщени", "комментари", "суть", "мәтін", "сұрақ",
             "өтініш", "хабарлама", "пікір", "text", "message", "question", "comment", "content", "request"),
    "author": ("фио", "автор", "заявител", "гражданин", "аты", "name", "author", "sender", "applicant"),
    "created_at": ("дата", "время", "күн", "уақыт", "date", "time", "created", "submitted"),
    "external_id": ("номер", "№", "нөмір", "number", "id"),
    "contact": ("телефон", "контакт", "почт", "email", "байланыс", "phone", "mobile", "contact"),
    "lang": ("язык", "тіл", "language"),
}
class MissingColumnsError(FileImportError):
    """The mapping names columns the file does not have, or no column holds the text."""

    def __init__(self, missing: Mapping[str, str | None], available: Sequence[str]) -> None:
        parts = [
            f'"{col}" (for {fld})' if col else f"a column for {fld} (e.g. {', '.join(EXACT[fld][:3])})"
            for fld, col in missing.items()
        ]
        super().__init__(
            f"missing {'; '.join(parts)}; the file's columns are: {', '.join(available) or 'none'}"
        )
        self.missing = dict(missing)
        self.available = list(available)


def _norm(header: str) -> str:
    text = header.lower().replace("ё", "е").replace("№", " № ")
    return " ".join(re.sub(r"[^\w№]+", " ", text).split())


def _score(fld: str, header: str) -> float:
    norm = _norm(header)
    if not norm:
        return 0.0
    if norm in EXACT[fld]:
        return 3.0
    hits = sum(1 for tok in norm.split() for stem in STEMS[fld] if tok.startswith(stem))
    return 2.0 + 0.1 * hits if hits else 0.0


def guess_mapping(columns: Sequence[str], taken: Mapping[str, str] | None = None) -> dict[str, str]:
    """Guess a column for each field not in ``taken`` from its header; each column is used once."""
    taken = dict(taken or {})
    used = set(taken.values())
    candidates = sorted(
        (
            (-_score(fld, col), PRIORITY.index(fld), index, fld, col)
            for fld in FIELDS
            if fld not in taken
            for index, col in enumerate(columns)
            if col and col not in used and _score(fld, col) > 0
        ),
    )
    guessed: dict[str, str] = {}
    for _, _, _, fld, col in candidates:
        if fld in guessed or col in used:
            continue
        guessed[fld] = col
        used.add(col)
    return guessed


def resolve_mapping(columns: Sequence[str], mapping: Mapping[str, str] | None) -> dict[str, str]:
    """The given mapping (headers matched exactly, then ignoring case and spaces) plus guesses.

    Raises :class:`MissingColumnsError` naming every mapped column that is absent, and "text" when
    nothing holds the text.
    """
    unknown = [k for k in (mapping or {}) if k not in FIELDS]
    if unknown:
        raise FileImportError(f"unknown field(s) {', '.join(unknown)}; fields are {', '.join(FIELDS)}")
    by_norm = {_norm(c): c for c in columns if c}
    resolved: dict[str, str] = {}
    missing: dict[str, str | None] = {}
    for fld, col in (mapping or {}).items():
        if not col:
            continue
        match = col if col in columns else by_norm.get(_norm(col))
        if match is None:
            missing[fld] = col
        else:
            resolved[fld] = match
    resolved.update(guess_mapping(columns, resolved))
    if "text" not in resolved and "text" not in missing:
        missing["text"] = None
    if missing:
        raise MissingColumnsError(missing, columns)
    return resolved


