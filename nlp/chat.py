"""What a message in a meeting's chat does: raise a problem, echo one, relay the akim, or just talk.

A live chat is not a pile of appeals. The page relays the akim's answers ("Аким говорит: …"),
moderators post notices, hosts announce the agenda ("Первый вопрос — про земельные участки"), and
residents back up what others wrote ("+", "и у нас тоже", "Про Кемер так и не ответили"). None of
these is a new problem; an echo is a mention of a problem raised just before. ``chat_act`` reads
the form of one message; ``ChatContext`` remembers a meeting's recent messages so that an echo
can be attached to the problem it points at.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

RELAY, META, NOTICE, ECHO, REMINDER, STREAM = "relay", "meta", "notice", "echo", "reminder", "stream"
THANKS, SIDE_TALK, REPLY, SCORN = "thanks", "side_talk", "reply", "scorn"
NOT_PROBLEM_ACTS = frozenset({RELAY, META, NOTICE, STREAM, THANKS, SIDE_TALK, REPLY, SCORN})
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
_MENTION = re.compile(r"(?<![\w@])@[\w.\-]+|<user>")
# A message that opens by addressing another participant (not the akim or the akimat's page).
_REPLY_RE = re.compile(r"^\s*(?:<user>|@(?![\w.\-]*(?:аким|әкім|akim))[\w.\-]+)", re.IGNORECASE)

_AKIM = r"(?:аким(?:а|у|ом)?|әкім(?:нің)?|он|она)"
_RELAY_VERBS = (r"(?:говорит|сказал[аи]?|ответил[аи]?|отвечает|сообщил[аи]?|сообщает|рассказ(?:ывает|ал)|"
                r"пояснил|подтвердил|объявил|переходит|перешёл|перешел|завершает|заканчивает|начал[аи]?|"
                r"начинает|айтты|айтып|айтуынша|жауап\s+(?:берді|беріп|береді)|көшті|аяқтады|бастады)")
RELAY_RE = re.compile(
    rf"^\s*(?:@[\w.\-]+[,\s]+)?(?:{_AKIM}\s*[,:—–-]?\s*{_RELAY_VERBS}\b|(?:аким|әкім)\s*[:—–]\s*\S"
    rf"|сказал[аи]?\s*,|по\s+словам\s+акима|әкімнің\s+айтуынша)",
    re.IGNORECASE,
)
META_RE = re.compile(
    r"^\s*(?:(?:первый|второй|третий|следующий|ещё\s+один|еще\s+один|последний|бірінші|келесі)\s+(?:вопрос|сұрақ)"
    r"|(?:тема|блок|раздел|тақырып)\s*[:—–-]"
    r"|(?:сейчас|теперь|далее|дальше|енді)\s+(?:про|о|об|по|тема)\b"
    r"|(?:начинается|начался|стартует)\s+(?:прямой\s+эфир|блок|эфир|встреча)"
    r"|(?:пишите|задавайте|оставляйте)\s+(?:свои\s+)?вопросы)",
    re.IGNORECASE,
)
_SHORT_TOPIC_RE = re.compile(r"^\s*(?:вопрос(?:ы)?|сұрақ(?:тар)?)\s+(?:про|по|о|об|туралы)\b[^?!]*$", re.IGNORECASE)
NOTICE_RE = re.compile(
    r"(?:просим\s+не\s+(?:дублировать|публиковать)|все\s+вопросы\s+(?:фиксируются|записаны|записываются|приняты)"
    r"|вопрос\s+(?:записали|записан|передан|зафиксирован)|обратитесь,?\s+пожалуйста"
    r"|барлық\s+сұрақтар\s+тіркел|сұрақтарды\s+қайталамау|ответы\s+(?:будут|в\s+течение)"
    r"|жауаптар\s+\d+|звук\s+сейчас\s+исправим|дыбысты\s+қазір|следующая\s+встреча\s+[—–-]"
    r"|келесі\s+кездесу\s+[—–-]|(?:уважаемые|құрметті)\s+(?:жители|зрители|тұрғындар)[!,.]?\s+(?:звук|просим|барлық|енді|начинается))",
    re.IGNORECASE,
)
_ECHO_WORDS = frozenset("""
поддерживаю присоединяюсь подтверждаю согласен согласна согласны тоже также так же то же самое
вот именно верно правильно точно да иә рас дұрыс қосыламын қолдаймын мен де бізде де бізде бізге
и у нас нас у меня мы тоже подписываюсь плюсую плюс
""".split())
_ECHO_START = re.compile(
    r"^\s*(?:[+]+\s*\d*|поддерживаю|присоединяюсь|подтверждаю|согласна?|и\s+у\s+нас(?:\s+тоже|\s+так\s+же)?|"
    r"у\s+нас\s+(?:тоже|так\s+же)|(?:то\s+)?же\s+самое|вот\s+вот|дұрыс(?:\s+айтасыз)?|қосыламын|қолдаймын|мен\s+де|"
    r"бізде\s+де|plus|\+1|(?:да|иә|ага|угу)\s*,)(?=\W|$)",
    re.IGNORECASE,
)
REMINDER_RE = re.compile(
    r"(?:так\s+и\s+не\s+ответ|не\s+ответил[иа]?|ни\s+слова\s+про|ответа\s+(?:нет|так\s+и\s+нет)|без\s+ответа|"
    r"(?:опять|снова)\s+забыли|забыли\s+про|не\s+забудьте|мой\s+вопрос|повтор(?:ю|яю)|напоминаю|"
    r"ответили\s*\?|жд(?:ём|ем)\s+ответ|жауап\s+берілмеді|жауап\s+бермеді|ұмыттыңыз|ұмытпаңыз|"
    r"(?:ещё|еще)\s+про(?!\w)|а\s+про\s+\S+\s*\?|ждёт\s+\S+|ждет\s+\S+|ешкім\s+айтпай|туралы\s+ешкім|"
    r"(?:человек|людей)\s+(?:уже\s+)?написал|уже\s+написали|прочитайте\s+уже)",
    re.IGNORECASE,
)
# "When will they do it?" with nothing of its own but a name ("когда Абая сделают, я уже на пенсию выйду"):
# a mention of the problem raised about that name, when the meeting has one.
WHEN_DONE_RE = re.compile(
    r"(?<![\w])(?:когда|kogda|қашан|qashan)(?![\w]).*?(?<![\w])(?:сдела(?:ют|ете|ли)|почин(?:ят|ите)|"
    r"отремонтиру(?:ют|ете)|доделают|достроят|законч(?:ат|ите)|реш(?:ат|ите)|жаса(?:йды|йсыз\w*|ласа)|"
    r"жөнде(?:йді|йсіз\w*)|біт(?:еді|іреді|іресіз\w*))(?![\w])",
    re.IGNORECASE,
)
WHEN_DONE_MAX_WORDS = 10
# Backing a named problem up before adding to it ("Присоединяюсь про Абая! От базара до школы …").
ECHO_ABOUT_RE = re.compile(
    r"^\s*(?:присоединяюсь|поддерживаю|подтверждаю|согласна?|плюсую|\++\d*)[\s,!.]*"
    r"(?:про|по\s+поводу|насч[её]т|туралы)\s+(?=[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ])",
    re.IGNORECASE,
)
STREAM_RE = re.compile(
    r"(?<![\w])(?:звук\w*|ничего\s+не\s+слышно|не\s+слышно|слайд\w*|трансляц\w*|эфир\w*|лага\w*|"
    r"микрофон\w*|камер\w*\s+(?:далеко|тряс\w*|поверн\w*|не\s+работает)|картинк\w*|изображени\w*|"
    r"видео\s+(?:тормоз\w*|завис\w*)|дыбыс\w*|естілмей\w*|көрінбей\w*|"
    r"стрим\w*|связь\s+пропала\s+у\s+меня)",
    re.IGNORECASE,
)
# "When does it start?" about the meeting itself: the whole message is the question, so "когда начнут
# ремонт?" (a work that has not begun) stays a problem, and so does a bare "когда начнут?" (they: the
# people doing a work someone named).
START_RE = re.compile(
    r"^\s*(?:а|и|ну|так|уже)?\s*(?:когда|во\s+сколько|скоро)\s+(?:уже\s+)?(?:начн(?:ется|ётся|ем|ём)|начало|старт)"
    r"(?:\s+(?:встреч\w*|эфир\w*|трансляци\w*))?[\s?!.…)]*$"
    r"|^\s*(?:уже\s+)?(?:началось|начали|начинается)\s*\?[\s?]*$"
    r"|^\s*(?:кездесу|эфир)?\s*(?:қашан|нешеде)\s+(?:басталады|басталады\s+екен|басталмақ)[\s?!.…)]*$",
    re.IGNORECASE,
)
# Praise of a person or a service ("наш участковый врач лучший 👍"): no problem unless something is still wanted.
PRAISE_RE = re.compile(r"(?<![\w])(?:лучш(?:ий|ая|ее|ие)|молод(?:ец|цы|цом)|отличн\w+|прекрасн\w+|умниц\w*|"
                       r"керемет\w*|жарайсың\w*|жарайсыз\w*|тамаша|үздік)(?![\w])", re.IGNORECASE)
THANKS_RE = re.compile(r"(?<![\w])(?:спасибо|благодар\w*|рахмет\w*|рақмет\w*|алғыс\w*|raxmet|rakhmet|spasibo)(?![\w])",
                       re.IGNORECASE)
# What turns thanks into a complaint or a request ("спасибо, но воды нет", "рахмет, қашан?").
_STILL_WANTS = re.compile(r"[?]|(?<![\w])(?:но|а|однако|нет|не|ни|когда|почему|жоқ|жок|бірақ|алайда|қашан|неге|"
                          r"емес|просим|прошу|просьба|требу\w*|нужн\w*|надо|керек|сломан\w*|опасн\w*)(?![\w])", re.IGNORECASE)
# Phrases whose "ни" or "не" asks for nothing ("молодцы несмотря ни на что", "не за что").
_IDIOMS = re.compile(r"(?<![\w])(?:несмотря\s+ни\s+на\s+что|не\s+за\s+что)(?![\w])",
                     re.IGNORECASE)
# Only from the first mark of a run, taken whole: "???…x" is linear, not one retry per mark.
_SENTENCE_END = re.compile(r"(?<![.!?…])[.!?…]++(?:\s|$)")
# Banter between residents: consoling or teasing another, not asking the akimat for anything.
SIDE_TALK_RE = re.compile(r"(?<![\w])(?:не\s+переживайте|не\s+переживай|уайымдамаңыз|уайымдама|"
                          r"(?:вы|вам|ты|тебе)\s+(?:ещё|еще)\s+(?:хорошо|повезло)|вам\s+(?:ещё|еще\s+)?повезло|"
                          r"сіздер?\s+(?:әлі|тағы)\s+жақсы)(?![\w])", re.IGNORECASE)
# Residents organising among themselves ("может коллективное обращение напишем?", "жазайық").
ORGANISE_RE = re.compile(r"(?<![\w])(?:напишем|подпишем|соберёмся|соберемся|сходим|жазайық|жиналайық|барайық|"
                         r"қол\s+жинайық)(?![\w])", re.IGNORECASE)
# Wishes and blessings ("дай бог, чтобы вода была у всех"), and opinions on what matters most.
WISH_RE = re.compile(r"(?<![\w])(?:дай\s+бог|даст\s+бог|дай\s+аллах|бог\s+в\s+помощь|иншалла\w*|құдай\s+қаласа|"
                     r"алла\s+жар\s+болсын|аллаһ\s+жар\s+болсын|амин[ь]?|әумин)(?![\w])", re.IGNORECASE)
PRIORITY_RE = re.compile(r"(?<![\w])(?:самое\s+главное|главное\s*[—–-]|важнее\s+всего|ең\s+басты|ең\s+маңызды|"
                         r"басты\s+мәселе)(?![\w])", re.IGNORECASE)
# Scorn without a request: an insult thrown at officials ("аким вы бездельник"), a shaming outcry
# ("Позор! …", "Ұят! …"), mockery of the akimat's reports ("для галочки"). With a request, a place
# or a question it is an angry problem, and the detector decides.
_INSULT_RE = re.compile(r"(?<![\w])(?:бездельник\w*|бездар\w*|дармоед\w*|клоун\w*|болтун\w*|пустозвон\w*|лжец\w*|"
                        r"врун\w*|вор(?:ы|ов|ьё|ье)|ворюг\w*|жулик\w*|алаяқ\w*|ұры(?:лар)?|өтірікші\w*|жалқау\w*)(?![\w])",
                        re.IGNORECASE)
# An insult counts as scorn when thrown at someone ("аким вы бездельник"), not in a report ("на дачах орудуют воры").
_ADDRESSEE_RE = re.compile(r"(?<![\w])(?:вы|ты|вас|вам|сіз\w*|сен\w*|аким\w*|әкім\w*|чиновник\w*|депутат\w*|власт\w*|"
                           r"начальник\w*|руководств\w*|шенеунік\w*|билік\w*)(?![\w])", re.IGNORECASE)
_OUTCRY_RE = re.compile(r"^\s*(?:позор\w*|стыдоба|стыд|ұят(?:ты)?|масқара)\s*!", re.IGNORECASE)
_MOCK_RE = re.compile(r"(?<![\w])(?:для\s+галочки|на\s+бумаге|показух\w*|отчитыва\w*\s+как|көзбояу\w*)(?![\w])",
                      re.IGNORECASE)
# What makes a message ask something of the akimat.
_REQUEST_RE = re.compile(r"[?]|(?<![\w])(?:когда|почему|прошу|просим|просьба|сделайте|помогите|примите|решите|"
                         r"нужн\w*|надо|необходим\w*|требу\w*|верните|уберите|поставьте|отремонтируйте|"
                         r"қашан|неге|керек|өтінемін|сұраймыз|жасаңыз\w*|шешіңіз\w*|көмектесіңіз\w*)(?![\w])",
                         re.IGNORECASE)
# Messages a bare "+" or "рас" right after agrees with, rather than with an earlier problem.
_AGREEABLE = frozenset({THANKS, SIDE_TALK, SCORN})
SCORN_MAX_WORDS = 14
ORGANISE_MAX_WORDS = 10
THANKS_MAX_WORDS = 16
STREAM_MAX_WORDS = 8
ECHO_MAX_WORDS = 6
NEAR = 3
CONTEXT_SIZE = 1000
_NAME_STOP = frozenset("""про когда почему ещё еще аким әкім уважаемый уважаемая спасибо рахмет здравствуйте
сәлеметсіз прошу просим скажите ответьте наконец опять снова""".split())


def _names_place(text: str) -> bool:
    """True when a street, house, microdistrict or settlement is named (then scorn comes with a problem)."""
    from .place import extract_places

    try:
        return any(p.kind != "district" for p in extract_places(text))
    except Exception:  # noqa: BLE001 - no place found is the safe answer for this check
        return False


def _scorn(body: str) -> bool:
    """An insult thrown at someone, a shaming outcry or mockery of the akimat's reports."""
    return bool((_INSULT_RE.search(body) and _ADDRESSEE_RE.search(body)) or _OUTCRY_RE.search(body)
                or _MOCK_RE.search(body))


