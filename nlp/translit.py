"""Latin-script Russian and Kazakh back to Cyrillic, only where a word list agrees.

Both scripts are reduced to a lossy "skeleton" (ж/zh/j -> j, қ/q/k -> k, ы/і/и/y/ı -> i ...), so a
Latin word is looked up among the lexicons' Cyrillic words by skeleton, exactly or at edit
distance 1. A run of Latin words is converted only when most of it matches, so English, brand
names and handles stay as written.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tyndau.nlp.lexicon import Lexicon, load_lexicon

_CYR_SKELETON = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "e",
    "э": "e", "ж": "j", "з": "z", "и": "i", "і": "i", "ы": "i", "й": "i", "к": "k", "қ": "k",
    "л": "l", "м": "m", "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ұ": "u", "ү": "u", "ф": "f", "х": "h", "һ": "h", "ц": "c", "ч": "C",
    "ш": "S", "щ": "S", "ъ": "", "ь": "", "ю": "iu", "я": "ia",
}
# Latin pieces with their possible skeleton readings, longest first.
_LAT_PIECES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("shch", ("S",)), ("sch", ("S",)), ("sh", ("S",)), ("ch", ("C",)), ("zh", ("j",)),
    ("s'", ("S", "s")), ("c'", ("C",)), ("kh", ("h",)), ("gh", ("g",)), ("ts", ("c", "ts")), ("ng", ("n", "ng")),
    ("ş", ("S",)), ("ç", ("C",)), ("ä", ("a",)), ("ö", ("o",)), ("ü", ("u",)), ("ū", ("u",)),
    ("ı", ("i",)), ("ğ", ("g",)), ("ñ", ("n",)), ("j", ("j", "i")), ("x", ("h", "ks")),
    ("w", ("v", "u")), ("c", ("c", "k")), ("q", ("k",)), ("y", ("i",)), ("'", ("",)),
    ("’", ("",)),
)
_KAZAKH_LATIN_MARKS = frozenset("äöüūğñşıq")
_MAX_VARIANTS = 8
_KK_APOSTROPHE = re.compile(r"[aougnyisc]['’](?!(?:s|t|d|m|ll|re|ve)$)", re.IGNORECASE)
# Letters that make a word unlikely to be translit of that language (swype, xbox, cinema).
_FOREIGN = {"ru": frozenset("wxq"), "kk": frozenset("wxc")}
_BUCKET = 6
_GLIDE = re.compile(r"i(?=[aeou])")
_DOUBLE = re.compile(r"(.)\1+")

# Letter-by-letter fallbacks, used only inside a run already judged Russian or Kazakh.
_RU_LETTERS: tuple[tuple[str, str], ...] = (
    ("tsya", "тся"), ("shch", "щ"), ("sch", "щ"), ("sh", "ш"), ("ch", "ч"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"),
    ("ya", "я"), ("ja", "я"), ("yu", "ю"), ("ju", "ю"), ("yo", "ё"), ("jo", "ё"), ("ye", "е"),
    ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"),
    ("i", "и"), ("j", "й"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"),
    ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"), ("h", "х"),
    ("c", "ц"), ("y", "ы"), ("w", "в"), ("x", "кс"), ("q", "к"), ("'", "ь"), ("’", "ь"),
)
_KK_LETTERS: tuple[tuple[str, str], ...] = (
    ("a'", "ә"), ("o'", "ө"), ("u'", "ү"), ("y'", "ұ"), ("g'", "ғ"), ("n'", "ң"), ("i'", "й"),
    ("s'", "ш"), ("c'", "ч"),
    ("sh", "ш"), ("ch", "ч"), ("zh", "ж"), ("gh", "ғ"), ("ng", "ң"), ("ş", "ш"), ("ç", "ч"),
    ("ä", "ә"), ("ö", "ө"), ("ü", "ү"), ("ū", "ұ"), ("ı", "і"), ("ğ", "ғ"), ("ñ", "ң"),
    ("a", "а"), ("b", "б"), ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"), ("h", "х"),
    ("i", "и"), ("j", "ж"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"),
    ("p", "п"), ("q", "қ"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("v", "в"),
    ("y", "ы"), ("z", "з"), ("w", "у"), ("x", "х"), ("c", "ц"), ("'", ""), ("’", ""),
)
_VOWELS_LAT = frozenset("aeiouyäöüūı")

# English words and brands that must never be read as translit; short words that are also
# Russian/Kazakh translit (on, no, i, a, to) are neutral rather than evidence against.
ENGLISH_WORDS = frozenset(
    ["the", "and", "you", "your", "for", "are", "is", "was", "were", "be", "been", "this", "that", "these", "those", "with", "from", "have", "has", "had", "not", "but", "what", "all", "can", "will", "just", "like", "love", "good", "nice", "best", "great", "super", "cool", "wow", "top", "thanks", "thank", "please", "pls", "plz", "hello", "hi", "hey", "bye", "yes", "okay", "ok", "lol", "omg", "app", "apps", "pay", "bank", "online", "wifi", "sms", "gold", "red", "blue", "black", "white", "new", "old", "free", "sale", "shop", "store", "game", "games", "play", "video", "music", "live", "stream", "chat", "news", "post", "like", "follow", "link", "bio", "click", "here", "more", "info", "money", "cash", "business", "my", "me", "we", "our", "us", "they", "them", "he", "she", "his", "her", "it", "its", "who", "why", "how", "when", "where", "which", "there", "their", "then", "than", "one", "two", "three", "iphone", "phone", "android", "ios", "apple", "samsung", "xiaomi", "huawei", "google", "youtube", "instagram", "whatsapp", "telegram", "tiktok", "facebook", "meta", "twitter", "kaspi", "halyk", "kcell", "beeline", "activ", "altel", "tele", "wildberries", "ozon", "yandex", "glovo", "wolt", "indriver", "uber", "forte", "jusan", "freedom", "homecredit", "egov", "bro", "sorry", "team", "service", "support", "delivery", "order", "price", "sale", "discount", "promo", "code", "vip", "pro", "max", "mini", "plus", "lite", "smart", "tv", "internet", "email", "mail", "gmail", "admin", "official", "am", "an", "as", "at", "by", "do", "go", "if", "in", "of", "on", "or", "so", "to", "up", "way", "get", "got", "make", "see", "know", "want", "need", "time", "day", "very", "really", "much", "many", "some", "any", "only", "also", "too", "well", "back", "now", "out", "about", "after", "before", "because", "would", "could", "should", "there", "people", "work", "think", "look", "come", "thing", "year", "into", "over", "just", "still", "even", "most", "other", "after", "first", "last", "fast", "easy", "cheap", "quality", "product", "really", "recommend", "perfect", "excellent", "bad", "worst", "ever", "never", "park", "city", "mall", "center", "centre", "plaza", "hotel", "cafe", "bar", "club", "street", "avenue", "tower", "house", "home"]
)
_ENGLISH_NEUTRAL_MAX_LEN = 2


def has_kazakh_latin_marks(word: str) -> bool:
    """True for letters only Kazakh Latin uses (ä, ğ, q ...) or its 2018 apostrophes (a', o')."""
    return bool(_KAZAKH_LATIN_MARKS & set(word)) or bool(_KK_APOSTROPHE.search(word))


def cyr_skeleton(word: str) -> str:
    """The skeleton of a Cyrillic word (unknown characters are kept as they are)."""
    raw = "".join(_CYR_SKELETON.get(ch, ch) for ch in word.lower())
    return _finish(raw)


def _finish(raw: str) -> str:
    return _GLIDE.sub("", _DOUBLE.sub(r"\1", raw))


def _strip_marks(word: str) -> str:
    out = []
    for ch in word:
        if ch in _KAZAKH_LATIN_MARKS or ch.isascii():
            out.append(ch)
        else:
            base = unicodedata.normalize("NFD", ch)[0]
            out.append(base if base.isascii() else ch)
    return "".join(out)


def latin_skeletons(word: str, lang: str = "kk") -> list[str]:
    """The possible skeletons of a Latin word, most likely reading for ``lang`` first."""
    word = _strip_marks(word.lower())
    options: list[tuple[str, ...]] = []
    i = 0
    while i < len(word):
        for piece, readings in _LAT_PIECES:
            if word.startswith(piece, i):
                if lang == "ru" and piece == "j":
                    readings = ("i", "j")
                options.append(readings)
                i += len(piece)
                break
        else:
            options.append((word[i],))
            i += 1
    out: list[str] = []
    for combo in itertools.islice(itertools.product(*options), _MAX_VARIANTS):
        sk = _finish("".join(combo))
        if sk not in out:
            out.append(sk)
    return out


def letters_to_cyrillic(word: str, lang: str) -> str:
    """Letter-by-letter transliteration by the Russian or Kazakh table (no dictionary)."""
    table = _KK_LETTERS if lang == "kk" else _RU_LETTERS
    low = _strip_marks(word.lower())
    out: list[str] = []
    i = 0
    while i < len(low):
        for piece, cyr in table:
            if low.startswith(piece, i):
                if piece == "i" and lang == "kk" and _next_to_vowel(low, i) or piece == "y" and lang == "ru" and i > 0 and low[i - 1] in _VOWELS_LAT:
                    cyr = "й"
                out.append(cyr)
                i += len(piece)
                break
        else:
            out.append(low[i])
            i += 1
    return "".join(out)


def _next_to_vowel(low: str, i: int) -> bool:
    return i > 0 and low[i - 1] in _VOWELS_LAT


def match_case(source: str, target: str) -> str:
    """``target`` in the letter case of ``source`` (UPPER, Title or lower)."""
    if len(source) > 1 and source.isupper():
        return target.upper()
    if source[:1].isupper():
        return target[:1].upper() + target[1:]
    return target


@dataclass(frozen=True, slots=True)
class Candidate:
    """A lexicon word that a Latin token may stand for."""

    word: str
    lang: str
    rank: int
    exact: bool


class SkeletonIndex:
    """Skeleton -> best lexicon words, with a deletion index for edit distance 1."""

    def __init__(self, lexicons: Iterable[Lexicon]) -> None:
        self._exact: dict[tuple[str, str], tuple[int, str]] = {}
        self._deletes: dict[tuple[str, str], list[tuple[int, str, str]]] = {}
        self.langs: list[str] = []
        for lex in lexicons:
            self.langs.append(lex.lang)
            for word, rank in lex.rank.items():
                sk = cyr_skeleton(word)
                old = self._exact.get((lex.lang, sk))
                if old is None or rank < old[0]:
                    self._exact[(lex.lang, sk)] = (rank, word)
                if len(sk) >= 4:
                    for d in _deletions(sk) | {sk}:
                        bucket = self._deletes.setdefault((lex.lang, d), [])
                        if len(bucket) < _BUCKET:
                            bucket.append((rank, word, sk))

    def lookup(self, token: str, lang: str, fuzzy: bool = True) -> Candidate | None:
        """The best candidate of ``lang`` for a Latin ``token``: exact skeleton first."""
        skeletons = latin_skeletons(token, lang)
        for sk in skeletons:
            hit = self._exact.get((lang, sk))
            if hit is not None:
                return Candidate(hit[1], lang, hit[0], True)
        if not fuzzy or min(len(sk) for sk in skeletons) < 4:
            return None
        # Skeletons write a doubled letter once, so a double the candidate lacks is an edit the
        # skeleton does not show: "bulling" is one skeleton edit from "бүгін" but two from its spelling.
        doubles = _doubles(letters_to_cyrillic(token, lang))
        found: list[tuple[int, str]] = []
        for sk in skeletons:
            for key in _deletions(sk) | {sk}:
                for rank, word, wsk in self._deletes.get((lang, key), ()):
                    if within_one_edit(sk, wsk) and not _differs_at_end(sk, wsk) and _doubles(word) >= doubles:
                        found.append((rank, word))
        if not found:
            return None
        rank, word = min(found)
        return Candidate(word, lang, rank, False)


def _doubles(word: str) -> int:
    """How many letters of ``word`` repeat the one before them."""
    low = word.lower()
    return sum(1 for a, b in zip(low, low[1:]) if a == b and a.isalpha())


def _differs_at_end(a: str, b: str) -> bool:
    """True when two skeletons differ only in their last letter (often a suffix, not a typo)."""
    short, long_ = sorted((a, b), key=len)
    return long_.startswith(short) or a[:-1] == b[:-1]


def within_one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one insertion, deletion or substitution."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


def _deletions(sk: str) -> set[str]:
    return {sk[:i] + sk[i + 1 :] for i in range(len(sk))}


@dataclass(frozen=True, slots=True)
class RunDecision:
    """What was decided for one run of Latin words: its language and each word's Cyrillic form."""

    lang: str | None
    replacements: Mapping[int, str]


