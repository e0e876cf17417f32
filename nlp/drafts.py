"""Draft problems: one per cluster of real problems, worded from its most typical comment.

Without a generative model, the canonical wording is the cluster's medoid (the comment closest to
all the others), cleaned of greetings, addresses to the akim, links and emoji, redacted of
personal data and shortened at a word boundary. The Kazakh wording comes from the Kazakh medoid
when the cluster has Kazakh comments.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tyndau.live.text_safety import safe

if TYPE_CHECKING:  # numpy comes with the NLP extra; wording() is used by the review without it
    import numpy as np

MAX_TITLE = 160
_GREETING = re.compile(
    r"^\s*(?:(?:здравствуйте|добрый\s+(?:день|вечер|утро)|доброго\s+времени\s+суток|привет(?:ствую)?|салем|сәлем(?:етсіз\s*бе)?|"
    r"сәлеметсіздер\s*ме|ассалаум?а?ғ?алейкум|армысыздар|қайырлы\s+(?:күн|кеш|таң)|уважаемый\s+аким|уважаемая|"
    r"аким\s+мырза|әкім\s+мырза|құрметті\s+әкім|аким(?:\s+района|\s+села)?|господин\s+аким)[\s,!.:-]*)+",
    re.IGNORECASE,
)
_NOISE = re.compile(r"https?://\S+|www\.\S+|[@#]\w+|[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F]+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Member:
    """One comment of a cluster, as the draft builder needs it."""

    comment_id: int
    text: str
    lang: str | None
    category: str | None
    place: str | None


@dataclass(frozen=True, slots=True)
class Draft:
    """The machine's proposal for one problem."""

    cluster_id: int
    title_ru: str
    title_kk: str
    category: str | None
    place: str
    executor: str
    comment_ids: tuple[int, ...]


def wording(text: str) -> str:
    """A comment turned into a short, redacted problem wording (cleaned of invisible characters first)."""
    text = safe(text)
    text = _NOISE.sub(" ", text)
    text = _GREETING.sub("", text)
    text = _SPACES.sub(" ", text).strip(" ,.;:-!")
    if len(text) > MAX_TITLE:
        cut = text[:MAX_TITLE]
        stop = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
        text = cut[: stop + 1] if stop > 60 else cut[: cut.rfind(" ")].rstrip(" ,;:-") + "…"
    return text[:1].upper() + text[1:] if text else text


def medoid(indices: Sequence[int], vectors: np.ndarray | None, texts: Sequence[str]) -> int:
    """The index of the most typical member (highest mean cosine to the others)."""
    if len(indices) == 1:
        return indices[0]
    if vectors is not None:
        import numpy as np

        block = vectors[list(indices)]
        scores = (block @ block.T).mean(axis=1)
        return indices[int(np.argmax(scores))]
    # No vectors: the text nearest to the median length is a fair stand-in.
    lengths = sorted(len(texts[i]) for i in indices)
    target = lengths[len(lengths) // 2]
    return min(indices, key=lambda i: abs(len(texts[i]) - target))


def build_draft(cluster_id: int, members: Sequence[Member], vectors: np.ndarray | None, executor_for: Mapping[str, str]) -> Draft:
    """The draft problem of one cluster (``vectors`` rows align with ``members``; may be None)."""
    texts = [m.text for m in members]
    everyone = list(range(len(members)))
    kazakh = [i for i, m in enumerate(members) if m.lang == "kk"]
    russian = [i for i, m in enumerate(members) if m.lang != "kk"] or everyone
    title_ru = wording(texts[medoid(russian, vectors, texts)])
    title_kk = wording(texts[medoid(kazakh, vectors, texts)]) if kazakh else ""
    categories = Counter(m.category for m in members if m.category)
    category = categories.most_common(1)[0][0] if categories else None
    places = Counter(m.place for m in members if m.place)
    place = places.most_common(1)[0][0] if places else ""
    return Draft(
        cluster_id=cluster_id, title_ru=title_ru, title_kk=title_kk, category=category, place=place,
        executor=executor_for.get(category or "", ""), comment_ids=tuple(m.comment_id for m in members),
    )
