"""Flag and mask Russian/Kazakh profanity and insults; score how spam-like a comment is.

The stems live in ``config/nlp/profanity.txt`` so an akimat can edit them. Matching folds
look-alike Latin letters and digits (``xуй``, ``п0зд``) and squeezed repeats (``бляяя``), and works
on whole words so "страхуй" or "колебания" are never hit.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from tyndau.nlp.lexicon import read_config_lines
from tyndau.nlp.memo import Memo
from tyndau.nlp.normalise import EMOJI_RE

Kind = Literal["obscene", "insult"]
# One-to-one folding, so spans in the folded text are spans in the original.
_FOLD = str.maketrans("aeopcyxkmtu3046@ёЁ", "аеорсухкмтизочбаее")
_WORD = re.compile(r"[^\W_][^\W_@*]*(?:[@*][^\W_]+)*", re.UNICODE)
_REPEAT = re.compile(r"(.)\1+")
_URL = re.compile(
    r"(?:https?://|www\.)\S+|(?<![\w@.])(?:t\.me|bit\.ly|wa\.me|clck\.ru|vk\.cc)/\S*"
    r"|(?<![\w@.-])[a-z0-9-]+\.(?:ru|kz|com|xyz|top|site|online|shop|info|biz|io|me)(?:/\S*)?(?!\w)",
    re.IGNORECASE,
)
_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_]{4,}")
_TOKENS = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class ProfanityHit:
    """A flagged word at ``text[start:end]``."""

    start: int
    end: int
    kind: Kind
    word: str


@dataclass(frozen=True, slots=True)
class _Patterns:
    exact: frozenset[str]
    prefix: re.Pattern[str] | None
    infix: re.Pattern[str] | None

    def matches(self, word: str) -> bool:
        return (word in self.exact or bool(self.prefix and self.prefix.match(word))
                or bool(self.infix and self.infix.search(word)))


def _compile(patterns: Iterable[str]) -> _Patterns:
    exact, prefix, infix = set(), [], []
    for raw in patterns:
        p = raw.lower().replace("ё", "е")
        if p.startswith("*") and p.endswith("*"):
            infix.append(re.escape(_squeeze(p.strip("*"))))
        elif p.endswith("*"):
            prefix.append(re.escape(_squeeze(p.rstrip("*"))))
        else:
            exact.add(_squeeze(p))
    return _Patterns(
        frozenset(exact),
        re.compile("(?:" + "|".join(prefix) + ")") if prefix else None,
        re.compile("(?:" + "|".join(infix) + ")") if infix else None,
    )


def _squeeze(word: str) -> str:
    return _REPEAT.sub(r"\1", word)


def fold(text: str) -> str:
    """Lower case with look-alike Latin letters, digits and @ read as Cyrillic; same length."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text).translate(_FOLD)


def parse_sections(lines: Iterable[str]) -> dict[str, list[str]]:
    """``[section]`` headers and their lines, as in ``config/nlp/profanity.txt``."""
    sections: dict[str, list[str]] = {}
    current = ""
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip().lower()
            sections.setdefault(current, [])
        elif current:
            sections[current].append(line)
    return sections


class ProfanityFilter:
    """Finds obscene words and insults; also scores spam from the ``[spam]`` markers."""

    def __init__(self, lines: Iterable[str] | None = None) -> None:
        sections = parse_sections(read_config_lines("profanity.txt") if lines is None else lines)
        self._obscene = _compile(sections.get("obscene", ()))
        self._insult = _compile(sections.get("insult", ()))
        self._exception = _compile(sections.get("exception", ()))
        spam = [re.escape(s.lower().replace("ё", "е")) for s in sections.get("spam", ())]
        self._spam = re.compile(r"(?<!\w)(?:" + "|".join(spam) + ")") if spam else None
        self._kind_of: Memo[str, Kind | None] = Memo(self._judge)

    def kind_of(self, word: str) -> Kind | None:
        """"obscene", "insult" or None for one word (already folded or not)."""
        return self._kind_of(word)

    def _judge(self, word: str) -> Kind | None:
        w = _squeeze(fold(word))
        if self._exception.matches(w) or self._exception.matches(fold(word)):
            return None
        if self._obscene.matches(w):
            return "obscene"
        if self._insult.matches(w):
            return "insult"
        return None

    def find(self, text: str) -> list[ProfanityHit]:
        """Every flagged word in ``text``."""
        if not text:
            return []
        hits: list[ProfanityHit] = []
        for m in _WORD.finditer(text):
            kind = self.kind_of(m.group(0))
            if kind is not None:
                hits.append(ProfanityHit(m.start(), m.end(), kind, m.group(0)))
        return hits

    def mask(self, text: str, kinds: Iterable[str] = ("obscene", "insult")) -> str:
        """``text`` with each flagged word shown as its first letter and stars ("х**")."""
        wanted = set(kinds)
        out, pos = [], 0
        for hit in self.find(text):
            if hit.kind not in wanted:
                continue
            out.append(text[pos : hit.start])
            out.append(hit.word[0] + "*" * (len(hit.word) - 1))
            pos = hit.end
        out.append(text[pos:])
        return "".join(out)

    def spam_score(self, text: str) -> float:
        """0 (ordinary comment) .. 1 (spam): links, spam phrases, handles, repetition, emoji floods."""
        if not text or not text.strip():
            return 0.0
        weights: list[float] = []
        urls = len(_URL.findall(text))
        if urls:
            weights.append(0.35 if urls == 1 else 0.5)
        if _HANDLE.search(text):
            weights.append(0.15)
        if self._spam is not None:
            plain = text.lower().replace("ё", "е")
            markers = {m.group(0) for t in (plain, fold(text)) for m in self._spam.finditer(t)}
            weights.extend([0.4] * min(len(markers), 3))
        weights.append(_repetition(text))
        emoji = len(EMOJI_RE.findall(text))
        if emoji >= 10 and emoji * 3 > len(text):
            weights.append(0.2)
        keep = 1.0
        for w in weights:
            keep *= 1.0 - w
        return round(1.0 - keep, 3)


def _repetition(text: str) -> float:
    """How much of the text repeats itself (the same words or the same line again and again)."""
    tokens = [t.lower() for t in _TOKENS.findall(text[:5000])]
    score = 0.0
    if len(tokens) >= 8:
        unique = len(set(tokens)) / len(tokens)
        if unique < 0.3:
            score = 0.5
        elif unique < 0.45:
            score = 0.25
    lines = [ln.strip().lower() for ln in text.splitlines() if len(ln.strip()) >= 10]
    if len(lines) >= 3 and len(set(lines)) <= len(lines) / 3:
        score = max(score, 0.5)
    return score


@functools.cache
def default_filter() -> ProfanityFilter:
    """The filter built from the shipped ``config/nlp/profanity.txt``, read once."""
    return ProfanityFilter()


def find_profanity(text: str) -> list[ProfanityHit]:
    """Obscene words and insults in ``text`` (shipped lexicon)."""
    return default_filter().find(text)


def has_profanity(text: str) -> bool:
    """True when ``text`` contains an obscene word or an insult."""
    return bool(default_filter().find(text))


def mask(text: str) -> str:
    """``text`` for display with obscene words and insults masked ("х**")."""
    return default_filter().mask(text)


def spam_score(text: str) -> float:
    """How spam-like ``text`` is, 0..1 (shipped markers)."""
    return default_filter().spam_score(text)
