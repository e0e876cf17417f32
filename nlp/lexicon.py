"""Word lists shipped in ``config/nlp/``: loaded on first use, never at import."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType

LEXICON_LANGS = ("ru", "kk")


@dataclass(frozen=True, slots=True)
class Lexicon:
    """A frequency-ordered word list: ``rank[word]`` is 0 for the most common word."""

    lang: str
    rank: Mapping[str, int]

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and word.lower().replace("ё", "е") in self.rank

    def __len__(self) -> int:
        return len(self.rank)


def read_config_lines(name: str) -> list[str]:
    """Non-blank, non-comment lines of ``config/nlp/<name>``, so lists stay editable by hand."""
    path = resources.files("tyndau.config").joinpath("nlp", name)
    lines: list[str] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


@functools.cache
def load_lexicon(lang: str) -> Lexicon:
    """The shipped lexicon of ``lang`` ("ru" or "kk"), read once per process."""
    if lang not in LEXICON_LANGS:
        raise ValueError(f"no lexicon for {lang!r}")
    rank: dict[str, int] = {}
    for word in read_config_lines(f"lexicon_{lang}.txt"):
        rank.setdefault(word.lower().replace("ё", "е"), len(rank))
    return Lexicon(lang=lang, rank=MappingProxyType(rank))


KK_FOLD = str.maketrans("әғқңөұүһі", "агкноуухи")


@functools.cache
def folded_kazakh() -> frozenset[str]:
    """Kazakh lexicon words as typed on a Russian keyboard ("жаксы" for "жақсы")."""
    return frozenset(w.translate(KK_FOLD) for w in load_lexicon("kk").rank)
