"""Rounds over HTTP on SQLite and PostgreSQL: a reception recorded after a meeting creates the round,
its questions join the meeting's problem list (source "reception") redacted for those who may not see
originals, its end moves the 10-day clock; the commission and the wide audience with their checks; the
announcement text in both languages; and the package carrying all of it."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

from tests.conftest import create_meeting
from tyndau.timeutil import ALMATY


async def ended_meeting(client, **changes) -> dict:
    meeting = await create_meeting(client, **changes)
    for action in ("start_presentation", "start_qa", "end"):
        resp = await client.post(f"/api/v1/meetings/{meeting['id']}/clock", json={"action": action}, headers=client.people.auth("moderator"))
        assert resp.status == 200
    return (await (await client.get(f"/api/v1/meetings/{meeting['id']}", headers=client.people.auth("moderator"))).json())


async def test_a_reception_joins_the_round_its_questions_join_the_list_and_its_end_moves_the_clock(client):
    meeting = await ended_meeting(client)
    assert meeting["ended_at"] is not None and meeting["round_id"] is None
    ends = _almaty_day(meeting["ended_at"])
    day = _plus(ends, 2)
    mod, sec = client.people.auth("moderator"), client.people.auth("secretary")
    resp = await client.post(f"/api/v1/meetings/{meeting['id']}/receptions", headers=mod, json={
        "starts_at": f"{day}T15:00:00+05:00", "place": "Акимат, зал приёма", "citizens_received": 5,
        "participants": [{"role": "akim", "name": "Аким"}, {"role": "prosecutor", "name": "Прокурор", "organisation": "Прокуратура района"}],
        "questions": [{"text": "Нет воды на ул. Абая, звоните 8 701 123 45 67", "lang": "ru", "citizen": "Айгерим", "contact": "+77011234567"},
                      {"text": "Мектеп жөндеу керек", "lang": "kk", "answered_on_spot": True}]})
    body = await resp.json()
    assert resp.status == 201, body
    round_id = body["id"]
    assert body["meeting_ids"] == [meeting["id"]] and len(body["receptions"]) == 1
    assert body["clock"]["state"] == "waiting" and body["clock"]["open_events"]    # the reception has not ended
    reception = body["receptions"][0]
    assert "[телефон]" in reception["questions"][0]["text"]                        # a moderator sees it redacted
    assert all(q["comment_id"] for q in reception["questions"])
    private = await (await client.get(f"/api/v1/rounds/{round_id}", headers=sec)).json()
    assert "8 701 123 45 67" in private["receptions"][0]["questions"][0]["text"]

    comments = (await (await client.get(f"/api/v1/meetings/{meeting['id']}/comments?source=reception", headers=sec)).json())["items"]
    assert len(comments) == 2 and {c["kind"] for c in comments} == {"request"}
    assert any(c.get("author") == "Айгерим" for c in comments)
    public = (await (await client.get(f"/api/v1/meetings/{meeting['id']}/comments?source=reception", headers=mod)).json())["items"]
    assert not any(c.get("author") == "Айгерим" for c in public)                 # the citizen's name stays private

    url = f"/api/v1/receptions/{reception['id']}"
    resp = await client.patch(url, headers=mod, json={"version": reception["version"], "ended_at": f"{day}T17:00:00+05:00",
                                                      "questions": reception["questions"]})
    body = await resp.json()
    assert resp.status == 200 and body["clock"]["state"] == "running" and body["clock"]["deadline"] == _plus(day, 10)
    assert body["clock"]["anchor_id"] == f"r{reception['id']}"
    again = await (await client.get(f"/api/v1/rounds/{round_id}", headers=sec)).json()
    assert "8 701 123 45 67" in again["receptions"][0]["questions"][0]["text"]     # the redacted copy sent back kept the original
    assert len((await (await client.get(f"/api/v1/meetings/{meeting['id']}/comments?source=reception", headers=sec)).json())["items"]) == 2
    resp = await client.patch(url, headers=mod, json={"version": reception["version"], "place": "другое место"})
    assert resp.status == 409 and (await resp.json())["error"]["code"] == "stale_version"
    resp = await client.patch(url, headers=mod, json={"ended_at": f"{ends}T00:00:00+05:00"})
    assert resp.status == 422 and "ended_at" in (await resp.json())["error"]["fields"]

    resp = await client.patch(url, headers=mod, json={"cancelled": True})
    assert (await resp.json())["clock"]["deadline"] == _plus(ends, 10)            # back to the meeting's end
    resp = await client.patch(f"/api/v1/rounds/{round_id}", headers=mod, json={"published_at": f"{_plus(ends, 12)}T10:00:00+05:00"})
    assert resp.status == 403                                                     # marking the round published is a planner's
    resp = await client.patch(f"/api/v1/rounds/{round_id}", headers=sec, json={"published_at": f"{_plus(ends, 12)}T10:00:00+05:00"})
    assert (await resp.json())["clock"]["state"] == "published_late"
    got = await (await client.get(f"/api/v1/meetings/{meeting['id']}/round", headers=mod)).json()
    assert got["round"]["id"] == round_id
    assert (await client.get(f"/api/v1/rounds/{round_id}", headers=client.people.auth("viewer"))).status == 403


def _plus(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def _almaty_day(instant: str) -> str:
    return datetime.fromisoformat(instant).astimezone(ALMATY).date().isoformat()


async def test_rounds_group_meetings_of_one_organiser_once(client):
    a, b = await create_meeting(client), await create_meeting(client, starts_at="2026-12-02T10:00:00+05:00")
    resp = await client.post("/api/v1/rounds", json={"meeting_ids": [a["id"], b["id"]], "title": "Объезд сёл"}, headers=client.people.auth("secretary"))
    body = await resp.json()
    assert resp.status == 201 and body["meeting_ids"] == [a["id"], b["id"]] and body["title"] == "Объезд сёл"
    assert (await client.post("/api/v1/rounds", json={"meeting_ids": [a["id"]]}, headers=client.people.auth("secretary"))).status == 409
    assert (await client.post("/api/v1/rounds", json={"meeting_ids": [999]}, headers=client.people.auth("secretary"))).status == 404
    assert (await client.post("/api/v1/rounds", json={"meeting_ids": []}, headers=client.people.auth("secretary"))).status == 422


async def test_commission_and_attendance_with_their_checks(client):
    meeting = await create_meeting(client)
    sec = client.people.auth("secretary")
    body = await (await client.post(f"/api/v1/meetings/{meeting['id']}/receptions", headers=sec, json={"starts_at": "2026-12-02T15:00:00+05:00"})).json()
    url = f"/api/v1/rounds/{body['id']}/commission"
    resp = await client.put(url, headers=sec, json={"members": [{"name": "А", "role": "chair"}, {"name": "Б", "role": "chair"}]})
    assert resp.status == 422 and "members" in (await resp.json())["error"]["fields"]
    resp = await client.put(url, headers=sec, json={"members": [{"name": "А", "role": "chair", "organisation": "Аппарат акима"},
                                                               {"name": "Б", "role": "secretary"}]})
    body = await resp.json()
    assert resp.status == 200 and [i["level"] for i in body["issues"]] == ["warning"]   # nobody from a public council
    assert (await (await client.get(url, headers=sec)).json())["members"][0]["organisation"] == "Аппарат акима"
    url = f"/api/v1/meetings/{meeting['id']}/attendance"
    resp = await client.put(url, headers=sec, json={"entries": [{"category": "media", "count": 2}]})
    assert resp.status == 422                                                     # an organisation or a name is needed
    resp = await client.put(url, headers=sec, json={"entries": [{"category": "media", "organisation": "Газета", "count": 2},
                                                               {"category": "maslikhat_deputy", "name": "Депутат Н.", "organisation": "Маслихат"}]})
    body = await resp.json()
    assert resp.status == 200 and body["summary"][0] == {"category": "maslikhat_deputy", "people": 1, "organisations": ["Маслихат"]}
    assert {i["message"].split(": ")[-1] for i in body["issues"]} == {"party", "ngo", "opposition"}
    assert (await client.put(url, headers=client.people.auth("viewer"), json={"entries": []})).status == 403

    report = await (await client.get(f"/api/v1/meetings/{meeting['id']}/report.json", headers=sec)).json()
    assert report["commission"][0] == {"role": "chair", "organisation": "Аппарат акима"}
    assert report["attendance"][0]["people"] == 1 and "Депутат" not in str(report["attendance"])
    from docx import Document

    resp = await client.get(f"/api/v1/meetings/{meeting['id']}/report.docx?lang=kk", headers=sec)
    text = "\n".join(c.text for t in Document(io.BytesIO(await resp.read())).tables for r in t.rows for c in r.cells)
    assert "Аппарат акима" in text and "мәслихат депутаттары" in text and "Депутат Н." not in text


async def test_the_announcement_in_both_languages(client):
    meeting = await create_meeting(client, starts_at="2026-12-15T10:00:00+05:00", akim_name="Н. Сейткали")
    resp = await client.post(f"/api/v1/meetings/{meeting['id']}/announcement", headers=client.people.auth("moderator"), json={
        "channels_ru": ["WhatsApp +7 700 000 00 00"], "channels_kk": ["WhatsApp +7 700 000 00 00"], "place_kk": "Мәдениет үйі"})
    body = await resp.json()
    assert resp.status == 200
    assert "15 декабря 2026 года в 10:00 (вторник)" in body["ru"] and "Н. Сейткали проведёт встречу" in body["ru"]
    assert "2026 жылғы 15 желтоқсан, сағат 10:00 (сейсенбі)" in body["kk"] and "Мәдениет үйі" in body["kk"]
    assert "14 желтоқсанға дейін" in body["kk"] and "https://www.youtube.com/watch?v=abc" in body["ru"]
    resp = await client.post(f"/api/v1/meetings/{meeting['id']}/announcement", headers=client.people.auth("moderator"),
                             json={"template_ru": "{akim} {nope}"})
    assert resp.status == 422 and (await resp.json())["error"]["code"] == "bad_template"


async def test_the_dashboard_keeps_a_round_together_and_counts_its_reception(client):
    meeting = await ended_meeting(client)
    other = await ended_meeting(client, akim_name="Другой аким")
    ends = _almaty_day(meeting["ended_at"])
    sec = client.people.auth("secretary")
    await client.post("/api/v1/rounds", json={"meeting_ids": [meeting["id"], other["id"]]}, headers=sec)
    later = _plus(ends, 3)
    resp = await client.post(f"/api/v1/meetings/{meeting['id']}/receptions", headers=sec, json={
        "starts_at": f"{later}T15:00:00+05:00", "ended_at": f"{later}T16:00:00+05:00"})
    assert resp.status == 201
    body = await (await client.get(f"/api/v1/dashboard?meetings={meeting['id']},{other['id']}", headers=sec)).json()
    [pub] = body["figures"]["publication"]                                          # one round, not one per akim
    assert pub["meetings"] == 2 and pub["deadline"] == _plus(later, 10)
