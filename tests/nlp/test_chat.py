"""Chat acts: relays, agenda remarks, notices and echoes are not new problems; echoes find their problem."""

from __future__ import annotations

import pytest
from tyndau.nlp.chat import ECHO, META, NOTICE, RELAY, REMINDER, STREAM, ChatContext, Seen, chat_act


@pytest.mark.parametrize(("text", "act"), [
    ("Аким говорит: в следующем году отремонтируют 10 улиц", RELAY),
    ("Аким ответил: по школе проект готов", RELAY),
    ("Аким: по пастбищам — комиссия в декабре", RELAY),
    ("Әкім айтты: жол келесі жылы жөнделеді", RELAY),
    ("@Ерлан сказал, будет новый массив под городом", RELAY),
    ("Первый вопрос — про земельные участки", META),
    ("Тема: здравоохранение", META),
    ("Сейчас про водоснабжение", META),
    ("Вопрос про автобусы", META),
    ("Пишите свои вопросы в чат", META),
    ("Уважаемые зрители, просим не дублировать сообщения", NOTICE),
    ("Құрметті тұрғындар, барлық сұрақтар тіркелді", NOTICE),
    ("Звук пропал", STREAM), ("трансляция тормозит у всех?", STREAM), ("Дыбыс естілмейді", STREAM),
    ("+", ECHO), ("+1", ECHO), ("++", ECHO),
    ("и у нас тоже", ECHO), ("Поддерживаю 👍", ECHO), ("@Марат поддерживаю", ECHO), ("Дұрыс айтасыз", ECHO),
    ("Про газ так и не ответили", REMINDER), ("Наше село опять забыли", REMINDER),
    ("А мой вопрос про очередь? Я писала в начале", REMINDER),
])
def test_forms_of_chat_messages(text: str, act: str) -> None:
    assert chat_act(text) == act


@pytest.mark.parametrize("text", [
    "Аким мырза, когда будет вода в нашем селе?",
    "Аким, почему не вывозят мусор?",
    "Вопрос про газ в нашем селе, ответьте пожалуйста сегодня",
    "Поддерживаю, у нас на улице тоже нет фонарей уже полгода, дети ходят в темноте, примите меры",
    "Присоединяюсь про дорогу! От рынка до школы невозможно проехать, весной лужи по колено",
    "Третий день нет воды", "", "😡😡", "А" * 10_000,
])
def test_problems_and_chatter_get_no_act(text: str) -> None:
    assert chat_act(text) is None


def _seen(cid, act=None, problem=True, subtopic=None, place=None, cluster=None, author="a"):
    return Seen(cid, author, act, problem, subtopic, place, cluster if cluster is not None else (cid if problem else None))


def test_an_echo_joins_the_problem_just_before_it() -> None:
    ctx = ChatContext()
    ctx.observe(_seen(1, subtopic="no_water", place="settlement:иргели"))
    ctx.observe(_seen(2, problem=False))
    assert ctx.resolve(act=ECHO, text="+", subtopics=[], place=None).comment_id == 1
    for n in range(3, 10):
        ctx.observe(_seen(n, problem=False))
    assert ctx.resolve(act=ECHO, text="+", subtopics=[], place=None) is None  # too far back


def test_a_reaction_to_a_relay_joins_the_problem_the_relay_answered() -> None:
    ctx = ChatContext()
    ctx.observe(_seen(1, subtopic="no_water", place="settlement:иргели"))
    ctx.observe(_seen(2, subtopic="no_water", place="settlement:шамалган"))
    ctx.observe(_seen(3, act=RELAY, problem=False, subtopic="water_pipes", place="settlement:иргели"))
    found = ctx.resolve(act=None, text="До второго квартала без воды сидеть??", subtopics=["no_water"], place=None)
    assert found.comment_id == 1


def test_a_reminder_finds_its_problem_by_place_or_subtopic_and_a_reply_by_its_author() -> None:
    ctx = ChatContext()
    ctx.observe(_seen(1, subtopic="unpaved_road", place="settlement:кемер", author="@Даулет"))
    ctx.observe(_seen(2, subtopic="housing_queue", author="@Айгуль"))
    ctx.observe(_seen(3, subtopic="no_water", place="settlement:иргели"))
    assert ctx.resolve(act=REMINDER, text="Кемер опять забыли", subtopics=[], place="settlement:кемер").comment_id == 1
    assert ctx.resolve(act=REMINDER, text="А мой вопрос про очередь на жильё?", subtopics=["housing_queue"],
                       place=None).comment_id == 2
    assert ctx.resolve(act=ECHO, text="@Айгуль поддерживаю", subtopics=[], place=None).comment_id == 2
    assert ctx.resolve(act=REMINDER, text="Про Береке забыли", subtopics=[], place="settlement:береке") is None
