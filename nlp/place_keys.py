"""Place names to keys that hold across spellings, scripts and languages.

"Абая", "Абай", "Abay", "Abaya" and "Абаю" are one street; "Іргелі", "Ырғелі", "Иргели" and
"Irgeli" one village; "Тихорецкий проспект" and "Тихорецкому пр." one avenue, but "Московский
проспект" and "Московское шоссе" two roads. A key is the name folded to plain Russian letters
(Latin spellings read back into Cyrillic), put in a conservative nominative, with the letters
citizens swap (ы/і/и, doubled letters, soft signs, hyphens and spaces) merged.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_FOLD = str.maketrans("әғқңөұүһіё", "агкноуухие")
_LATIN_PIECES: tuple[tuple[str, str], ...] = (
    ("shch", "щ"), ("sch", "щ"), ("sh", "ш"), ("ch", "ч"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"),
    ("gh", "г"), ("yu", "ю"), ("ya", "я"), ("yo", "е"), ("ye", "е"), ("ju", "ю"), ("ja", "я"),
    ("ä", "а"), ("ö", "о"), ("ü", "у"), ("ū", "у"), ("ı", "ы"), ("ğ", "г"), ("ñ", "н"), ("ş", "ш"),
    ("ç", "ч"), ("a", "а"), ("b", "б"), ("c", "к"), ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"),
    ("h", "х"), ("i", "и"), ("j", "ж"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"),
    ("p", "п"), ("q", "к"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("v", "в"), ("w", "у"),
    ("x", "кс"), ("z", "з"), ("'", ""), ("’", ""),
)
# Titles and first names that people drop ("проспект Маршала Блюхера" = "пр. Блюхера").
_TITLES = frozenset("академика маршала генерала адмирала комиссара профессора героя юрия".split())
_VOWELS = "аеиоуыэюяaeiouy"
_LATIN = re.compile(r"[a-zäöüūığñşç]")
# Russian adjective endings: "Тихорецкий", "Тихорецкому", "Пулковское", "Звёздная" -> the stem.
_ADJECTIVE = re.compile(r"(?<=[бвгджзклмнпрстфхцчшщ])(?:ий|ый|ой|ая|яя|ое|ее|ого|его|ому|ему|ым|им|ую|юю|ых|их|ом|ей)$")
_ADJECTIVE_STEM = re.compile(r"(?:ск|цк|ов|ев|ин|н|ж|ч|ш|щ)$")

# Street types, folded to one class each ("ул. Абая" = "Абай көшесі"; types separate only
# adjectival names, where the type is part of the name: "Московский проспект" ≠ "Московское шоссе").
STREET_TYPES: dict[str, str] = {
    "ул": "ул", "улица": "ул", "көше": "ул", "коше": "ул", "ulitsa": "ул", "ulica": "ул", "koshesi": "ул",
    "пр": "пр", "пр-т": "пр", "пр-кт": "пр", "просп": "пр", "проспект": "пр", "даңғыл": "пр", "дангыл": "пр",
    "prospekt": "пр", "пер": "пер", "переулок": "пер", "тұйық": "пер", "туйык": "пер", "шоссе": "ш",
    "трасса": "ш", "бульвар": "б", "б-р": "б", "проезд": "пзд", "дорога": "дор", "набережная": "наб",
    "наб": "наб", "площадь": "пл", "пл": "пл", "линия": "лин", "аллея": "ал", "тупик": "туп",
}


def latin_to_cyrillic(text: str) -> str:
    """A Latin-script name read as Cyrillic ("Abaya" -> "абая", "Qaskelen" -> "каскелен")."""
    low = text.lower()
    out: list[str] = []
    i = 0
    while i < len(low):
        ch = low[i]
        if ch == "y" and low[i + 1: i + 2] not in ("a", "u", "o", "e"):  # a glide next to a vowel, else the vowel ы
            prev = out[-1][-1:] if out else ""
            nxt = low[i + 1: i + 2]
            out.append("й" if (prev and prev in _VOWELS) or (nxt and nxt in _VOWELS) else "ы")
            i += 1
            continue
        for piece, cyr in _LATIN_PIECES:
            if low.startswith(piece, i):
                out.append(cyr)
                i += len(piece)
                break
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def fold(text: str) -> str:
    """Lower case with Kazakh letters and ё folded to Russian ones, same length as ``text``."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text).translate(_FOLD)


