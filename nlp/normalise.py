"""Clean a citizen's raw comment into text for models and text for display.

The raw text may be hostile or broken (control characters, bidi overrides, lone surrogates,
megabytes of spam); ``normalise`` never raises on any ``str`` or ``bytes`` and does bounded work.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from tyndau.domain.text_chars import clean, has_hidden_characters
from tyndau.nlp.lexicon import Lexicon, folded_kazakh, load_lexicon
from tyndau.nlp.translit import Transliterator

MAX_INPUT_CHARS = 20_000
MAX_MODEL_CHARS = 2_000
URL_TOKEN = "<url>"
USER_TOKEN = "<user>"

_URL_MARK = "\ue000"
_USER_MARK = "\ue001"
_PICT = (
    "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u2199\u21a9\u21aa\u231a\u231b\u2328\u23cf"
    "\u23e9-\u23f3\u23f8-\u23fa\u24c2\u25aa\u25ab\u25b6\u25c0\u25fb-\u25fe\u2600-\u27bf"
    "\u2934\u2935\u2b05-\u2b07\u2b1b\u2b1c\u2b50\u2b55\u3030\u303d\u3297\u3299"
    "\U0001f000-\U0001f1e5\U0001f200-\U0001faff"
)
_MODS = "\ufe0f\ufe0e\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f"
EMOJI_RE = re.compile(
    rf"[\U0001f1e6-\U0001f1ff]{{2}}"
    rf"|[{_PICT}][{_MODS}]*(?:\u200d[{_PICT}][{_MODS}]*)*"
    rf"|[0-9#*]\ufe0f?\u20e3"
)
_LEFTOVER_EMOJI_PARTS = re.compile(rf"[{_MODS}\u200d\u20e3\U0001f1e6-\U0001f1ff]")
_URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'«»]*[^\s<>\"'«».,;:!?)\]]"
    r"|(?<![\w@.\-])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:kz|ru|com|org|net|io|me|gov\.kz|xyz|info|su)"
    r"(?:/[^\s<>\"'«»]*)?(?![\w@])",
    re.IGNORECASE,
)
_MENTION_RE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_.]{2,32}")
_HASHTAG_RE = re.compile(r"(?<![\w&])#(\w+)")
_CAMEL_RE = re.compile(r"(?<=[a-zа-яёәғқңөұүһі])(?=[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ])")
_REPEAT_LETTER_RE = re.compile(r"([^\W\d_])\1{2,}")
_REPEAT_OTHER_RE = re.compile(r"([^\w\s])\1{3,}")
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_MARK_SPACE_RE = re.compile(r"([\ue000\ue001]) (?=[,.;:!?)])")
_SPACES_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_NEWLINES_RE = re.compile(r"\s*\n\s*(?:\n\s*)+")
_LATIN_LOOKALIKE = str.maketrans("aceopxykmtiAEOPCXKMHTBY", "асеорхукмтіАЕОРСХКМНТВУ")


@dataclass(frozen=True, slots=True)
class Normalised:
    """A comment ready for the pipeline: ``text`` for models, ``display`` for people."""

    text: str
    display: str
    emoji_count: int = 0
    emoji_only: bool = False
    url_count: int = 0
    mention_count: int = 0
    hashtags: tuple[str, ...] = ()
    translit_lang: str | None = None
    translit_words: int = 0
    clipped: bool = False
    had_controls: bool = False
    squeezed: bool = False
    flags: frozenset[str] = field(default=frozenset())

    @property
    def empty(self) -> bool:
        """True when nothing is left for a model to read."""
        return not self.text.strip()


class Normaliser:
    """Holds the lexicons and the transliterator; build one and reuse it."""

    def __init__(self, ru: Lexicon | None = None, kk: Lexicon | None = None,
                 transliterator: Transliterator | None = None) -> None:
        self._ru = ru or load_lexicon("ru")
        self._kk = kk or load_lexicon("kk")
        self._translit = transliterator or Transliterator()

    def __call__(self, raw: str | bytes | None) -> Normalised:
        """Normalise one comment."""
        text = _to_str(raw)
        clipped = len(text) > MAX_INPUT_CHARS
        text = text[:MAX_INPUT_CHARS]
        display, had_controls = clean_for_display(text)
        work, emoji_count = _strip_emoji(display)
        urls = len(_URL_RE.findall(work))
        work = _URL_RE.sub(f" {_URL_MARK} ", work)
        mentions = len(_MENTION_RE.findall(work))
        work = _MENTION_RE.sub(f" {_USER_MARK} ", work)
        hashtags = tuple(_HASHTAG_RE.findall(work))
        work = _HASHTAG_RE.sub(lambda m: " " + _split_hashtag(m.group(1)) + " ", work)
        work = _fix_homoglyphs(work)
        work, squeezed = self._squeeze(work)
        work, tl_lang, tl_words = self._transliterate(work)
        work = _MARK_SPACE_RE.sub(r"\1", _collapse_ws(work)).replace(_URL_MARK, URL_TOKEN).replace(_USER_MARK, USER_TOKEN)
        if len(work) > MAX_MODEL_CHARS:
            clipped = True
            cut = work.rfind(" ", 0, MAX_MODEL_CHARS + 1)
            work = work[: cut if cut > MAX_MODEL_CHARS // 2 else MAX_MODEL_CHARS].rstrip()
        emoji_only = emoji_count > 0 and not any(ch.isalnum() for ch in work)
        flags = {name for name, on in (
            ("clipped", clipped), ("controls", had_controls), ("squeezed", squeezed),
            ("emoji_only", emoji_only), ("url", urls > 0), ("mention", mentions > 0),
            ("translit", tl_words > 0), ("empty", not work.strip()),
        ) if on}
        return Normalised(
            text=work, display=display, emoji_count=emoji_count, emoji_only=emoji_only,
            url_count=urls, mention_count=mentions, hashtags=hashtags, translit_lang=tl_lang,
            translit_words=tl_words, clipped=clipped, had_controls=had_controls,
            squeezed=squeezed, flags=frozenset(flags),
        )

    def _known(self, word: str) -> bool:
        return word in self._ru or word in self._kk or word.lower() in folded_kazakh()

    def _squeeze(self, text: str) -> tuple[str, bool]:
        """Letters repeated 3+ times -> twice, or once when only that is a known word."""
        changed = False

        def fix(m: re.Match[str]) -> str:
            nonlocal changed
            word = m.group(0)
            if not _REPEAT_LETTER_RE.search(word):
                return word
            changed = True
            twice = _REPEAT_LETTER_RE.sub(r"\1\1", word)
            once = _REPEAT_LETTER_RE.sub(r"\1", word)
            return once if self._known(once) and not self._known(twice) else twice

        text = _WORD_RE.sub(fix, text)
        squeezed = _REPEAT_OTHER_RE.sub(r"\1\1\1", text)
        return squeezed, changed or squeezed != text

    def _transliterate(self, text: str) -> tuple[str, str | None, int]:
        """Convert runs of Latin words that the lexicons recognise as Russian or Kazakh."""
        words = list(_WORD_RE.finditer(text))
        scripts = [_script(m.group(0)) for m in words]
        has_cyrillic = "cyr" in scripts
        runs: list[list[int]] = []
        current: list[int] = []
        for i, script in enumerate(scripts):
            if script == "lat":
                current.append(i)
            elif script == "cyr" and current:
                runs.append(current)
                current = []
        if current:
            runs.append(current)
        replacements: dict[int, str] = {}
        langs: dict[str, int] = {}
        for run in runs:
            decision = self._translit.decide([words[i].group(0) for i in run], not has_cyrillic)
            for j, cyr in decision.replacements.items():
                replacements[run[j]] = cyr
            if decision.lang and decision.replacements:
                langs[decision.lang] = langs.get(decision.lang, 0) + len(decision.replacements)
        if not replacements:
            return text, None, 0
        parts: list[str] = []
        pos = 0
        for i, m in enumerate(words):
            if i in replacements:
                parts.append(text[pos : m.start()])
                parts.append(replacements[i])
                pos = m.end()
        parts.append(text[pos:])
        lang = max(langs, key=lambda k: langs[k]) if langs else None
        return "".join(parts), lang, len(replacements)


@functools.cache
def default_normaliser() -> Normaliser:
    """One shared ``Normaliser`` per process, built on first use."""
    return Normaliser()


def normalise(text: str | bytes | None) -> Normalised:
    """Normalise one comment with the shipped lexicons (see ``Normaliser``)."""
    return default_normaliser()(text)


def clean_for_display(text: str) -> tuple[str, bool]:
    """NFKC (keeping №) over the display clean-up every screen uses (the one table of invisible and
    control characters, :mod:`tyndau.domain.text_chars`); and whether the text hid any."""
    had_controls = has_hidden_characters(text)
    fixed = clean(text)
    fixed = "№".join(unicodedata.normalize("NFKC", part) for part in fixed.split("№"))
    return clean(fixed), had_controls


def _to_str(raw: str | bytes | None) -> str:
    if raw is None:
        return ""
    if isinstance(raw, (bytes, bytearray, memoryview)):
        return bytes(raw[: MAX_INPUT_CHARS * 4]).decode("utf-8", "replace")
    return str(raw)


def _strip_emoji(text: str) -> tuple[str, int]:
    count = 0

    def drop(_: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return " "

    text = EMOJI_RE.sub(drop, text)
    return _LEFTOVER_EMOJI_PARTS.sub("", text), count


def _split_hashtag(tag: str) -> str:
    return _CAMEL_RE.sub(" ", tag.replace("_", " "))


def _script(word: str) -> str:
    """"cyr", "lat", "mixed" or "other" for a word of letters."""
    cyr = lat = 0
    for ch in word:
        if "\u0400" <= ch <= "\u04ff":
            cyr += 1
        elif ch.isascii() or "\u00c0" <= ch <= "\u024f":
            lat += 1 if ch.isalpha() else 0
    if cyr and lat:
        return "mixed"
    return "cyr" if cyr else "lat" if lat else "other"


def _fix_homoglyphs(text: str) -> str:
    """Cyrillic words with Latin look-alike letters inside ("пpивет") are made all Cyrillic."""

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        if _script(word) != "mixed":
            return word
        fixed = word.translate(_LATIN_LOOKALIKE)
        return fixed if _script(fixed) == "cyr" else word

    return _WORD_RE.sub(fix, text)


def _collapse_ws(text: str) -> str:
    text = _SPACES_RE.sub(" ", text)
    text = _NEWLINES_RE.sub("\n\n", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()
