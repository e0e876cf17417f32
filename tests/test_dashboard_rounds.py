"""The dashboard as a secretary reads it: accepted problems apart from unreviewed drafts, and a
10-day publication deadline per round of one akim (an ended meeting is never "not ended")."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.conftest import create_meeting
from tests.test_review import act, problems, seed
from tyndau.reports.rounds import RoundMember, group_rounds


def _at(day: int, month: int = 12) -> datetime:
    return datetime(2026, month, day, 5, 0, tzinfo=UTC)


def test_rounds_are_per_akim_and_close_together():
    meetings = [
        RoundMember(1, "Ахметов С.", _at(1)), RoundMember(2, "ахметов  с.", _at(3)), RoundMember(3, "Бекова А.", _at(2)),
        RoundMember(4, "", _at(2)), RoundMember(5, "", _at(2)), RoundMember(6, "Ахметов С.", _at(20, 3).replace(year=2027)),
    ]
    assert group_rounds(meetings) == [[1, 2], [3], [4], [5], [6]]


async def _end(client, meeting_id: int) -> None:
    for action in ("start_presentation", "end"):
        resp = await client.post(f"/api/v1/meetings/{meeting_id}/clock", json={"action": action}, headers=client.people.auth("moderator"))
        assert resp.status == 200


async def test_dashboard_counts_accepted_problems_and_drafts_apart(client):
    meeting_id, _ = await seed(client)
    roads, water = await problems(client, meeting_id)
    await act(client, meeting_id, "accept", {"problem_ids": [roads["id"]]})
    body = await (await client.get(f"/api/v1/dashboard?meetings={meeting_id}", headers=client.people.auth("secretary"))).json()
    f = body["figures"]
    assert f["problems_total"] == 1 and f["drafts_pending"] == 1
    assert sum(row["count"] for row in f["by_status"]) == 1


async def test_dashboard_has_a_deadline_per_akim_round_and_an_ended_meeting_counts_as_ended(client):
    one = await create_meeting(client, title="Аким А, встреча 1", akim_name="Ахметов С.")
    two = await create_meeting(client, title="Аким Б, встреча", akim_name="Бекова А.")
    await _end(client, one["id"])
    body = await (await client.get(f"/api/v1/dashboard?meetings={one['id']},{two['id']}", headers=client.people.auth("secretary"))).json()
    publication = {p["akim"]: p for p in body["figures"]["publication"]}
    assert set(publication) == {"Ахметов С.", "Бекова А."}
    assert publication["Ахметов С."]["deadline"] is not None and publication["Ахметов С."]["ended"] == 1
    assert publication["Бекова А."]["deadline"] is None and publication["Бекова А."]["ended"] == 0