def strip_case(name: str, russian: bool = True) -> str:
    """A folded name in a conservative nominative: "Абая" -> "абай", "Сатпаева" -> "сатпаев"."""
    words = []
    for word in fold(name).split():
        if re.search(r"(?:ов|ев|ин|ын)ой$", word):
            word = word[:-2] + "а"
        elif re.search(r"(?:ов|ев|ин|ын)а$", word):
            word = word[:-1]
        elif re.search(r"(?:ба[яюе]|[еоуэю]я)$", word):
            word = word[:-1] + "й"
        elif re.search(r"(?:ск|цк)(?:ого|ому|ом)$", word):
            word = re.sub(r"(?:ого|ому|ом)$", "ий", word)
        elif re.search(r"(?:ск|цк|н|в)(?:ой|ую)$", word):
            word = word[:-2] + "ая"
        elif russian and len(word) >= 4 and re.search(r"[бвгджзклмнпрстфхцчшщ]а$", word):
            word = word[:-1]
        elif russian and len(word) >= 5 and re.search(r"[лнр]я$", word):
            word = word[:-1] + "ь"
        words.append(word)
    return " ".join(words)


def _merge_letters(word: str) -> str:
    """Letters citizens swap: ы/і/и, soft and hard signs, doubled letters, a final "-и" glide."""
    word = word.replace("ы", "и").replace("ь", "").replace("ъ", "").replace("э", "е")
    word = re.sub(r"(.)\1+", r"\1", word)
    return re.sub(r"(?<=[аеоу])и$", "й", word)


def is_adjectival(word: str) -> bool:
    """True for a Russian adjective-like name word ("Тихорецкий", "Звёздная", "Пулковское")."""
    low = fold(word)
    m = _ADJECTIVE.search(low)
    return m is not None and len(low) >= 6 and bool(_ADJECTIVE_STEM.search(low[: m.start()]))


@functools.lru_cache(maxsize=1 << 16)
def name_key(name: str, *, russian: bool = True, street_type: str | None = None) -> str:
    """The key of a place name: script-, case- and spelling-tolerant; "" when nothing is left.

    Memoised (a pure function): the gazetteer tries every run of words of every comment, and a
    meeting's chat repeats its words; this was a third of the pipeline's time on chat-length texts.
    """
    text = unicodedata.normalize("NFC", name or "").strip()
    if _LATIN.search(text.lower()):
        text = " ".join(latin_to_cyrillic(w) if _LATIN.search(w.lower()) else w for w in text.split())
    text = re.sub(r"(\d+)\s*-?\s*(?:й|я|е|ий|ый|ая|ое|ой|го|м|ом|ем|ю|ую|ші|шы|ji|shi)(?![^\W\d_])", r"\1", fold(text))
    words = re.findall(r"\d+|[^\W\d_]+", text)
    adjectival = False
    out: list[str] = []
    if len(words) > 1 and words[0] in _TITLES:
        words = words[1:]
    for word in words:
        if word.isdigit():
            out.append(word)
            continue
        if is_adjectival(word):
            adjectival = True
            word = _ADJECTIVE.sub("", word)
        else:
            word = strip_case(word, russian)
        out.append(_merge_letters(word))
    key = "".join(out)
    if adjectival and street_type:
        key += "|" + street_class(street_type)
    return key


def street_class(marker: str) -> str:
    """The class of a street-type word, inflected or not ("проспекта", "көшесінде" -> "пр", "ул")."""
    low = fold(marker).strip().rstrip(".")
    if low in STREET_TYPES:
        return STREET_TYPES[low]
    for word, cls in sorted(STREET_TYPES.items(), key=lambda kv: -len(kv[0])):
        if len(word) >= 4 and low.startswith(fold(word)[:-1] if word[-1] in "аяеь" else fold(word)):
            return cls
    return low


def house_number(raw: str) -> str:
    """A house number in one spelling: "9 к3", "9к 3", "9, корпус 3" -> "9к3"; "12 А" -> "12а"."""
    low = latin_to_cyrillic(fold(raw)) if _LATIN.search(fold(raw)) else fold(raw)
    m = re.match(r"\s*(\d{1,4})\s*([а-я](?![а-я])(?!\.?\s*\d))?\s*(/\s*\d{1,4})?(?:\W*(?:к|корп|корпус)\.?\s*(\d{1,3}))?", low)
    if not m:
        return re.sub(r"\s", "", low)
    num, letter, slash, block = m.groups()
    if slash and not block:  # "18/1" is written for "18 корпус 1" as often as not
        block = slash.strip("/ ")
    out = num + (letter or "")
    if letter == "к" and not block:
        return out
    return out + (f"к{block}" if block else "")
