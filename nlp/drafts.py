"""Draft problems: one per cluster, worded in Russian and in Kazakh so that a secretary can sign it.

The wording is built from the cluster's subtopic and place ("Нет водоснабжения — Иргели" /
"Су жоқ — Іргелі"); without a subtopic it is the cleanest member written in that language
(never a transliterated one), cleaned of greetings, addresses to the akim, links and emoji,
redacted of personal data and shortened at a word boundary; without such a member, the
category's name and the place. Echoes ("+", "и у нас тоже") count as mentions, never as wording.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tyndau.domain.drafts import Draft
from tyndau.domain.text_safety import safe

if TYPE_CHECKING:  # numpy comes with the NLP extra; wording() is used by the review without it
    import numpy as np

from .place_names import KAZAKH, PlaceMention, PlaceNamer, choose_places
from .subtopics import SubtopicLexicon, default_lexicon

MAX_TITLE = 160
_GREETING = re.compile(
    r"^\s*(?:(?:здравствуйте|здраствуйте|добрый\s+(?:день|вечер|утро)|доброго\s+времени\s+суток|привет(?:ствую)?|салем|сәлем(?:етсіз\s*бе)?|"
    r"сәлеметсіздер\s*ме|ассалаум?а?ғ?алейкум|армысыздар|қайырлы\s+(?:күн|кеш|таң)|уважаемый\s+аким|уважаемая|"
    r"аким\s+мырза|әкім\s+мырза|құрметті\s+әкім|аким(?:\s+района|\s+села)?|әкім|господин\s+аким|сынок|скажите\s+пожалуйста|"
    r"прошу\s+ответить|вопрос)[\s,!.:-]*)+",
    re.IGNORECASE,
)
_NOISE = re.compile(r"https?://\S+|www\.\S+|[@#][\w.\-]+|[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F]+")
_SPACES = re.compile(r"\s+")
_REPEATS = re.compile(r"([!?.])\1+")
_LATIN = re.compile(r"[A-Za-z]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@dataclass(frozen=True, slots=True)
class Member:
    """One comment of a cluster, as the draft builder needs it."""

    comment_id: int
    text: str
    lang: str | None
    category: str | None
    place: str | None = None
    places: tuple[PlaceMention, ...] = ()
    subtopics: tuple[str, ...] | None = None
    echo: bool = False


def wording(text: str, lang: str | None = None) -> str:
    """A comment turned into a short, redacted problem wording (cleaned of invisible characters first).

    ``lang`` is the wording's language, for its redaction marks ("[аты-жөні]" in a Kazakh one).
    """
    text = safe(text, lang=lang)
    text = _NOISE.sub(" ", text)
    text = _GREETING.sub("", text)
    text = _REPEATS.sub(r"\1", text)
    text = _SPACES.sub(" ", text).strip(" ,.;:-!—–")
    if len(text) > 12 and text.upper() == text:
        text = text.lower()
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
    lengths = sorted(len(texts[i]) for i in indices)
    target = lengths[len(lengths) // 2]
    return min(indices, key=lambda i: abs(len(texts[i]) - target))


def is_clean(text: str, lang: str) -> bool:
    """True when ``text`` can stand as a wording in ``lang``: its script, no translit, no other language's letters."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 8 or _LATIN.search(text) or not _CYRILLIC.search(text):
        return False
    kazakh = bool(KAZAKH & set(text))
    return kazakh if lang == "kk" else not kazakh


