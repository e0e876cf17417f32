"""The announcement text in Russian and Kazakh: date grammar, the default and an edited template."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tyndau.live.announcement import (
    MONTHS_KK,
    AnnouncementFacts,
    TemplateError,
    announcement_text,
    check_template,
    date_text,
    date_until_text,
    when_text,
)

from .helpers import almaty

FACTS = AnnouncementFacts(
    starts_at=datetime(2026, 12, 15, 5, 0, tzinfo=UTC),          # 10:00 in Almaty
    akim_ru="Аким Бесагашского района Н. Нурланов", akim_kk="Бесағаш ауданының әкімі Н. Нұрланов",
    place_ru="Дом культуры, с. Акбулак, ул. Абая, 12", place_kk="Мәдениет үйі, Ақбұлақ ауылы, Абай көшесі, 12",
    stream_links=("https://www.youtube.com/@besagash_akimat/live", " https://t.me/besagash_akimat "),
    question_channels_ru=("eOtinish.kz", "WhatsApp акимата +7 700 000 00 00"),
    question_channels_kk=("eOtinish.kz", "әкімдіктің WhatsApp нөмірі +7 700 000 00 00"),
    questions_until=date(2026, 12, 10), topic_ru="итоги года и планы на 2027 год",
    topic_kk="жыл қорытындысы және 2027 жылғы жоспарлар",
)


def test_kazakh_and_russian_date_grammar() -> None:
    assert when_text(FACTS.starts_at, "kk") == "2026 жылғы 15 желтоқсан, сағат 10:00"
    assert when_text(FACTS.starts_at, "ru") == "15 декабря 2026 года в 10:00"
    assert date_text(date(2028, 2, 29), "kk") == "2028 жылғы 29 ақпан"
    assert date_text(date(2027, 1, 3), "ru") == "3 января 2027 года"
    assert date_until_text(date(2026, 12, 10), "kk") == "10 желтоқсанға" and date_until_text(date(2026, 4, 1), "kk") == "1 сәуірге"
    assert date_until_text(date(2026, 9, 1), "kk") == "1 қыркүйекке" and date_until_text(date(2026, 7, 5), "ru") == "5 июля"
    assert when_text(datetime(2026, 12, 31, 19, 30, tzinfo=UTC), "kk") == "2027 жылғы 1 қаңтар, сағат 00:30"
    assert len(set(MONTHS_KK)) == 12


def test_the_default_announcement_in_both_languages() -> None:
    assert announcement_text(FACTS, "ru") == (
        "Аким Бесагашского района Н. Нурланов проведёт встречу с населением.\n"
        "Тема: итоги года и планы на 2027 год.\n"
        "Когда: 15 декабря 2026 года в 10:00 (вторник).\n"
        "Где: Дом культуры, с. Акбулак, ул. Абая, 12.\n"
        "Прямая трансляция: https://www.youtube.com/@besagash_akimat/live, https://t.me/besagash_akimat.\n"
        "Вопросы и предложения можно направить заранее: eOtinish.kz; WhatsApp акимата +7 700 000 00 00.\n"
        "Вопросы принимаются до 10 декабря.\n"
        "Приглашаем жителей принять участие!"
    )
    assert announcement_text(FACTS, "kk") == (
        "Бесағаш ауданының әкімі Н. Нұрланов халықпен кездесу өткізеді.\n"
        "Тақырыбы: жыл қорытындысы және 2027 жылғы жоспарлар.\n"
        "Уақыты: 2026 жылғы 15 желтоқсан, сағат 10:00 (сейсенбі).\n"
        "Өтетін орны: Мәдениет үйі, Ақбұлақ ауылы, Абай көшесі, 12.\n"
        "Тікелей эфир: https://www.youtube.com/@besagash_akimat/live, https://t.me/besagash_akimat.\n"
        "Сұрақтар мен ұсыныстарды алдын ала жолдауға болады: eOtinish.kz; әкімдіктің WhatsApp нөмірі +7 700 000 00 00.\n"
        "Сұрақтар 10 желтоқсанға дейін қабылданады.\n"
        "Тұрғындарды қатысуға шақырамыз!"
    )


def test_lines_without_values_are_left_out_and_kazakh_falls_back_to_russian() -> None:
    bare = AnnouncementFacts(almaty(2027, 3, 2, 15, 30), "Аким села Акбулак", "", "Клуб", "")
    text = announcement_text(bare, "kk")
    assert text.splitlines() == [
        "Аким села Акбулак халықпен кездесу өткізеді.", "Уақыты: 2027 жылғы 2 наурыз, сағат 15:30 (сейсенбі).",
        "Өтетін орны: Клуб.", "Тұрғындарды қатысуға шақырамыз!",
    ]


def test_an_edited_template() -> None:
    template = "{{Важно}} {date}, {time}: {akim}\nСсылки: {links}\nМесто: {place}"
    assert announcement_text(FACTS, "ru", template) == (
        "{Важно} 15 декабря 2026 года, 10:00: Аким Бесагашского района Н. Нурланов\n"
        "Ссылки: https://www.youtube.com/@besagash_akimat/live, https://t.me/besagash_akimat\n"
        "Место: Дом культуры, с. Акбулак, ул. Абая, 12"
    )


@pytest.mark.parametrize(("template", "message"), [
    ("Встреча {when} в {venue}", "unknown placeholders: {venue}"),
    ("{akim.__class__}", "not a {placeholder}"),
    ("{}", "unknown placeholders: {}"),
    ("{akim", "not a {placeholder}"),
    ("x" * 5001, "longer than 5000"),
])
def test_bad_templates_are_refused_with_a_reason(template: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message.replace("{", r"\{").replace("}", r"\}").replace(".", r"\.")):
        check_template(template)
    with pytest.raises(TemplateError):
        announcement_text(FACTS, "ru", template)


def test_unknown_language() -> None:
    with pytest.raises(ValueError, match="ru or kk"):
        announcement_text(FACTS, "en", "{akim}")
