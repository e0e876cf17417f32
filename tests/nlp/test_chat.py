"""Chat acts: relays, agenda remarks, notices, thanks, replies and echoes are not new problems; echoes find their problem."""

from __future__ import annotations

import pytest

from tyndau.nlp.chat import (
    ECHO,
    META,
    NOT_PROBLEM_ACTS,
    NOTICE,
    RELAY,
    REMINDER,
    REPLY,
    SCORN,
    SIDE_TALK,
    STREAM,
    THANKS,
    ChatContext,
    Seen,
    chat_act,
)


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
    ("а когда начнется?", STREAM), ("Во сколько начало встречи?", STREAM), ("уже началось?", STREAM),
    ("Кездесу қашан басталады?", STREAM),
    ("+", ECHO), ("+1", ECHO), ("++", ECHO),
    ("и у нас тоже", ECHO), ("Поддерживаю 👍", ECHO), ("@Марат поддерживаю", ECHO), ("Дұрыс айтасыз", ECHO),
    ("да, асфальт кладут прямо в лужи", ECHO), ("Иә, бізде де солай", ECHO),
    ("Про газ так и не ответили", REMINDER), ("Наше село опять забыли", REMINDER),
    ("А мой вопрос про очередь? Я писала в начале", REMINDER), ("Ещё про Абая скажите", REMINDER),
    ("Рахмет, әкім мырза! 👏", THANKS), ("Спасибо, что проводите такие встречи", THANKS),
    ("Ауылға биыл жол салынды, рахмет", THANKS), ("Сельчане благодарят за новую школу!", THANKS),
    ("у нас в городе тоже так, не переживайте", SIDE_TALK),
    ("вам ещё повезло, у нас вообще ничего нет 😂", SIDE_TALK),
    ("Соседи, давайте коллективное письмо напишем?", SIDE_TALK), ("Көршілер, бәріміз жазайық", SIDE_TALK),
    ("Дай бог, чтобы у всех всё было хорошо 🙏", SIDE_TALK), ("Иншалла, бәрі жақсы болады", SIDE_TALK),
    ("Свет это самое главное, остальное подождёт", SIDE_TALK),
    ("Поддерживаю, наш фельдшер лучший 👍", THANKS), ("Молодцы, хорошо сделали парк", THANKS),
    ("Спасибо учителям школы №3, они молодцы несмотря ни на что", THANKS),
    ("аким вы бездельник, сами тут не живёте", SCORN), ("Все вы воры и бездельники", SCORN),
    ("Позор! Ничего не меняется, одни обещания", SCORN), ("Ұят! Ешнәрсе өзгермейді", SCORN),
    ("Всё для галочки, как всегда", SCORN),
    ("@Данияр а вы из какого села?", REPLY), ("<user> зачем номер телефона в чат пишете", REPLY),
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
    "Когда начнут ремонт дороги?", "А когда начнется строительство школы?", "Жөндеу қашан басталады?",
    "а когда начнут?",
    "уже началось" + "?" * 10_000 + "x", "когда начнется" + " " * 10_000 + "x",
    "За школу спасибо, но воды так и нет", "Рахмет, бірақ жол қашан жөнделеді?",
    "Открыт люк у дома 5. Опасно для детей. Спасибо.", "Просьба убрать снег во дворе. Спасибо",
    "@аким_района когда будет свет на Садовой?",
    "позор, в школе дети мёрзнут, батареи холодные", "Позор! В Иргели неделю нет воды",
    "Аким, вы бездельник? Когда дорогу сделаете?", "Отличная идея, но когда сделают дорогу?",
    "Дай бог здоровья, но помогите с водой в селе",
    "На дачах орудуют воры, сторожа нет, полиция не приезжает", "Алаяқтар зейнеткерлерге қоңырау шалады",
    "Снег во дворе не убран, когда почистят? Если не примут меры, напишем заявление в прокуратуру",
    # "ещё просьба" is one more request, not "ещё про …" (a reminder): it joined another resident's problem
    "Иргели: ещё просьба — остановку на трассе сделайте с навесом", "Еще просьба: поставьте фонари на Садовой",
])
def test_problems_and_chatter_get_no_act(text: str) -> None:
    assert chat_act(text) is None


def test_thanks_side_talk_scorn_and_replies_are_no_problems() -> None:
    assert {THANKS, SIDE_TALK, REPLY, SCORN} <= NOT_PROBLEM_ACTS


def _seen(cid, act=None, problem=True, subtopic=None, place=None, cluster=None, author="a", names=frozenset()):
    return Seen(cid, author, act, problem, subtopic, place, cluster if cluster is not None else (cid if problem else None), names)


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