class DraftBuilder:
    """Builds drafts with the subtopic lexicon, the place namer and the taxonomy's names."""

    def __init__(self, executor_for: Mapping[str, str] | None = None, *,
                 category_names: Mapping[str, Mapping[str, str]] | None = None,
                 lexicon: SubtopicLexicon | None = None, namer: PlaceNamer | None = None) -> None:
        self.executor_for = dict(executor_for or {})
        self.category_names = {k: dict(v) for k, v in (category_names or {}).items()}
        self.lexicon = lexicon if lexicon is not None else default_lexicon()
        self.namer = namer if namer is not None else PlaceNamer()

    def build(self, cluster_id: int, members: Sequence[Member], vectors: np.ndarray | None = None) -> Draft:
        """The draft of one cluster (``vectors`` rows align with ``members``; may be None)."""
        voters = [i for i, m in enumerate(members) if not m.echo] or list(range(len(members)))
        subtopics = [self._subtopics(members[i]) for i in voters]
        mentions = [p for i in voters for p in members[i].places]
        categories = Counter(members[i].category for i in voters if members[i].category)
        category = categories.most_common(1)[0][0] if categories else None
        subtopic, category = self._agreeing(subtopics, category)
        placed = sum(1 for i in voters if members[i].places)
        keys = choose_places(mentions, len(voters), placed)
        district_wide = subtopic is not None and subtopic in self.lexicon and self.lexicon.get(subtopic).scope == "district"
        if district_wide and 2 * placed <= len(voters):
            # The district's issue, raised mostly without a place: one comment's town is not its place
            # ("Молодёжи работы нет … промзону в Каскелене" beside "Ауылда жастарға жұмыс жоқ").
            keys = []
        where = self.namer.describe(keys, mentions)
        title_ru = self._title("ru", subtopic, where.ru if where else "", category, members, voters, vectors)
        title_kk = self._title("kk", subtopic, where.kk if where else "", category, members, voters, vectors)
        return Draft(cluster_id=cluster_id, title_ru=title_ru, title_kk=title_kk, category=category,
                     place=where.ru if where else "", executor=self.executor_for.get(category or "", ""),
                     comment_ids=tuple(m.comment_id for m in members), subtopic=subtopic, place_keys=tuple(keys),
                     place_kk=where.kk if where else "")

    def _agreeing(self, subtopics: Sequence[Sequence[str]], category: str | None) -> tuple[str | None, str | None]:
        """The wording's subtopic and the draft's category, made to agree (a secretary reads them together).

        The issue most members raise wins; when it lies under another category than the members'
        predicted one, an issue of that category raised about as often names the draft instead
        ("жол жасаңыздар, скорая не может проехать" is a road); failing that, the category follows
        the issue the lexicon found ("Емханада пандус жоқ" is not a utility).
        """
        votes = _subtopic_votes(subtopics)
        subtopic = _majority_subtopic(subtopics)
        if subtopic is None:
            return None, category
        own = self.lexicon.get(subtopic).category
        if category is None or own == category:
            return subtopic, own
        near = [s for s, v in votes.items() if v * 2 >= votes[subtopic] and self.lexicon.get(s).category == category]
        if near:
            return max(near, key=lambda s: votes[s]), category
        return subtopic, own

    def _subtopics(self, member: Member) -> tuple[str, ...]:
        if member.subtopics is not None:
            return member.subtopics
        return tuple(m.id for m in self.lexicon.match(member.text))

    def _title(self, lang: str, subtopic: str | None, place: str, category: str | None,
               members: Sequence[Member], voters: Sequence[int], vectors: np.ndarray | None) -> str:
        if subtopic is not None:
            name = self.lexicon.get(subtopic).label(lang)
            return f"{name} — {place}" if place else name
        texts = [m.text for m in members]
        clean = [i for i in voters if is_clean(wording(texts[i], lang), lang)
                 and (members[i].lang == lang or (lang == "ru" and members[i].lang in ("ru", "mixed", None)))]
        if clean:
            return wording(texts[medoid(clean, vectors, texts)], lang)
        name = self.category_names.get(category or "", {}).get(lang) or ("Мәселе" if lang == "kk" else "Проблема")
        return f"{name} — {place}" if place else name


def _subtopic_votes(per_member: Sequence[Sequence[str]]) -> dict[str, float]:
    """Each subtopic's votes: a member's best match counts 1, its next two a third each."""
    votes: dict[str, float] = {}
    for subs in per_member:
        for rank, sid in enumerate(subs[:3]):
            votes[sid] = votes.get(sid, 0.0) + (1.0 if rank == 0 else 0.34)
    return votes


def _majority_subtopic(per_member: Sequence[Sequence[str]]) -> str | None:
    """The subtopic most members raise (their best match counts most), if enough of them do."""
    votes = _subtopic_votes(per_member)
    first: dict[str, int] = {}
    for n, subs in enumerate(per_member):
        for sid in subs[:3]:
            first.setdefault(sid, n)
    if not votes:
        return None
    best = max(votes, key=lambda s: (votes[s], -first[s]))
    return best if votes[best] * 2 >= len(per_member) or len(per_member) <= 2 else None


def build_draft(cluster_id: int, members: Sequence[Member], vectors: np.ndarray | None,
                executor_for: Mapping[str, str]) -> Draft:
    """The draft problem of one cluster with the shipped lexicon and gazetteer."""
    return DraftBuilder(executor_for).build(cluster_id, members, vectors)
