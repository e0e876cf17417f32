"""Which encoding an office's CSV export is in, and why we think so.

Kazakh and Russian offices export CSV in UTF-8 (with or without a BOM), UTF-16 (Excel's "Unicode
text"), Windows-1251, its Kazakh extension kz1048 (cp1251 with Қ Ғ Ң Ә Ө Ұ Ү Һ where cp1251 has
Ќ Ђ Ћ …), DOS cp866, and sometimes KOI8-R. BOMs and valid UTF-8 decide at once; otherwise every
single-byte candidate is read and scored by how much it looks like Russian/Kazakh text, so the
Kazakh letters decide kz1048 against cp1251. The verdict carries a reason code for the preview.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from typing import Any

SINGLE_BYTE = ("cp1251", "kz1048", "cp866", "koi8_r", "mac_cyrillic")
CHOICES = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", *SINGLE_BYTE)
KAZAKH = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
FREQUENT = frozenset("оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё")
SAMPLE = 256 * 1024


@dataclass(frozen=True, slots=True)
class Detected:
    """One detected property of a file: the value, a reason code with parameters, and the runners-up."""

    value: Any
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    alternatives: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """The preview's form of it."""
        return {"value": self.value, "code": self.code, "params": self.params, "alternatives": list(self.alternatives)}


def _score(text: str) -> float:
    """How much ``text`` looks like Russian/Kazakh: letters score, mojibake and control codes cost."""
    score = 0.0
    for ch in text:
        if ch.isascii():
            continue
        if ch in FREQUENT:
            score += 2
        elif ch in KAZAKH:
            score += 1.5
        elif "а" <= ch <= "я":
            score += 1
        elif "А" <= ch <= "Я" or ch == "Ё":
            score += 0.5
        elif ch in "«»–—№…“”„’‘":
            score += 0.2
        else:
            score -= 3
    return score


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when every second byte is a Latin/Cyrillic high byte (0x00 or 0x04)."""
    head = data[:4096]
    if len(head) < 8 or len(data) % 2:
        return None
    even, odd = head[0::2], head[1::2]
    high = lambda part: (part.count(0) + part.count(4)) / len(part)  # noqa: E731
    for name, hi, lo in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if high(hi) > 0.8 and high(lo) < 0.3 and hi.count(0) > 0.1 * len(hi):
            try:
                data.decode(name)
            except UnicodeDecodeError:
                continue
            return name
    return None


def detect_encoding(data: bytes) -> Detected:
    """The encoding of CSV bytes, with the reason (see the module docstring)."""
    if data.startswith(codecs.BOM_UTF8):
        return Detected("utf-8-sig", "enc_bom", {"bom": "UTF-8"})
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Detected("utf-16", "enc_bom", {"bom": "UTF-16"})
    wide = _utf16_without_bom(data)
    if wide is not None:
        return Detected(wide, "enc_utf16_zeros", {})
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_at = exc.start
    else:
        return Detected("utf-8", "enc_ascii" if data.isascii() else "enc_utf8_valid", {})
    lenient = data[:SAMPLE].decode("utf-8", "replace")
    bad = lenient.count("\ufffd")
    good = sum(1 for ch in lenient if ord(ch) > 127 and ch != "\ufffd")
    if good > 4 * bad:  # UTF-8 with a few broken bytes, not another encoding
        return Detected("utf-8", "enc_utf8_broken", {"bad": bad, "at": bad_at})
    sample = data[:SAMPLE]
    scored = sorted(((_score(sample.decode(enc, "replace")), -i, enc) for i, enc in enumerate(SINGLE_BYTE)), reverse=True)
    best = scored[0][2]
    others = tuple(enc for _, _, enc in scored[1:3])
    if best in ("cp1251", "kz1048"):
        kazakh = sample.decode("kz1048", "replace")
        letters = sorted({ch for ch in kazakh if ch in KAZAKH and ch not in "іІ"})
        if letters:
            count = sum(1 for ch in kazakh if ch in KAZAKH and ch not in "іІ")
            return Detected("kz1048", "enc_kazakh_letters", {"letters": " ".join(letters[:8]), "count": count}, ("cp1251",))
        return Detected("cp1251", "enc_cyrillic_no_kazakh", {}, ("kz1048", *[o for o in others if o != "kz1048"][:1]))
    return Detected(best, "enc_scored", {"runner_up": others[0] if others else ""}, others)


def decode(data: bytes, encoding: str) -> tuple[str, int]:
    """Text and the number of undecodable sequences replaced with U+FFFD."""
    text = data.decode(encoding, "replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, text.count("\ufffd")