def test_a_short_line_on_an_earlier_issue_is_left_to_the_clusterer() -> None:
    """Not an echo by its subtopic alone: short appeals on one issue are often distinct complaints."""
    ctx = ChatContext()
    ctx.observe(_seen(1, subtopic="transport_drivers"))
    assert ctx.echo_target(act=None, is_problem=True, text="Водитель автобуса не остановился на остановке",
                           subtopics=["transport_drivers"], place=None) is None
    ctx.observe(_seen(2, act=RELAY, problem=False, subtopic="transport_drivers"))
    assert ctx.echo_target(act=None, is_problem=True, text="Водители так и хамят", subtopics=["transport_drivers"],
                           place=None).comment_id == 1  # a reaction to the akim's answer just relayed


def test_a_reminder_from_someone_who_asked_before_is_about_their_own_question() -> None:
    ctx = ChatContext()
    ctx.observe(_seen(1, subtopic="bus_route", author="@timur"))
    ctx.observe(_seen(2, subtopic="appeal_no_answer", author="@zhanar"))
    ctx.observe(_seen(3, subtopic="pastures", place="settlement:жамбыл", author="@azhar"))
    found = ctx.resolve(act=REMINDER, text="Ещё про маршрут — ответа нет", subtopics=["appeal_no_answer", "bus_route"],
                        place=None, author="@timur")
    assert found is not None and found.comment_id == 1
    found = ctx.resolve(act=REMINDER, text="Ещё про маршрут — ответа нет", subtopics=["appeal_no_answer", "bus_route"],
                        place=None, author="@someone_else")
    assert found is not None and found.comment_id == 2  # no question of their own: the subtopic decides
    assert ctx.echo_target(act=REMINDER, is_problem=True, text="Жайылым туралы ешкім айтпайды", subtopics=["pastures"],
                           place=None, author="@timur").comment_id == 3  # not their own issue
    assert ctx.resolve(act=REMINDER, text="Так и не ответили", subtopics=[], place=None, author="@timur").comment_id == 1


def test_asking_only_when_a_named_thing_will_be_done_mentions_its_problem() -> None:
    """ "когда Абая сделают, я уже на пенсию выйду" names nothing new: it is the Abay problem's mention."""
    ctx = ChatContext()
    ctx.observe(_seen(1, subtopic="potholes", place="street:абай", names=frozenset({"абай", "каскелене"})))
    ctx.observe(_seen(2, subtopic="no_water", place="settlement:иргели", names=frozenset({"иргели"})))
    found = ctx.echo_target(act=None, is_problem=True, text="когда Абая сделают я уже на пенсию выйду", subtopics=[], place=None)
    assert found is not None and found.comment_id == 1
    assert ctx.echo_target(act=None, is_problem=True, text="Абай қашан бітеді?", subtopics=[], place=None).comment_id == 1
    # a name the meeting has no problem about, an issue of its own, or a longer message: the clusterer decides
    assert ctx.echo_target(act=None, is_problem=True, text="Когда Кемер сделают?", subtopics=[], place=None) is None
    assert ctx.echo_target(act=None, is_problem=True, text="Когда на Абая сделают освещение?", subtopics=["street_lighting"],
                           place=None) is None
    assert ctx.echo_target(act=None, is_problem=True, text="Когда Абая сделают, ведь там каждый день дети идут в школу по "
                           "грязи", subtopics=[], place=None) is None


def test_a_bare_echo_right_after_thanks_or_banter_agrees_with_that() -> None:
    ctx = ChatContext()
    ctx.observe(_seen(1, subtopic="sports_ground", place="microdistrict:жастар"))
    ctx.observe(_seen(2, act=THANKS, problem=False))
    assert ctx.resolve(act=ECHO, text="Рас", subtopics=[], place=None) is None
    ctx.observe(_seen(3, act=SIDE_TALK, problem=False))
    assert ctx.resolve(act=ECHO, text="+", subtopics=[], place=None) is None
    ctx.observe(_seen(4, problem=False))  # a greeting: "+" still backs the problem just before
    assert ctx.resolve(act=ECHO, text="+", subtopics=[], place=None).comment_id == 1


def test_backing_a_named_problem_up_before_adding_to_it_is_its_mention() -> None:
    ctx = ChatContext()
    ctx.observe(_seen(1, subtopic="potholes", place="street:абай", names=frozenset({"абай"})))
    ctx.observe(_seen(2, subtopic="no_water", place="settlement:иргели", names=frozenset({"иргели"})))
    found = ctx.echo_target(act=None, is_problem=True, subtopics=[], place=None,
                            text="Присоединяюсь про Абая! От базара до школы невозможно проехать, весной лужи по колено")
    assert found is not None and found.comment_id == 1
    assert ctx.echo_target(act=None, is_problem=True, subtopics=[], place=None,
                           text="Поддерживаю про Кемер, там тоже нет дороги") is None  # no problem about Kemer yet
    assert ctx.echo_target(act=None, is_problem=True, subtopics=[], place=None,
                           text="Абая и Иргели — всё плохо, от базара до школы невозможно проехать") is None
