"""The subtopic lexicon: our own issue names and triggers, matched in Russian, Kazakh and translit."""

from __future__ import annotations

from pathlib import Path

import pytest

from tyndau.nlp.language import LanguageDetector
from tyndau.nlp.normalise import normalise
from tyndau.nlp.subtopics import SubtopicError, SubtopicLexicon, _fits, default_lexicon, parse_term
from tyndau.nlp.taxonomy import load_taxonomy


@pytest.fixture(scope="module")
def lexicon() -> SubtopicLexicon:
    return default_lexicon()


def test_shipped_lexicon_covers_the_taxonomy_with_both_names(lexicon: SubtopicLexicon) -> None:
    taxonomy = load_taxonomy()
    checked = SubtopicLexicon.from_toml(categories=taxonomy.ids)
    assert len(checked) == len(lexicon) >= 80
    covered = {s.category for s in lexicon}
    assert covered == set(taxonomy.ids) - {"other"}
    words = LanguageDetector(use_model=False)
    for sub in lexicon:
        assert not set("әғқңөұүһі") & set(sub.name["ru"].lower()) and words.detect(sub.name["ru"]).lang != "kk", sub.id
        assert words.detect(sub.name["kk"]).lang == "kk", sub.id


# Our own phrasings, as residents write them: Russian, Kazakh, Kazakh without its letters, translit.
CASES = [
    ("Третий день нет воды, возим в бидонах", "no_water"),
    ("Воды нет с понедельника!!!", "no_water"),
    ("Ауылда бір апта су жоқ", "no_water"),
    ("ауылда су жок", "no_water"),
    ("Su joq, akim myrza", "no_water"),
    ("Из крана течёт ржавая вода", "water_quality"),
    ("На нашей улице ямы, машину не проехать", "potholes"),
    ("Көшеде үлкен шұңқырлар бар", "potholes"),
    ("Нет уличного освещения, темно вечером", "street_lighting"),
    ("Көшеде жарық жоқ, қараңғы", "street_lighting"),
    ("Фонари не горят вторую неделю", "street_lighting"),
    ("Нет мест в детском саду, очередь три года", "kindergarten_places"),
    ("Балабақшада орын жоқ", "kindergarten_places"),
    ("Мусор не вывозят вторую неделю", "garbage_collection"),
    ("Қоқыс шығарылмайды", "garbage_collection"),
    ("Бродячие собаки нападают на детей", "stray_dogs"),
    ("Қаңғыбас иттер көбейді", "stray_dogs"),
    ("Когда проведут газ в наше село?", "gas_connection"),
    ("Ауылға газ қашан тартылады?", "gas_connection"),
    ("В селе нет интернета", "no_internet"),
    ("Ауылда интернет жоқ", "no_internet"),
    ("Автобус ходит раз в час, не сесть", "bus_frequency"),
    ("Жайылым жоқ, малды қайда бағамыз?", "pastures"),
    ("Арыққа су келмейді, бақшаға су жетпейді", "irrigation"),
    ("В поликлинике очереди на две недели", "clinic_queues"),
    ("Стою в очереди на земельный участок 10 лет", "land_plot_queue"),
    ("Пособие на детей перестали платить", "benefits"),
    ("Нужен светофор у школы", "traffic_light"),
    ("Нужен пешеходный переход через трассу", "pedestrian_crossing"),
    ("Мал ұрлығы көбейді", "livestock_theft"),
    ("Жас отбасыларға баспана бағдарламасы қашан?", "young_family_housing"),
    ("Жильё молодым семьям не дают", "young_family_housing"),
    ("Нужен приют для бездомных собак", "animal_shelter"),
    ("Иттерге баспана салу керек", "animal_shelter"),
    # inside an apartment building: one issue each, not one "upkeep" bucket
    ("В подъезде не убирают уже месяц, грязь на лестнице", "entrance_cleaning"),
    ("Кіреберіс тазаланбайды, қоқыс жатыр", "entrance_cleaning"),
    ("На третьем этаже перегорела лампочка, темно в подъезде", "entrance_lighting"),
    ("Подъезде жарық жоқ, кешке қараңғы", "entrance_lighting"),
    ("Лифт не работает вторую неделю, живём на 9 этаже", "lift_fault"),
    ("Лифт істемейді, қарттар түсе алмайды", "lift_fault"),
    ("Домофон сломан, дверь открыта всем", "intercom"),
    ("Входная дверь подъезда не закрывается, доводчик сломан", "entrance_repair"),
    ("В подъезде разбито стекло, дует", "entrance_repair"),
    ("Кіреберістегі терезе сынған", "entrance_repair"),
    ("В подъезде осыпается штукатурка, облезла краска", "entrance_repair"),
    ("На стенах дома граффити и реклама", "graffiti_ads"),
    ("В подвале тараканы, нужна дезинсекция", "insects"),
    ("По подъезду бегают крысы", "rodents"),
    ("Подвал затопило, сырость", "basement"),
    # issues of a house and its yard that had no subtopic (a crowded district joined them by house alone)
    ("Третью неделю нет горячей воды, только холодная", "hot_water"),
    ("Ыстық су жоқ, балаларды суық сумен жуындырамыз", "hot_water"),
    ("Горячая вода воняет тухлыми яйцами", "water_quality"),
    ("Слабый напор горячей воды, на пятый этаж вода не поднимается", "water_pressure"),
    ("Оторвалась водосточная труба, вода льёт на тротуар", "drainpipe"),
    ("Водосточные трубы обклеены рекламой", "graffiti_ads"),
    ("Во дворе висят оборванные провода, дети ходят рядом", "loose_wires"),
    ("Нет адресной таблички на доме, скорая не может найти", "address_sign"),
    ("Второй год во дворе стоит брошенная машина без колёс", "abandoned_car"),
    ("Аулада иесіз көлік екі жылдан бері тұр", "abandoned_car"),
    ("Упала секция ограждения вдоль газона", "fences"),
    ("Во дворе не убирают снег, тротуар в гололёде", "yard_snow"),
    ("Ауладағы қарды ешкім тазаламайды", "yard_snow"),
    ("Аулада көктайғақ, балалар құлап жатыр", "yard_snow"),
    ("Проезжую часть не чистят от снега, машины буксуют", "road_snow"),
    ("Продают овощи с ящиков у входа в метро", "illegal_trade"),
    # a crowded district's houses: a clogged chute, leaking seams, a kerb to lower, ads on a pole
    ("Засор мусоропровода на 9 этаже, вонь по всему подъезду", "garbage_chute"),
    ("Қоқыс құбыры бітеліп қалды", "garbage_chute"),
    ("Протекают межпанельные швы, в квартире плесень", "panel_seams"),
    ("Прошу утеплить стыки между плитами, на кухне дует", "panel_seams"),
    ("Предлагаю понизить бордюрный камень у перехода", "kerb_ramp"),
    ("Бордюр высокий, с коляской не заехать", "kerb_ramp"),
    ("Очень не хватает занижения перед переходом", "kerb_ramp"),
    ("Жиектас биік, арбамен өту қиын", "kerb_ramp"),
    ("Очистить столб освещения у остановки от рекламы", "graffiti_ads"),
    ("Объявления на опорах освещения вдоль дороги", "graffiti_ads"),
    ("Прошу очистить стену от надписей", "graffiti_ads"),
    ("Нарушена изоляция труб в подвале", "pipe_insulation"),
    ("Холодная вода на кухне отсутствует вторые сутки", "no_water"),
    ("Сломанная ветка висит над тротуаром", "trees_greenery"),
    ("В проезжей части открыт лючок", "open_manhole"),
    # an allowance stopped on the income rule is one district-wide problem, a delayed one is not it
    ("Пособие на 4 детей сняли, потому что муж подработал месяц", "benefit_stopped"),
    ("Көп балалы аналарға жәрдемақыны неге тоқтатты? Табыс шегінен асып кетті дейді", "benefit_stopped"),
    ("Лишили пособия, доход превысил на 2 тысячи", "benefit_stopped"),
    ("Пособие по уходу за ребёнком задерживают второй месяц", "benefits"),
    ("Жәрдемақы кешігіп жатыр", "benefits"),
    ("Можно открыть мини-центры при школах?", "no_kindergarten"),  # the hyphenated word as written
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_best_subtopic_of_our_phrasings(lexicon: SubtopicLexicon, text: str, expected: str) -> None:
    best = lexicon.best(normalise(text).text)
    assert best is not None and best.id == expected, (text, lexicon.match(normalise(text).text))
    assert best.category == lexicon.get(expected).category
    assert best.name_ru and best.name_kk


def test_chatter_has_no_subtopic(lexicon: SubtopicLexicon) -> None:
    for text in ("Всем добрый день!", "Сәлеметсіз бе", "Рахмет, әкім мырза", "Шамалғаннан сәлем 👋",
                 "кто смотрит из Алматы?", "спасибо за эфир"):
        assert lexicon.match(normalise(text).text) == [], text


def test_irrigation_water_is_not_drinking_water(lexicon: SubtopicLexicon) -> None:
    ids = [m.id for m in lexicon.match("Арық суы жоқ, суару кестесін жасаңыздар")]
    assert ids[0] == "irrigation" and "no_water" not in ids


def test_a_comment_naming_both_internet_and_mobile_coverage_keeps_both(lexicon: SubtopicLexicon) -> None:
    """'Интернет жоқ … ұялы байланыс та жоқ' raises the village's internet too: it must meet the internet comments."""
    for text in ("Үшқоңырда интернет жоқ, кейбір көшелерде ұялы байланыс та жоқ",
                 "Нет интернета, и мобильная связь не ловит"):
        ids = [m.id for m in lexicon.match(normalise(text).text)]
        assert {"no_internet", "mobile_coverage"} <= set(ids), text
    assert [m.id for m in lexicon.match(normalise("Ұялы байланыс жоқ, мұнара керек").text)] == ["mobile_coverage"]


def test_near_misses_of_the_house_subtopics(lexicon: SubtopicLexicon) -> None:
    """A towed car is not an abandoned one, a number plate on a floor is not an address sign, the year is not warm water."""
    for text, not_expected in (("Мою машину эвакуировали со стоянки, хотя я ничего не нарушал", "abandoned_car"),
                               ("В подъезде сорвали таблички с номерами квартир", "address_sign"),
                               ("Биыл жылы су құбыры жөнделеді ме?", "hot_water"),
                               ("Над входом в подъезд течёт козырёк", "apartment_roof"),
                               ("Не горит фонарь на столбе у остановки", "graffiti_ads"),
                               ("Нужен пешеходный переход у школы", "kerb_ramp"),
                               ("Мусор не вывозят третий день", "garbage_chute"),
                               ("Когда откроют новую ветку метро?", "trees_greenery"),
                               ("Надписи в лифте и у мусоропровода", "graffiti_ads")):
        assert not_expected not in [m.id for m in lexicon.match(normalise(text).text)], text


def test_words_must_be_near_each_other(lexicon: SubtopicLexicon) -> None:
    assert "no_water" in [m.id for m in lexicon.match("нет воды")]
    far = "нет, я не согласен с тем что говорят про наши дороги и про то, какая там вода"
    assert "no_water" not in [m.id for m in lexicon.match(far)]


def test_a_word_met_earlier_outside_the_window_does_not_hide_a_later_fit(lexicon: SubtopicLexicon) -> None:
    # The "нет" of "нет расписания" comes first; the term's own "нет" is the last word. Taking the
    # earliest one made the term six words long and missed it, so the comment read as "no bus at all".
    found = [m.id for m in lexicon.match("На остановке нет расписания, автобус то есть, то нет")]
    assert found[0] == "bus_frequency" and "bus_route" not in found
    assert _fits(parse_term("а б в"), {0: {4}, 1: {0, 5}, 2: {6}})
    assert not _fits(parse_term("а б в"), {0: {4}, 1: {0}, 2: {6}})  # seven words apart
    assert _fits(parse_term("то нет то"), {0: {3, 5}, 1: {1, 4}, 2: {3, 5}})  # one word twice: two positions


@pytest.mark.parametrize("text", ["", "   ", "😡😡😡", "А" * 10_000, "НЕТ ВОДЫ!!! КОГДА ДАДУТ???",
                                  "Irgeli su жоқ voda нет 😡", "\x00\u202e bad \ud800", "12345"])
def test_bad_input_never_raises(lexicon: SubtopicLexicon, text: str) -> None:
    found = lexicon.match(text)
    assert isinstance(found, list)
    if text.startswith("НЕТ ВОДЫ"):
        assert found and found[0].id == "no_water"


def test_district_wide_issues_are_waiting_lists_and_programmes(lexicon: SubtopicLexicon) -> None:
    wide = lexicon.district_wide()
    assert {"kindergarten_places", "land_plot_queue", "housing_queue"} <= wide
    assert not {"no_water", "potholes", "street_lighting", "benefits"} & wide  # a village's or a street's own


@pytest.mark.parametrize(("text", "issue"), [
    ("Очередь в садик: стоим с рождения, место так и не дали", "kindergarten_places"),
    ("Балабақшаға кезек 3 жыл, әлі жоқ", "kindergarten_places"),
    ("Воспитатель в детском саду грубит детям", None),  # the kindergarten, not its waiting list
    ("Жер кезегі қалай жылжиды? 10 жыл тұрмын", "land_plot_queue"),
    ("zemlya kogda dadut? ochered 15 let", "land_plot_queue"),
    ("Потребовали взятку за оформление земельного участка", None),
    ("Стою в очереди на жильё уже 10 лет, очередь не двигается", "housing_queue"),
    ("Как встать в очередь на жильё?", None),  # how to register is a consultation, not the waiting list
    ("Қоқыс екі апта шығарылмайды", "garbage_collection"),
    ("Нет воды третий день", None),
    ("врачей нет, все уехали", "doctor_shortage"),  # the district hospital's staffing
    ("Ауруханада дәрігер жетіспейді", "doctor_shortage"),
    ("Участковый врач грубит пациентам", None),  # one doctor's manner, not the shortage
    ("Пособие на 4 детей сняли, потому что муж подработал", "benefit_stopped"),
])
def test_district_wide_issue_named_in_so_many_words(lexicon: SubtopicLexicon, text: str, issue: str | None) -> None:
    assert lexicon.district_issue(normalise(text).text) == issue


def test_term_syntax() -> None:
    term = parse_term("су|суы жоқ|жок")
    assert term.weight == 2
    assert term.words[0].matches({"суы"}) and term.words[1].matches({"жок"})
    assert parse_term("шұңқыр*").words[0].matches({"шункырлар"})  # Kazakh typed without its letters
    with pytest.raises(ValueError):
        parse_term("вода *")


@pytest.mark.parametrize(("body", "message"), [
    ('[[subtopic]]\nid = "x"\ncategory = "nowhere"\nname = { ru = "а", kk = "ә" }\nru = ["а"]\nkk = ["ә"]\n', "unknown category"),
    ('[[subtopic]]\nid = "x"\ncategory = "utilities"\nname = { ru = "а" }\nru = ["а"]\nkk = ["ә"]\n', "name.kk"),
    ('[[subtopic]]\nid = "x"\ncategory = "utilities"\nname = { ru = "а", kk = "ә" }\nru = ["а"]\n', "Kazakh terms"),
    ('[[subtopic]]\nid = "x"\ncategory = "utilities"\nname = { ru = "а", kk = "ә" }\nru = ["*"]\nkk = ["ә"]\n', "bare"),
    ('[[subtopic]]\nid = "x"\ncategory = "utilities"\nname = { ru = "а", kk = "ә" }\nru = ["а"]\nkk = ["ә"]\n'
     'overrides = ["y"]\n', "overrides unknown"),
    ('[[subtopic]]\nid = "x"\ncategory = "utilities"\nname = { ru = "а", kk = "ә" }\nru = ["а"]\nkk = ["ә"]\n' * 2, "duplicate"),
    ('[[subtopic]]\nid = "x"\ncategory = "utilities"\nname = { ru = "а", kk = "ә" }\nru = ["а"]\nkk = ["ә"]\n'
     'scope = "city"\n', "scope"),
    ('[[subtopic]]\nid = "x"\ncategory = "utilities"\nname = { ru = "а", kk = "ә" }\nru = ["а"]\nkk = ["ә"]\n'
     'district_terms = ["а"]\n', "district_terms need"),
    ("[[subtopic]\n", "subtopics.toml"),
])
def test_mistakes_in_the_file_are_named(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "subtopics.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(SubtopicError, match=message):
        SubtopicLexicon.from_toml(path, categories=load_taxonomy().ids)


def test_a_hyphenated_word_meets_its_terms_in_any_case_form(lexicon: SubtopicLexicon) -> None:
    # "ребёнка-инвалида" is "ребёнок-инвалид" and "мини-центры" is "мини-центр": the parts' lemmas, joined
    assert "ребенок-инвалид" in lexicon.forms("ребёнка-инвалида")[0]
    found = {m.id: m.terms for m in lexicon.match("Пособие на ребёнка-инвалида задерживают")}
    assert "ребёнок-инвалид" in found.get("disability_care", ())


def test_a_kazakh_negation_belongs_to_the_words_before_it(lexicon: SubtopicLexicon) -> None:
    """In "психолог жоқ, … кім жауап береді" the "жоқ" is the psychologist's: no "no answer to an appeal"."""
    text = normalise("Mektepte psixolog joq, bulling kop, kim jauap beredi?").text
    assert [m.id for m in lexicon.match(text)] == ["school_psychologist"]
    assert lexicon.best("Өтінішке жауап әлі жоқ").id == "appeal_no_answer"  # type: ignore[union-attr]
    assert not parse_term("нет ответ").last  # Russian word order is free: "ответа нет", "нет ответа"
    assert parse_term("жауап жоқ|жок").last and not parse_term("жауап беру*").last


def test_kazakh_particles_are_not_read_as_russian_words(lexicon: SubtopicLexicon) -> None:
    """"та" is the Kazakh "too", not a form of the Russian "тот" that would hit "тот су" (rusty water)."""
    ids = [m.id for m in lexicon.match("Ауылда су да, жарық та жоқ")]
    assert "water_quality" not in ids and "no_water" in ids
    assert lexicon.best("тот су ағады").id == "water_quality"  # type: ignore[union-attr]
