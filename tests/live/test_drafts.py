"""Draft problems: wordings a secretary would sign, in both languages, from subtopic and place."""

import numpy as np
import pytest

from tyndau.nlp.drafts import DraftBuilder, Member, build_draft, is_clean, wording
from tyndau.nlp.language import LanguageDetector
from tyndau.nlp.place_names import PlaceMention, PlaceNamer, choose_places
from tyndau.nlp.taxonomy import load_taxonomy

KAZAKH = set("әғқңөұүһі")


@pytest.fixture(scope="module")
def builder() -> DraftBuilder:
    names = {c.id: dict(c.name) for c in load_taxonomy()}
    return DraftBuilder({"roads_transport": "Отдел дорог"}, category_names=names)


def _m(cid, text, lang, category=None, places=(), echo=False):
    return Member(cid, text, lang, category, None, tuple(PlaceMention(*p, lang=lang) for p in places), None, echo)


def test_wording_drops_greetings_links_emoji_and_personal_data():
    text = "Здравствуйте! Аким мырза, на ул. Абая 12 огромная яма 😡😡 https://t.me/x звоните +7 701 123 45 67"
    out = wording(text)
    assert out.startswith("На ул. Абая 12 огромная яма")
    assert "http" not in out and "😡" not in out and "701" not in out


def test_long_text_is_cut_at_a_word_boundary_and_shouting_is_calmed():
    out = wording("Нет воды " * 60)
    assert len(out) <= 161 and out.endswith("…") and not out.endswith(" …")
    assert wording("АКИМ ОТВЕТЬТЕ ПРО ГАЗ В БЕРЕКЕ!!!") == "Ответьте про газ в береке"


def test_draft_from_subtopic_and_place_in_both_languages(builder):
    members = [
        _m(1, "Яма на Абая, когда отремонтируют?", "ru", "roads_transport", [("street", "Абая", "street:абай")]),
        _m(2, "На улице Абая ямы, проехать нельзя", "ru", "roads_transport", [("street", "Абая", "street:абай")]),
        _m(3, "Абай көшесінде шұңқыр көп", "kk", "roads_transport", [("street", "Абай", "street:абай")]),
        _m(4, "+", "ru", None, (), echo=True),
    ]
    draft = builder.build(7, members, None)
    assert draft.subtopic == "potholes"
    assert draft.title_ru == "Ямы на дороге, нужен ремонт — ул. Абая"
    assert draft.title_kk == "Жолдағы шұңқырлар, жөндеу керек — Абай көшесі"
    assert (draft.category, draft.executor, draft.place, draft.place_kk) == ("roads_transport", "Отдел дорог", "ул. Абая", "Абай көшесі")
    assert draft.comment_ids == (1, 2, 3, 4)