def words(text: str) -> list[str]:
    """Lower-case words of ``text`` (mentions and emoji dropped)."""
    return [w.lower() for w in _WORD.findall(_MENTION.sub(" ", text or ""))]


def names(text: str) -> frozenset[str]:
    """Capitalised words of ``text`` in a folded nominative ("Абая" -> "абай"): the places and names it mentions."""
    from .place import strip_case

    out = set()
    for word in _WORD.findall(_MENTION.sub(" ", text or "")):
        if len(word) >= 4 and word[:1].isupper() and not word.isupper() and word.lower() not in _NAME_STOP:
            out.add(strip_case(word))
    return frozenset(out)


def chat_act(text: str) -> str | None:
    """The form of one message: relay, meta, notice, stream, thanks, side talk, scorn, echo, reminder, reply or None.

    None: decide by content. A reply (opening with "@someone", not the akim) is talk between
    residents; one that backs a problem up ("@Мадина у нас так же") is an echo. Thanks count only when nothing in the message still asks for
    something ("Рахмет, биыл газ келді"; not "спасибо за школу, но воды нет").
    """
    raw = (text or "").strip()
    if not raw:
        return None
    body = _MENTION.sub(" ", raw).strip()
    if NOTICE_RE.search(body):
        return NOTICE
    if RELAY_RE.search(raw) or RELAY_RE.search(body):
        return RELAY
    n = len(words(body))
    if n <= STREAM_MAX_WORDS and (STREAM_RE.search(body) or START_RE.search(body)):
        return STREAM
    if META_RE.search(body) or (_SHORT_TOPIC_RE.search(body) and n <= 5):
        return META
    first = _SENTENCE_END.split(body.strip(), maxsplit=1)[0]  # thanks that close an appeal are politeness
    if (n <= THANKS_MAX_WORDS and (THANKS_RE.search(first) or PRAISE_RE.search(body))
            and not _STILL_WANTS.search(_IDIOMS.sub(" ", body))):
        return THANKS
    if SIDE_TALK_RE.search(body) and "?" not in body:
        return SIDE_TALK
    asks = bool(_REQUEST_RE.search(body))
    if n <= ORGANISE_MAX_WORDS and ORGANISE_RE.search(body) and not _REQUEST_RE.search(body.replace("?", " ")):
        return SIDE_TALK  # "может коллективное обращение напишем?"; not "… не примут меры — напишем в прокуратуру"
    if not asks and n <= SCORN_MAX_WORDS and (WISH_RE.search(body) or PRIORITY_RE.search(body)) and not _names_place(body):
        return SIDE_TALK
    if not asks and n <= SCORN_MAX_WORDS and _scorn(body) and not _names_place(body):
        return SCORN
    if n <= 12 and REMINDER_RE.search(body):
        return REMINDER
    if not words(body):
        return ECHO if re.search(r"[+]", body) else None
    if _ECHO_START.search(body) and n <= ECHO_MAX_WORDS:
        return ECHO
    if n <= 3 and all(w in _ECHO_WORDS for w in words(body)):
        return ECHO
    if _REPLY_RE.search(raw):
        return REPLY
    return None


