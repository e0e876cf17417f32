"""Draft problems: wording from the medoid, Kazakh wording, majority category and place, redaction."""

import numpy as np

from tyndau.nlp.drafts import Member, build_draft, wording


def test_wording_drops_greetings_links_emoji_and_personal_data():
    text = "Здравствуйте! Аким мырза, на ул. Абая 12 огромная яма 😡😡 https://t.me/x звоните +7 701 123 45 67"
    out = wording(text)
    assert out.startswith("На ул. Абая 12 огромная яма")
    assert "http" not in out and "😡" not in out and "701" not in out


def test_long_text_is_cut_at_a_word_boundary():
    out = wording("Нет воды " * 60)
    assert len(out) <= 161 and out.endswith("…") and not out.endswith(" …")


def test_draft_uses_the_medoid_majority_category_place_and_executor():
    members = [
        Member(1, "Яма на Абая", "ru", "roads_transport", "street:абай"),
        Member(2, "На улице Абая ямы, проехать нельзя", "ru", "roads_transport", "street:абай"),
        Member(3, "Абай көшесінде шұңқыр", "kk", "roads_transport", "street:абай"),
        Member(4, "Дорога разбита", "ru", "improvement_ecology", None),
    ]
    vectors = np.array([[1, 0], [0.95, 0.31], [0.9, 0.43], [0.2, 0.98]], dtype=np.float32)
    draft = build_draft(7, members, vectors, {"roads_transport": "Отдел дорог"})
    assert draft.title_ru in ("Яма на Абая", "На улице Абая ямы, проехать нельзя")
    assert draft.title_kk == "Абай көшесінде шұңқыр"
    assert (draft.category, draft.place, draft.executor) == ("roads_transport", "street:абай", "Отдел дорог")
    assert draft.comment_ids == (1, 2, 3, 4)