def test_places_read_properly_in_each_language():
    namer = PlaceNamer()
    assert namer.wording("settlement:каскелен").ru == "Каскелен"
    assert namer.wording("settlement:каскелен").kk == "Қаскелең"
    assert namer.wording("settlement:иргели").kk == "Іргелі"
    mentions = [PlaceMention("street", "Бірлік", "street:бирлик", "kk")]
    assert (namer.wording("street:бирлик", mentions).ru, namer.wording("street:бирлик", mentions).kk) == (
        "ул. Бирлик", "Бірлік көшесі")
    both = namer.describe(["street:абай", "settlement:каскелен"])
    assert (both.ru, both.kk) == ("ул. Абая, Каскелен", "Қаскелең, Абай көшесі")
    mkr = namer.wording("microdistrict:айнабулак")
    assert (mkr.ru, mkr.kk) == ("мкр Айнабулак", "Айнабұлақ шағын ауданы")
    house = [PlaceMention("street", "Тауелсиздик", "street:тауелсиздик", "ru"),
             PlaceMention("house", "45", "house:тауелсиздик/45", "ru")]
    assert choose_places(house, 1) == ["street:тауелсиздик"]  # named once: maybe a home address
    assert choose_places(house * 2, 2) == ["house:тауелсиздик/45"]
    # One resident's street among comments about the village: the village is the draft's place,
    # as it is when that resident is the only one to name a place at all.
    village = [PlaceMention("settlement", "Иргели", "settlement:иргели", "ru")]
    street = [PlaceMention("street", "Садовая", "street:садов|ул", "ru")]
    assert choose_places(village * 7 + street + village, 10, placed=8) == ["settlement:иргели"]
    assert choose_places(street + village, 10, placed=1) == ["street:садов|ул", "settlement:иргели"]
    assert choose_places(village * 4 + street * 2 + village * 2, 6, placed=6) == ["street:садов|ул", "settlement:иргели"]
    assert namer.wording("house:тауелсиздик/45", house).ru == "ул. Тауелсиздик, 45"
    sadovaya = [PlaceMention("street", "Садовая", "street:садов|ул", "ru")]  # an adjectival street's key
    assert (namer.wording("street:садов|ул", sadovaya).ru, namer.wording("street:садов|ул", sadovaya).kk) == (
        "ул. Садовая", "Садовая көшесі")
    assert "|" not in namer.wording("street:садов|ул").kk
    route = namer.describe(["route:102", "settlement:каскелен"])
    assert (route.ru, route.kk) == ("маршрут № 102, Каскелен", "Қаскелең, №102 бағыт")
    road = [PlaceMention("street", "Каскелен–Алматы", "street:алмати—каскелен", "ru")]
    assert (namer.wording(road[0].key, road).ru, namer.wording(road[0].key, road).kk) == (
        "автодорога Каскелен–Алматы", "Қаскелең–Алматы автожолы")  # the ends as residents wrote them
    assert namer.wording(road[0].key).ru == "автодорога Алматы–Каскелен"
    way = namer.wording("street:→шамалган")
    assert (way.ru, way.kk) == ("дорога на Шамалган", "Шамалған жолы")


def test_a_bus_route_is_the_draft_place(builder):
    members = [_m(1, "Автобус 102 Каскелен—Алматы ходит раз в 40 минут, утром не сесть", "ru", "roads_transport",
                  [("route", "102", "route:102"), ("settlement", "Каскелен", "settlement:каскелен")]),
               _m(2, "avtobus 102 utrom nevozmozhno sest, stoim po chasu", "mixed", "roads_transport",
                  [("route", "102", "route:102")])]
    draft = builder.build(3, members, None)
    assert (draft.place, draft.place_kk) == ("маршрут № 102, Каскелен", "Қаскелең, №102 бағыт")
    assert draft.title_kk.endswith("— Қаскелең, №102 бағыт")


def test_without_subtopic_the_cleanest_member_in_each_language_and_never_translit(builder):
    members = [
        _m(1, "Kogda postroyat novyi DK v nashem aule?", "ru", "social_infrastructure"),
        _m(2, "Когда построят новый дом творчества для молодёжи в нашем ауле?", "ru", "social_infrastructure"),
        _m(3, "Біздің ауылда жастарға арналған шығармашылық үйін қашан салады?", "kk", "social_infrastructure"),
    ]
    draft = builder.build(1, members, None)
    assert draft.title_ru.startswith("Когда построят новый дом творчества")
    assert draft.title_kk.startswith("Біздің ауылда жастарға")


def test_a_wording_carries_the_marks_of_its_own_language(builder):
    members = [
        _m(1, "Прошу связаться: Ахметов Серик, когда построят новый дом творчества в нашем ауле?", "ru", "social_infrastructure"),
        _m(2, "Маған хабарласыңыз: Болат Серіков, біздің ауылда шығармашылық үйін қашан салады?", "kk", "social_infrastructure"),
    ]
    draft = builder.build(1, members, None)
    assert draft.title_ru.startswith("Прошу связаться: [имя], когда построят")
    assert draft.title_kk.startswith("Маған хабарласыңыз: [аты-жөні], біздің ауылда")
    assert wording(members[1].text, "kk") == draft.title_kk and wording(members[1].text) != draft.title_kk


def test_a_language_without_a_clean_member_gets_the_category_name(builder):
    members = [_m(1, "Когда построят новый дом творчества для молодёжи в нашем ауле?", "ru", "social_infrastructure"),
               _m(2, "Kogda postroyat novyi dom tvorchestva?", "ru", "social_infrastructure")]
    draft = builder.build(1, members, None)
    assert draft.title_kk == "Әлеуметтік инфрақұрылым"
    assert not KAZAKH & set(draft.title_ru.lower())