@dataclass(frozen=True, slots=True)
class Seen:
    """One earlier message of the meeting, as echo resolution needs it."""

    comment_id: Hashable
    author: str
    act: str | None
    is_problem: bool
    subtopic: str | None
    place: str | None
    cluster: Hashable | None
    names: frozenset[str] = frozenset()


class ChatContext:
    """The recent messages of one meeting, newest last, for attaching echoes to their problem."""

    def __init__(self, size: int = CONTEXT_SIZE) -> None:
        self._recent: deque[Seen] = deque(maxlen=size)

    def observe(self, seen: Seen) -> None:
        """Remember a labelled message."""
        self._recent.append(seen)

    def recent(self) -> list[Seen]:
        """The remembered messages, oldest first."""
        return list(self._recent)

    def resolve(self, *, act: str | None, text: str, subtopics: Iterable[str], place: str | None,
                author: str = "") -> Seen | None:
        """The earlier problem a message echoes, or None (then it is no echo)."""
        subs = set(subtopics)
        recent = list(reversed(self._recent))
        problems = [s for s in recent if s.is_problem and s.cluster is not None]
        if not problems:
            return None
        mentioned = {m.lstrip("@").lower() for m in _MENTION.findall(text or "") if m != "<user>"}
        if mentioned:
            return next((s for s in problems if s.author.lstrip("@").lower() in mentioned), None)
        own = [s for s in problems if author and s.author == author] if act == REMINDER else []
        # "Так и не ответили", "мой вопрос …" from someone who asked before: their own question on that issue.
        mine = next((s for s in own if not subs or s.subtopic in subs), None)
        if mine is not None:
            return mine
        relay = next((s for s in recent[:3] if s.act == RELAY), None)
        hint = place or (relay.place if relay is not None else None)
        if not subs and relay is not None and relay.subtopic and act in (ECHO, REMINDER, None):
            subs = {relay.subtopic}
        if hint:
            found = next((s for s in problems if s.place == hint and (not subs or s.subtopic in subs)), None)
            found = found or next((s for s in problems if s.place == hint), None)
            if found is not None or place:
                return found
        if subs:
            found = next((s for s in problems if s.subtopic in subs), None)
            if found is not None or act is None:
                return found
        mentioned_names = names(text)
        if mentioned_names and act in (ECHO, REMINDER):
            found = next((s for s in problems if s.names & mentioned_names), None)
            if found is not None:
                return found
        if act == ECHO:
            if recent[0].act in _AGREEABLE:
                return None  # "Рас" right after "Спасибо учителям школы №3" agrees with the thanks
            newest = problems[0]
            return newest if self._distance(newest) <= NEAR else None
        return None

    def echo_target(self, *, act: str | None, is_problem: bool | None, text: str, subtopics: Sequence[str],
                    place: str | None, author: str = "") -> Seen | None:
        """The problem this message only echoes, or None when it stands on its own.

        Echoes and reminders look for their problem (a reminder from someone who asked before, for
        their own question); a problem comment is an echo too when it
        names no place and reacts to a relay of the akim just before it, when it only asks when
        a named thing will be done ("когда Абая сделают?"), or when it opens by backing a named
        problem up ("Присоединяюсь про Абая! …"). Any other comment that
        names an issue goes to the clusterer, which joins it to an earlier one only when the two
        are alike: attaching every short line on an earlier problem's subtopic to that problem
        ("воды нет до весны") also swallowed distinct short complaints (BCubed F1 0.90 -> 0.50 on
        the Kazakh/Russian appeals) and mixed issues in the demo chat's drafts.
        """
        if act in (ECHO, REMINDER):
            return self.resolve(act=act, text=text, subtopics=subtopics, place=place, author=author)
        if not is_problem or place:
            return None
        if act is None and names(text) and (ECHO_ABOUT_RE.match(text) or (
                not subtopics and len(words(text)) <= WHEN_DONE_MAX_WORDS and WHEN_DONE_RE.search(text))):
            # Only a name to go by: the problem raised about it, or none (then it stands on its own).
            named = names(text)
            return next((s for s in reversed(self._recent) if s.is_problem and s.cluster is not None and s.names & named), None)
        if any(s.act == RELAY for s in list(self._recent)[-NEAR:]):
            return self.resolve(act=None, text=text, subtopics=subtopics, place=None)
        return None

    def _distance(self, seen: Seen) -> int:
        """How many messages ago ``seen`` was."""
        for i, s in enumerate(reversed(self._recent)):
            if s is seen:
                return i
        return len(self._recent)