class Transliterator:
    """Decides, per run of Latin words, whether it is Russian or Kazakh and converts it."""

    def __init__(self, index: SkeletonIndex | None = None) -> None:
        self._index = index or SkeletonIndex(load_lexicon(lang) for lang in ("ru", "kk"))

    def decide(self, words: list[str], alone: bool) -> RunDecision:
        """Convert ``words`` (one Latin run) when confident; ``alone``: no Cyrillic around it."""
        if not words or (len(words) == 1 and not alone):
            return RunDecision(None, {})
        low = [w.lower() for w in words]
        cands = {lang: [self._index.lookup(w, lang) for w in words] for lang in ("ru", "kk")}
        marks = sum(1 for w in low if has_kazakh_latin_marks(w))
        scores = {lang: sum(1 for c in cands[lang] if c and c.exact) for lang in cands}
        lang = "kk" if scores["kk"] + marks > scores["ru"] else "ru"
        chosen = cands[lang]
        strong = [i for i, w in enumerate(low) if len(w) >= 2]
        english = [i for i in strong if low[i] in ENGLISH_WORDS
                   and (len(low[i]) > _ENGLISH_NEUTRAL_MAX_LEN or chosen[i] is None)]
        neutral = {i for i in strong if low[i] in ENGLISH_WORDS} - set(english)
        exact = [i for i in strong if i not in english and i not in neutral
                 and chosen[i] is not None and chosen[i].exact]  # type: ignore[union-attr]
        fuzzy = [i for i in strong if i not in english and chosen[i] is not None
                 and not chosen[i].exact]  # type: ignore[union-attr]
        counted = max(1, len([i for i in strong if i not in neutral]))
        score = (len(exact) + 0.5 * len(fuzzy) + (marks if lang == "kk" else 0)) / counted
        if len(words) == 1:
            ok = bool(exact) and len(low[0]) >= 3
        elif not alone:  # Latin words inside Cyrillic text are mostly names and brands
            ok = len(exact) + marks >= 2 and score >= 0.6 and len(exact) + marks > len(english)
        else:
            ok = (len(exact) >= 1 or marks >= 2) and score >= 0.5 and len(exact) + marks > len(english)
        if not ok:
            return RunDecision(None, {})
        sure = score >= 0.6 and len(exact) + marks >= 2
        out: dict[int, str] = {}
        for i, word in enumerate(words):
            if i in english or (i not in strong and chosen[i] is None):
                continue
            cand = chosen[i]
            official = lang == "kk" and has_kazakh_latin_marks(low[i])
            if cand is not None and (cand.exact or (len(exact) >= 2 and not official)):
                out[i] = match_case(word, cand.word)
            elif sure and i not in neutral and word.isalpha() and not _FOREIGN[lang] & set(low[i]):
                out[i] = match_case(word, letters_to_cyrillic(word, lang))
        return RunDecision(lang, out)
