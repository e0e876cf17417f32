"""One bad comment never fails its batch: text the store refuses is cleaned per comment, and a
comment the store still refuses fails alone (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone

from tests.conftest import create_meeting
from tyndau.domain.comments import IncomingComment
from tyndau.operator_ui.keys import SERVICES


def comment(n: int, text: str) -> dict:
    return {"source": "vk", "external_id": f"c{n}", "author": f"Автор {n}", "text": text, "created_at": "2026-12-01T10:05:00+05:00"}


async def test_a_lone_surrogate_among_180_concurrent_comments_fails_nothing(client):
    meeting = await create_meeting(client)
    url = f"/api/v1/meetings/{meeting['id']}/comments"
    auth = {**client.people.auth("moderator"), "Content-Type": "application/json"}
    bodies = [f'{{"source": "vk", "external_id": "c{n}", "text": "Нет воды {n}", "created_at": "2026-12-01T10:05:00+05:00"}}' for n in range(180)]
    bodies[90] = '{"source": "vk", "external_id": "bad", "author": "\\ud800", "text": "\\ud800 и NUL \\u0000 в тексте", "created_at": "2026-12-01T10:05:00+05:00"}'
    responses = await asyncio.gather(*(client.post(url, data=b, headers=auth) for b in bodies))
    assert sorted({r.status for r in responses}) == [201], [r.status for r in responses if r.status != 201][:5]
    page = await (await client.get(url, params={"limit": 1000}, headers=client.people.auth("secretary"))).json()
    assert len(page["items"]) == 180
    bad = next(i for i in page["items"] if i["external_id"] == "bad")
    # the store keeps U+FFFD for the surrogate and the NUL; screens leave it out (it could split a phone
    # from the redactor as the NUL did) and the flag says the text came broken
    assert bad["display"] == "и NUL в тексте" and "invalid_utf8" in bad["flags"]
    revealed = await client.post(f"{url}/{bad['id']}/reveal", json={}, headers=client.people.auth("secretary"))
    assert (await revealed.json())["text"] == "\ufffd и NUL \ufffd в тексте", "stored cleaned, not refused"


async def test_a_comment_the_store_refuses_fails_alone(client):
    meeting = await create_meeting(client)
    intake = client.app[SERVICES].intake
    when = datetime(2026, 12, 1, 5, 5, tzinfo=UTC)
    good = [IncomingComment("file", f"g{n}", "", f"Просьба {n}", when) for n in range(50)]
    # A source still running for a meeting that is gone: the foreign key refuses those rows.
    orphan = [IncomingComment("file", "o1", "", "Просьба", when)]
    # A parser that let the end of time through: 9999-12-31 23:00 at UTC−14 is past year 9999 in UTC.
    end_of_time = datetime(9999, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-14)))
    edge = [IncomingComment("file", "e1", "", "Просьба", end_of_time), IncomingComment("file", "e2", "", "ок", when)]
    results = await asyncio.gather(intake.submit(meeting["id"], good[:25]), intake.submit(999_999, orphan),
                                   intake.submit(meeting["id"], good[25:]), intake.submit(meeting["id"], edge))
    assert all(r.stored and not r.duplicate for r in results[0] + results[2])
    assert [r.stored for r in results[1]] == [False] and results[1][0].id == 0
    assert [r.stored for r in results[3]] == [False, True] and "created_at" in (results[3][0].error or "")
    page = await (await client.get(f"/api/v1/meetings/{meeting['id']}/comments", params={"limit": 1000},
                                   headers=client.people.auth("secretary"))).json()
    assert len(page["items"]) == 51
