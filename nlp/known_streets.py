"""The streets a meeting has named with their marker, so a bare name later is that street.

Residents name a street with its marker once ("ул. Абая", "Абай көшесі") and bare after that
("Ремонт Абая обещали ещё в 2024"); a bare name that is one street already seen in the meeting is
that street, and the lexicon reads it as one ("Ремонт Абая" is a road repair). A comment naming a
place of its own keeps it. One memory per meeting (per clusterer).
"""

from __future__ import annotations

import re
from collections import defaultdict

KAZAKH = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_CAPITALISED = re.compile(r"(?<![\w-])[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][a-zа-яёәғқңөұүһі]+(?![\w-])")


def street_name(key: str) -> str:
    """The bare name of a street key ("street:садов|ул" -> "садов")."""
    return key.split(":", 1)[1].split("|", 1)[0]


class KnownStreets:
    """Street keys seen so far in one meeting, by bare name."""

    def __init__(self) -> None:
        self._streets: dict[str, set[str]] = defaultdict(set)

    def read(self, keys: tuple[str, ...], text: str | None) -> tuple[tuple[str, ...], str | None]:
        """Remember the comment's streets; its keys with the one street its bare name points at (if it
        names no place), and its text with "улица" before that name for the lexicon, which reads lemmas
        ("Ремонт улица Абая": a road repair), or None (no such name, or Kazakh, where the marker follows).
        """
        for key in keys:
            if key.startswith("street:"):
                self._streets[street_name(key)].add(key)
        found = self._bare_street(keys, text)
        if found is None or not text:
            return keys, None
        key, word = found
        marked = None if KAZAKH & set(text) else re.sub(
            rf"(?<![\w-]){re.escape(word)}(?![\w-])", f"улица {word}", text, count=1)
        return (*keys, key), marked

    def _bare_street(self, keys: tuple[str, ...], text: str | None) -> tuple[str, str] | None:
        """(key, word as written) of the one known street ``text`` names bare, when it names no place."""
        if not text or any(not k.startswith("district:") for k in keys):
            return None
        from .place_keys import name_key

        found: dict[str, str] = {}
        for word in _CAPITALISED.findall(text):
            if len(word) >= 4 and not word.isupper():
                for key in self._streets.get(name_key(word), ()):
                    found.setdefault(key, word)
        return next(iter(found.items())) if len(found) == 1 else None
