"""Personal data in the planning side stays in the workspace: every form of it written into reception
questions, a reception's place and a commission member's organisation is redacted in the round as a
moderator reads it, in every package format, and in the calendar's exports; a secretary reads originals."""

from __future__ import annotations

import json

import pytest

from tests.conftest import create_meeting
from tests.pd_forms import FORMS
from tests.test_privacy import assert_private, docx_texts, leaks, xlsx_texts, zip_texts


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_no_personal_data_leaves_through_rounds_receptions_or_the_package(client):
    meeting = await create_meeting(client)
    sec, mod = client.people.auth("secretary"), client.people.auth("moderator")
    questions = [{"text": f"Нет воды в доме 12. {form}", "lang": "ru", "citizen": "Айгерим Сапарова", "contact": form} for form, _ in FORMS]
    resp = await client.post(f"/api/v1/meetings/{meeting['id']}/receptions", headers=sec, json={
        "starts_at": "2026-12-01T15:00:00+05:00", "ended_at": "2026-12-01T16:00:00+05:00",
        "place": f"Акимат, звонить {FORMS[6][0]}", "questions": questions,
        "participants": [{"role": "police", "name": "Начальник", "organisation": f"ОП, тел {FORMS[7][0]}"}]})
    body = await resp.json()
    assert resp.status == 201, body
    await client.put(f"/api/v1/rounds/{body['id']}/commission", headers=sec, json={"members": [
        {"name": "Председатель", "role": "chair", "organisation": f"Аппарат, {FORMS[8][0]}"}]})

    as_moderator = await (await client.get(f"/api/v1/rounds/{body['id']}", headers=mod)).json()
    assert_private("the round as a moderator reads it", [q["text"] for r in as_moderator["receptions"] for q in r["questions"]])
    as_secretary = await (await client.get(f"/api/v1/rounds/{body['id']}", headers=sec)).json()
    assert leaks(q["text"] for q in as_secretary["receptions"][0]["questions"])            # the workspace keeps originals
    feed = await (await client.get(f"/api/v1/meetings/{meeting['id']}/comments?source=reception&limit=500", headers=mod)).json()
    assert len(feed["items"]) == len(FORMS)
    assert_private("the feed's reception questions", feed["items"])
    assert "Айгерим" not in json.dumps(feed, ensure_ascii=False)                          # the citizen's name is private

    for fmt, read in (("docx", docx_texts), ("xlsx", xlsx_texts), ("zip", zip_texts)):
        for lang in ("ru", "kk"):
            data = await (await client.get(f"/api/v1/meetings/{meeting['id']}/report.{fmt}?lang={lang}", headers=sec)).read()
            texts = read(data)
            assert_private(f"the {fmt} package ({lang})", texts)
            assert not any("Айгерим" in t or "Сапарова" in t for t in texts)
    package = await (await client.get(f"/api/v1/meetings/{meeting['id']}/report.json", headers=sec)).json()
    assert_private("the JSON package", json.dumps(package, ensure_ascii=False).split('"'))
    assert package["receptions"][0]["questions"] == len(FORMS)
