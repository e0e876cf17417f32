"""The streets a meeting has named with their marker, so a bare name later is that street.

Residents name a street with its marker once ("ул. Абая", "Абай көшесі") and bare after that
("Ремонт Абая обещали ещё в 2024"); a bare name that is one street already seen in the meeting is
that street. A comment naming a place of its own keeps it. One memory per meeting (per clusterer).
"""

from __future__ import annotations

import re
from collections import defaultdict

_CAPITALISED = re.compile(r"(?<![\w-])[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][a-zа-яёәғқңөұүһі]+(?![\w-])")


def street_name(key: str) -> str:
    """The bare name of a street key ("street:садов|ул" -> "садов")."""
    return key.split(":", 1)[1].split("|", 1)[0]


class KnownStreets:
    """Street keys seen so far in one meeting, by bare name."""

    def __init__(self) -> None:
        self._streets: dict[str, set[str]] = defaultdict(set)

    def complete(self, keys: tuple[str, ...], text: str | None) -> tuple[str, ...]:
        """Remember the comment's streets; add the one street its bare name points at, if it names no place."""
        for key in keys:
            if key.startswith("street:"):
                self._streets[street_name(key)].add(key)
        if not text or any(not k.startswith("district:") for k in keys):
            return keys
        from .place_keys import name_key

        found: set[str] = set()
        for word in _CAPITALISED.findall(text):
            if len(word) >= 4 and not word.isupper():
                found |= self._streets.get(name_key(word), set())
        return (*keys, *found) if len(found) == 1 else keys
