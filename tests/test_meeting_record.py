"""The meeting's record as an akimat needs it: the plan cannot be rewritten silently after the end,
the timing CSV speaks the user's language, undo says what it undid, the title has a Kazakh twin."""

from __future__ import annotations

import pytest

from tests.conftest import create_meeting
from tyndau.live.clock_view import share_shown


async def _run_and_end(client, meeting_id: int) -> None:
    url = f"/api/v1/meetings/{meeting_id}/clock"
    auth = client.people.auth("moderator")
    for action in ("start_presentation", "start_qa", "end"):
        resp = await client.post(url, json={"action": action}, headers=auth)
        assert resp.status == 200, await resp.text()


async def test_after_the_end_the_plan_is_locked_and_a_change_needs_a_reason_and_stays_visible(client):
    meeting = await create_meeting(client, planned_minutes=4)
    await _run_and_end(client, meeting["id"])
    url = f"/api/v1/meetings/{meeting['id']}"
    auth = client.people.auth("moderator")

    resp = await client.patch(url, json={"planned_minutes": 10}, headers=auth)
    body = await resp.json()
    assert resp.status == 409 and body["error"]["code"] == "plan_locked"
    assert "planned_minutes" in body["error"]["fields"]
    # Documentary fields stay editable after the meeting: attendance, the Kazakh title, the akim.
    resp = await client.patch(url, json={"attendance": 120, "title_kk": "Әкімнің тұрғындармен кездесуі"}, headers=auth)
    assert resp.status == 200 and (await resp.json())["attendance"] == 120

    resp = await client.patch(url, json={"planned_minutes": 10, "amend_reason": "опечатка: по объявлению 10 минут"}, headers=auth)
    body = await resp.json()
    assert resp.status == 200 and body["planned_minutes"] == 10
    [amendment] = body["amendments"]
    assert amendment["field"] == "planned_minutes" and (amendment["old"], amendment["new"]) == (4, 10)
    assert amendment["actor"] == "test-moderator" and amendment["reason"].startswith("опечатка") and amendment["at"]

    record = await (await client.get(f"{url}/timing", headers=auth)).json()
    assert record["amendments"] == body["amendments"]
    assert record["planned_minutes_as_run"] == 4
    assert record["rule_held_as_planned"] is not None  # the verdict under the plan the meeting ran with is kept


async def test_before_the_end_the_plan_may_change_without_a_trace(client):
    meeting = await create_meeting(client)
    resp = await client.patch(f"/api/v1/meetings/{meeting['id']}", json={"planned_minutes": 90}, headers=client.people.auth("moderator"))
    assert resp.status == 200 and (await resp.json())["amendments"] == []


async def test_secretary_sets_the_akim_name_once_for_a_round(client):
    one, two = await create_meeting(client), await create_meeting(client, title="Вторая встреча")
    resp = await client.post("/api/v1/akim-name", json={"meeting_ids": [one["id"], two["id"]], "akim_name": "  Ахметов   Серик  "},
                             headers=client.people.auth("secretary"))
    assert resp.status == 200, await resp.text()
    for m in (one, two):
        got = await (await client.get(f"/api/v1/meetings/{m['id']}", headers=client.people.auth("viewer"))).json()
        assert got["akim_name"] == "Ахметов Серик"
    resp = await client.post("/api/v1/akim-name", json={"meeting_ids": [one["id"]], "akim_name": "x"}, headers=client.people.auth("viewer"))
    assert resp.status == 403


async def test_meeting_title_in_kazakh_is_stored_and_validated(client):
    meeting = await create_meeting(client, title_kk="Аудан әкімінің тұрғындармен кездесуі")
    assert meeting["title_kk"] == "Аудан әкімінің тұрғындармен кездесуі"
    resp = await client.post("/api/v1/meetings", json={"title": "x", "title_kk": "ә" * 301, "akim_level": "village", "planned_minutes": 60,
                                                       "starts_at": "2026-12-01T10:00:00+05:00"}, headers=client.people.auth("moderator"))
    assert resp.status == 422 and "title_kk" in (await resp.json())["error"]["fields"]


@pytest.mark.parametrize(("lang", "header", "phase", "rule"), [
    ("ru", "№;Фаза;Начало (время Алматы)", "Доклад", ";Правило ¼;;;соблюдено;;"),
    ("kk", "Р/с;Кезең;Басталуы (Алматы уақыты)", "Баяндама", ";¼ ережесі;;;сақталды;;"),
])
async def test_timing_csv_is_in_the_users_language(client, lang, header, phase, rule):
    meeting = await create_meeting(client, planned_minutes=1)
    await _run_and_end(client, meeting["id"])
    resp = await client.get(f"/api/v1/meetings/{meeting['id']}/timing.csv?lang={lang}", headers=client.people.auth("moderator"))
    text = await resp.text()
    assert resp.status == 200 and text.startswith("\ufeff" + header)
    assert f";{phase};" in text and rule in text
    for english in ("presentation", "started_at", "rule_held", "seconds", "Phase"):
        assert english not in text
    assert f"meeting-{meeting['id']}-timing-{lang}.csv" in resp.headers["Content-Disposition"]
    resp = await client.get(f"/api/v1/meetings/{meeting['id']}/timing.csv?lang=en", headers=client.people.auth("moderator"))
    assert resp.status == 400


async def test_undo_says_what_it_undid(client):
    meeting = await create_meeting(client)
    url = f"/api/v1/meetings/{meeting['id']}/clock"
    auth = client.people.auth("moderator")
    clock = await (await client.post(url, json={"action": "start_presentation"}, headers=auth)).json()
    assert clock["undo_action"] == "start_presentation"
    clock = await (await client.post(url, json={"action": "start_qa"}, headers=auth)).json()
    assert clock["undo_action"] == "start_qa"
    clock = await (await client.post(url, json={"action": "undo"}, headers=auth)).json()
    assert clock["phase"] == "presentation" and clock["undo_action"] == "start_presentation"


def test_the_share_shown_never_contradicts_the_verdict():
    # 30:01 of 120 minutes: 25.01 %, broken; rounded to the nearest it would read "25,0 %".
    assert share_shown((30 * 60 + 1) / 7200, False) == 0.251
    assert share_shown((30 * 60 + 31) / 7200, False) == 0.254
    assert share_shown(0.2499, True) == 0.25
    assert share_shown(0.25, True) == 0.25
    assert share_shown(None, None) is None


async def test_the_kazakh_package_uses_the_kazakh_title(client):
    import io

    import docx

    meeting = await create_meeting(client, title_kk="Ауыл әкімінің тұрғындармен кездесуі")
    resp = await client.get(f"/api/v1/meetings/{meeting['id']}/report.docx?lang=kk", headers=client.people.auth("secretary"))
    assert docx.Document(io.BytesIO(await resp.read())).paragraphs[0].text == "Ауыл әкімінің тұрғындармен кездесуі"
    resp = await client.get(f"/api/v1/meetings/{meeting['id']}/report.docx?lang=ru", headers=client.people.auth("secretary"))
    assert docx.Document(io.BytesIO(await resp.read())).paragraphs[0].text == meeting["title"]