def test_cleanliness_rules():
    assert is_clean("Нет воды третий день", "ru") and not is_clean("Нет воды третий день", "kk")
    assert is_clean("Су жоқ үш күннен бері", "kk") and not is_clean("Су жоқ үш күннен бері", "ru")
    assert not is_clean("Irgelide su joq", "kk") and not is_clean("воды нет, akim", "ru") and not is_clean("+", "ru")


@pytest.mark.parametrize("text", ["", "😡😡😡", "А" * 10_000, "НЕТ ВОДЫ!!!", "Irgeli su жоқ voda нет 😡", "\x00\u202e"])
def test_bad_members_never_break_a_draft(builder, text):
    draft = builder.build(1, [_m(1, text, None), _m(2, text, "kk")], None)
    assert draft.title_ru and draft.title_kk and draft.comment_ids == (1, 2)


def test_titles_are_in_the_right_language_for_every_subtopic():
    """Every subtopic wording, with and without a place, reads as its language."""
    detector = LanguageDetector(use_model=False)
    namer = PlaceNamer()
    place = namer.wording("settlement:иргели")
    from tyndau.nlp.subtopics import default_lexicon

    for sub in default_lexicon():
        ru, kk = f"{sub.label('ru')} — {place.ru}", f"{sub.label('kk')} — {place.kk}"
        assert not KAZAKH & set(ru.lower()) and detector.detect(ru).lang != "kk", ru
        assert detector.detect(kk).lang == "kk", kk


def test_build_draft_keeps_its_old_signature():
    members = [Member(1, "Нет воды в Иргели", "ru", "utilities"), Member(2, "Іргеліде су жоқ", "kk", "utilities")]
    draft = build_draft(3, members, np.array([[1.0, 0.0], [0.9, 0.1]], dtype=np.float32), {"utilities": "ЖКХ"})
    assert draft.title_ru == "Нет водоснабжения" and draft.title_kk == "Су жоқ" and draft.executor == "ЖКХ"


def test_the_wording_and_the_category_agree(builder):
    """A secretary reads the wording and the category together: they never name two different issues."""
    ramp = [_m(1, "Емханада пандус жоқ, мүгедектер арбасымен кіре алмаймыз", "kk", "utilities")]
    draft = builder.build(1, ramp, None)
    assert draft.subtopic == "accessibility" and draft.category == "social_infrastructure"  # not a utility
    road = [_m(1, "Ауылға жол жасаңыздар, скорая не может проехать зимой", "ru", "roads_transport"),
            _m(2, "Скорая едет полтора часа, дорога разбита", "ru", "roads_transport"),
            _m(3, "Дорогу в село отремонтируйте, ямы", "ru", "roads_transport")]
    draft = builder.build(2, road, None)
    assert draft.category == "roads_transport"
    assert builder.lexicon.get(draft.subtopic).category == "roads_transport"  # a road problem, worded as one
    lights = [_m(1, "Көшеде жарық жоқ, балалар қараңғыда мектептен қайтады", "kk", "education"),
              _m(2, "На улице нет освещения, дети идут из школы в темноте", "ru", "education")]
    draft = builder.build(3, lights, None)
    assert draft.subtopic == "street_lighting" and draft.category == "improvement_ecology"


def test_a_district_wide_issue_raised_mostly_without_a_place_names_none(builder):
    # One comment's town (where it proposes an industrial zone) is not where youth unemployment is.
    members = [_m(1, "Ауылда жастарға жұмыс жоқ, бәрі Алматыға кетіп жатыр", "kk", "social_support"),
               _m(2, "Молодёжи работы нет, кроме такси и стройки. Предлагаю промзону в Каскелене", "ru", "social_support",
                  [("settlement", "Каскелен", "settlement:каскелен")])]
    draft = builder.build(4, members, None)
    assert (draft.title_ru, draft.place, draft.place_kk) == ("Нет работы, нужны рабочие места", "", "")
    # A village's own issue keeps its place however few name it.
    water = [_m(1, "Воды нет третий день", "ru", "utilities"),
             _m(2, "В Иргели нет воды", "ru", "utilities", [("settlement", "Иргели", "settlement:иргели")])]
    assert builder.build(5, water, None).place == "Иргели"
