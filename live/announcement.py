"""The announcement text for the official accounts, in Russian and Kazakh, from an editable template.

The 14/7-day notice itself is :func:`tyndau.domain.meeting.check_announcement`; this builds what is
posted. A template is plain text with ``{placeholders}``; a secretary may edit it, so rendering
knows only the names below (no attribute access, unlike ``str.format``), and a line whose
placeholder has no value is left out (no links → no "stream" line). Dates follow each language's
grammar: «15 декабря 2026 года в 10:00», «2026 жылғы 15 желтоқсан, сағат 10:00».
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from tyndau.timeutil import ALMATY, as_utc

MONTHS_RU_GEN = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
                 "ноября", "декабря")
MONTHS_KK = ("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан",
             "қараша", "желтоқсан")
MONTHS_KK_DAT = ("қаңтарға", "ақпанға", "наурызға", "сәуірге", "мамырға", "маусымға", "шілдеге", "тамызға",
                 "қыркүйекке", "қазанға", "қарашаға", "желтоқсанға")
WEEKDAYS_RU = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")
WEEKDAYS_KK = ("дүйсенбі", "сейсенбі", "сәрсенбі", "бейсенбі", "жұма", "сенбі", "жексенбі")
PLACEHOLDERS = ("akim", "topic", "date", "time", "when", "weekday", "place", "links", "questions", "questions_until")
MAX_TEMPLATE = 5000

DEFAULT_TEMPLATES: Mapping[str, str] = {
    "ru": (
        "{akim} проведёт встречу с населением.\n"
        "Тема: {topic}.\n"
        "Когда: {when} ({weekday}).\n"
        "Где: {place}.\n"
        "Прямая трансляция: {links}.\n"
        "Вопросы и предложения можно направить заранее: {questions}.\n"
        "Вопросы принимаются до {questions_until}.\n"
        "Приглашаем жителей принять участие!"
    ),
    "kk": (
        "{akim} халықпен кездесу өткізеді.\n"
        "Тақырыбы: {topic}.\n"
        "Уақыты: {when} ({weekday}).\n"
        "Өтетін орны: {place}.\n"
        "Тікелей эфир: {links}.\n"
        "Сұрақтар мен ұсыныстарды алдын ала жолдауға болады: {questions}.\n"
        "Сұрақтар {questions_until} дейін қабылданады.\n"
        "Тұрғындарды қатысуға шақырамыз!"
    ),
}


class TemplateError(ValueError):
    """A template that cannot be rendered; ``unknown`` lists placeholders we do not know."""

    def __init__(self, message: str, unknown: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.unknown = tuple(unknown)


@dataclass(frozen=True, slots=True)
class AnnouncementFacts:
    """What the announcement says, in both languages where it differs."""

    starts_at: datetime
    akim_ru: str
    akim_kk: str
    place_ru: str
    place_kk: str
    stream_links: tuple[str, ...] = ()
    question_channels_ru: tuple[str, ...] = ()
    question_channels_kk: tuple[str, ...] = ()
    questions_until: date | None = None
    topic_ru: str = ""
    topic_kk: str = ""


def date_text(day: date, lang: str) -> str:
    """A date in words: «15 декабря 2026 года» / «2026 жылғы 15 желтоқсан»."""
    if lang == "kk":
        return f"{day.year} жылғы {day.day} {MONTHS_KK[day.month - 1]}"
    return f"{day.day} {MONTHS_RU_GEN[day.month - 1]} {day.year} года"


def date_until_text(day: date, lang: str) -> str:
    """The day a period runs to, ready for «до …» / «… дейін»: «10 декабря» / «10 желтоқсанға»."""
    if lang == "kk":
        return f"{day.day} {MONTHS_KK_DAT[day.month - 1]}"
    return f"{day.day} {MONTHS_RU_GEN[day.month - 1]}"


def when_text(instant: datetime, lang: str) -> str:
    """The meeting's Almaty date and time: «15 декабря 2026 года в 10:00» / «2026 жылғы 15 желтоқсан, сағат 10:00»."""
    local = as_utc(instant).astimezone(ALMATY)
    clock = f"{local.hour:02d}:{local.minute:02d}"
    if lang == "kk":
        return f"{date_text(local.date(), 'kk')}, сағат {clock}"
    return f"{date_text(local.date(), 'ru')} в {clock}"


def placeholders_of(template: str) -> tuple[str, ...]:
    """The placeholder names a template uses, in order of first use."""
    seen: list[str] = []
    for name in re.findall(r"(?<!\{)\{(\w*)\}(?!\})", template):
        if name not in seen:
            seen.append(name)
    return tuple(seen)


def check_template(template: str) -> None:
    """Raise TemplateError when the template is too long or uses names we do not fill."""
    if len(template) > MAX_TEMPLATE:
        raise TemplateError(f"the template is longer than {MAX_TEMPLATE} characters")
    stray = re.sub(r"\{\{|\}\}|(?<!\{)\{\w*\}(?!\})", "", template)
    if "{" in stray or "}" in stray:
        raise TemplateError("a { or } that is not a {placeholder}; write {{ or }} for a literal brace")
    unknown = [n for n in placeholders_of(template) if n not in PLACEHOLDERS]
    if unknown:
        raise TemplateError(
            "unknown placeholders: " + ", ".join("{" + n + "}" for n in unknown) + "; known: "
            + ", ".join("{" + n + "}" for n in PLACEHOLDERS), unknown,
        )


def announcement_values(facts: AnnouncementFacts, lang: str) -> dict[str, str]:
    """The placeholder values for one language."""
    if lang not in ("ru", "kk"):
        raise ValueError(f"language must be ru or kk, not {lang!r}")
    kk = lang == "kk"
    local = as_utc(facts.starts_at).astimezone(ALMATY)
    channels = ((facts.question_channels_kk or facts.question_channels_ru) if kk
                else (facts.question_channels_ru or facts.question_channels_kk))
    return {
        "akim": _pick(facts.akim_kk, facts.akim_ru, kk),
        "topic": _pick(facts.topic_kk, facts.topic_ru, kk),
        "date": date_text(local.date(), lang),
        "time": f"{local.hour:02d}:{local.minute:02d}",
        "when": when_text(facts.starts_at, lang),
        "weekday": (WEEKDAYS_KK if kk else WEEKDAYS_RU)[local.weekday()],
        "place": _pick(facts.place_kk, facts.place_ru, kk),
        "links": ", ".join(link.strip() for link in facts.stream_links if link.strip()),
        "questions": "; ".join(c.strip() for c in channels if c.strip()),
        "questions_until": date_until_text(facts.questions_until, lang) if facts.questions_until else "",
    }


def announcement_text(facts: AnnouncementFacts, lang: str, template: str | None = None) -> str:
    """The text to post: the template (default: ours) with every line whose values are empty left out."""
    text = DEFAULT_TEMPLATES[lang] if template is None and lang in DEFAULT_TEMPLATES else (template or "")
    check_template(text)
    values = announcement_values(facts, lang)
    lines = []
    for line in text.split("\n"):
        names = placeholders_of(line)
        if names and any(not values[n].strip() for n in names):
            continue
        lines.append(re.sub(r"(?<!\{)\{(\w+)\}(?!\})", lambda m: values[m.group(1)], line)
                     .replace("{{", "{").replace("}}", "}"))
    return "\n".join(lines).strip()


def _pick(kk_value: str, ru_value: str, kk: bool) -> str:
    return ((kk_value or ru_value) if kk else (ru_value or kk_value)).strip()
