"""Wordings after a split: each part keeps the wording that came from its own comments.

A draft's wordings are the machine's wording of one member comment (Russian and Kazakh medoids).
When comments are split off, the wording that came from a moved comment goes with them, and the
part left behind gets a wording from a comment it still has (an empty Kazakh one when none is
Kazakh); a wording of unknown origin (a person's) stays where it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tyndau.nlp.drafts import wording


def _lang(member: Any) -> str | None:
    return member.lang or (member.labels or {}).get("lang")


def _matches(title: str, members: Sequence[Any], lang: str = "ru") -> bool:
    return bool(title) and any(wording(m.text, lang) == title for m in members)


def _typical(members: Sequence[Any], kazakh: bool) -> str:
    """The wording of the most typical member of a language (median length, as drafts do without vectors)."""
    pool = [m for m in members if (_lang(m) == "kk") == kazakh] or ([] if kazakh else list(members))
    if not pool:
        return ""
    lengths = sorted(len(m.text) for m in pool)
    target = lengths[len(lengths) // 2]
    return wording(min(pool, key=lambda m: (abs(len(m.text) - target), m.id)).text, "kk" if kazakh else "ru")


def split_wordings(row: Any, moved: Sequence[Any], kept: Sequence[Any], given: str = "") -> tuple[tuple[str, str], tuple[str, str]]:
    """((new title_ru, new title_kk), (left title_ru, left title_kk)) for a split of ``row``'s comments."""
    ru, kk = row.title_ru or "", row.title_kk or ""
    new_ru = given or (ru if _matches(ru, moved) else _typical(moved, kazakh=False) or ru)
    new_kk = kk if _matches(kk, moved, "kk") else _typical(moved, kazakh=True)
    gone_ru = _matches(ru, moved) and not _matches(ru, kept)
    gone_kk = _matches(kk, moved, "kk") and not _matches(kk, kept, "kk")
    left_ru = (_typical(kept, kazakh=False) or ru) if gone_ru else ru
    left_kk = _typical(kept, kazakh=True) if gone_kk else kk
    return (new_ru, new_kk), (left_ru, left_kk)
