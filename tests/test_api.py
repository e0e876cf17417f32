"""The HTTP API on a real store: meetings, clock, roles, bad input, OpenAPI."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import MEETING, create_meeting


async def test_healthz(client):
    resp = await client.get("/healthz")
    assert resp.status == 200
    assert (await resp.json())["ok"] is True


async def test_create_get_and_list_meetings(client):
    meeting = await create_meeting(client)
    assert meeting["id"] >= 1
    assert meeting["akim_level"] == "village"
    assert meeting["announcement"] == {"notice_days": 7, "deadline": "2026-11-24", "announced_on": "2026-11-20", "days_ahead": 11, "met": True}
    resp = await client.get(f"/api/v1/meetings/{meeting['id']}", headers=client.people.auth("viewer"))
    assert (await resp.json())["title"] == MEETING["title"]
    resp = await client.get("/api/v1/meetings", headers=client.people.auth("secretary"))
    assert [m["id"] for m in (await resp.json())["items"]] == [meeting["id"]]


async def test_announcement_too_late_for_a_district_akim(client):
    meeting = await create_meeting(client, akim_level="district", announced_at="2026-11-20T09:00:00+05:00")
    assert meeting["announcement"]["met"] is False
    assert meeting["announcement"]["notice_days"] == 14


async def test_patch_meeting_changes_only_given_fields(client):
    meeting = await create_meeting(client)
    resp = await client.patch(f"/api/v1/meetings/{meeting['id']}", json={"planned_minutes": 90}, headers=client.people.auth("moderator"))
    body = await resp.json()
    assert resp.status == 200 and body["planned_minutes"] == 90 and body["title"] == MEETING["title"]


async def test_clock_runs_through_presentation_qa_end(client):
    meeting = await create_meeting(client)
    url = f"/api/v1/meetings/{meeting['id']}/clock"
    auth = client.people.auth("moderator")
    clock = await (await client.get(url, headers=auth)).json()
    for key in ("phase", "presentation_seconds", "qa_seconds", "pause_seconds", "cap_seconds", "over_cap_seconds", "planned_seconds"):
        assert key in clock
    assert clock["phase"] == "not_started" and clock["cap_seconds"] == 1800
    for action, phase in (("start_presentation", "presentation"), ("pause", "pause"), ("resume", "presentation"), ("start_qa", "qa"), ("end", "ended")):
        resp = await client.post(url, json={"action": action, "version": clock["version"]}, headers=auth)
        assert resp.status == 200, await resp.text()
        clock = await resp.json()
        assert clock["phase"] == phase
    resp = await client.post(url, json={"action": "start_qa"}, headers=auth)
    assert resp.status == 409
    assert (await resp.json())["error"]["code"] == "invalid_transition"
    timing = await (await client.get(f"/api/v1/meetings/{meeting['id']}/timing", headers=auth)).json()
    assert [s["phase"] for s in timing["segments"]] == ["presentation", "pause", "presentation", "qa"]
    assert timing["rule_held"] is True and timing["final"] is True
    csv_resp = await client.get(f"/api/v1/meetings/{meeting['id']}/timing.csv", headers=auth)
    assert csv_resp.status == 200 and csv_resp.content_type == "text/csv"


async def test_command_id_makes_a_retried_command_apply_once(client):
    meeting = await create_meeting(client)
    url = f"/api/v1/meetings/{meeting['id']}/clock"
    auth = client.people.auth("moderator")
    body = {"action": "start_presentation", "version": 0, "command_id": str(uuid.uuid4())}
    first = await (await client.post(url, json=body, headers=auth)).json()
    second = await client.post(url, json=body, headers=auth)
    assert second.status == 200
    assert (await second.json())["version"] == first["version"] == 1


async def test_stale_version_from_a_second_console_gets_409_with_the_current_clock(client):
    meeting = await create_meeting(client)
    url = f"/api/v1/meetings/{meeting['id']}/clock"
    auth = client.people.auth("moderator")
    await client.post(url, json={"action": "start_presentation", "version": 0}, headers=auth)
    resp = await client.post(url, json={"action": "start_qa", "version": 0}, headers=auth)
    assert resp.status == 409
    body = await resp.json()
    assert body["error"]["code"] == "stale_version"
    assert body["clock"]["phase"] == "presentation"


async def test_undo_over_http(client):
    meeting = await create_meeting(client)
    url = f"/api/v1/meetings/{meeting['id']}/clock"
    auth = client.people.auth("admin")
    await client.post(url, json={"action": "start_presentation"}, headers=auth)
    await client.post(url, json={"action": "start_qa"}, headers=auth)
    clock = await (await client.post(url, json={"action": "undo"}, headers=auth)).json()
    assert clock["phase"] == "presentation"
    resp = await client.post(url, json={"action": "undo"}, headers=auth)
    resp = await client.post(url, json={"action": "undo"}, headers=auth)
    assert resp.status == 409 and (await resp.json())["error"]["code"] == "nothing_to_undo"


@pytest.mark.parametrize("role", ["viewer", "secretary"])
async def test_roles_that_may_not_touch_the_clock_get_403(client, role):
    meeting = await create_meeting(client)
    resp = await client.post(f"/api/v1/meetings/{meeting['id']}/clock", json={"action": "start_presentation"}, headers=client.people.auth(role))
    assert resp.status == 403
    assert (await resp.json())["error"]["code"] == "forbidden"
    resp = await client.post("/api/v1/meetings", json=MEETING, headers=client.people.auth(role))
    assert resp.status == 403


async def test_no_token_gets_401_and_a_bad_token_too(client):
    assert (await client.get("/api/v1/meetings")).status == 401
    resp = await client.get("/api/v1/meetings", headers={"Authorization": "Bearer tyn_nope"})
    assert resp.status == 401
    assert (await resp.json())["error"]["code"] == "unauthorized"


async def test_every_state_change_is_audited(client):
    meeting = await create_meeting(client)
    await client.post(f"/api/v1/meetings/{meeting['id']}/clock", json={"action": "start_presentation"}, headers=client.people.auth("moderator"))
    await client.post(f"/api/v1/meetings/{meeting['id']}/presenter-message", json={"text": "2 минуты"}, headers=client.people.auth("moderator"))
    resp = await client.get(f"/api/v1/audit?meeting_id={meeting['id']}", headers=client.people.auth("admin"))
    actions = [(e["actor"], e["action"]) for e in (await resp.json())["items"]]
    assert actions == [("token:test-moderator", "presenter.message"), ("token:test-moderator", "clock.start_presentation"), ("token:test-moderator", "meeting.create")]
    assert (await client.get("/api/v1/audit", headers=client.people.auth("moderator"))).status == 403


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"planned_minutes": 0}, "planned_minutes"),
        ({"planned_minutes": 10000}, "planned_minutes"),
        ({"planned_minutes": "120"}, "planned_minutes"),
        ({"akim_level": "president"}, "akim_level"),
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"starts_at": "2026-12-01T10:00:00"}, "starts_at"),
        ({"title": ""}, "title"),
        ({"announced_at": "2026-12-02T10:00:00+05:00"}, "announced_at"),
        ({"stream_links": ["javascript:alert(1)"]}, "stream_links"),
        ({"colour": "red"}, "colour"),
    ],
)
async def test_invalid_meetings_get_422_naming_the_field(client, changes, field):
    resp = await client.post("/api/v1/meetings", json={**MEETING, **changes}, headers=client.people.auth("moderator"))
    assert resp.status == 422
    body = await resp.json()
    assert body["error"]["code"] == "invalid" and field in body["error"]["fields"]
    listed = await (await client.get("/api/v1/meetings", headers=client.people.auth("moderator"))).json()
    assert listed["items"] == []


async def test_unknown_meeting_and_unknown_action(client):
    auth = client.people.auth("moderator")
    resp = await client.get("/api/v1/meetings/999/clock", headers=auth)
    assert resp.status == 404 and (await resp.json())["error"]["code"] == "not_found"
    resp = await client.post("/api/v1/meetings/999/clock", json={"action": "start_qa"}, headers=auth)
    assert resp.status == 404
    assert (await client.get("/api/v1/meetings/abc", headers=auth)).status == 404
    meeting = await create_meeting(client)
    resp = await client.post(f"/api/v1/meetings/{meeting['id']}/clock", json={"action": "explode"}, headers=auth)
    assert resp.status == 400 and (await resp.json())["error"]["code"] == "unknown_action"


async def test_malformed_json_and_wrong_types_get_400(client):
    auth = {**client.people.auth("moderator"), "Content-Type": "application/json"}
    resp = await client.post("/api/v1/meetings", data=b"{not json", headers=auth)
    assert resp.status == 400 and (await resp.json())["error"]["code"] == "bad_json"
    resp = await client.post("/api/v1/meetings", data=b"[1, 2]", headers=auth)
    assert resp.status == 400
    resp = await client.post("/api/v1/meetings", data=b"\xff\xfe", headers=auth)
    assert resp.status == 400
    resp = await client.post("/api/v1/meetings", data=b"title=x", headers={**client.people.auth("moderator"), "Content-Type": "application/x-www-form-urlencoded"})
    assert resp.status == 415


async def test_oversize_body_gets_413(client):
    auth = {**client.people.auth("moderator"), "Content-Type": "application/json"}
    resp = await client.post("/api/v1/meetings", data=b'{"title": "' + b"x" * 2_000_000 + b'"}', headers=auth)
    assert resp.status == 413
    assert (await resp.json())["error"]["code"] == "too_large"


async def test_presenter_message_is_stored_and_validated(client):
    meeting = await create_meeting(client)
    url = f"/api/v1/meetings/{meeting['id']}/presenter-message"
    auth = client.people.auth("moderator")
    resp = await client.post(url, json={"text": "  Переходите   к вопросам "}, headers=auth)
    assert (await resp.json())["text"] == "Переходите к вопросам"
    got = await (await client.get(f"/api/v1/meetings/{meeting['id']}", headers=auth)).json()
    assert got["presenter_message"] == "Переходите к вопросам"
    assert (await client.post(url, json={"text": "x" * 201}, headers=auth)).status == 422


async def test_browser_login_sets_a_cookie_that_the_api_accepts(client):
    resp = await client.post("/login", json={"username": "moderator", "password": "wrong password"})
    assert resp.status == 401
    resp = await client.post("/login", json={"username": "moderator", "password": client.people.password})
    assert resp.status == 200
    assert (await resp.json())["user"] == {"name": "moderator", "role": "moderator", "kind": "user"}
    me = await client.get("/api/v1/me")
    assert (await me.json())["user"]["role"] == "moderator"
    # A cookie-authenticated change from another origin is refused (CSRF).
    resp = await client.post("/api/v1/meetings", json=MEETING, headers={"Origin": "http://evil.example"})
    assert resp.status == 403
    resp = await client.post("/api/v1/meetings", json=MEETING)
    assert resp.status == 201
    await client.post("/logout")
    assert (await client.get("/api/v1/me")).status == 401


async def test_console_page_redirects_anonymous_users_to_login(client):
    resp = await client.get("/console?meeting=1", allow_redirects=False)
    assert resp.status == 302 and resp.headers["Location"].startswith("/login?next=/console")


async def test_openapi_documents_every_api_route(client):
    resp = await client.get("/api/v1/openapi.json")
    spec = await resp.json()
    assert spec["openapi"].startswith("3.")
    documented = set(spec["paths"])
    for route in client.app.router.routes():
        path = route.resource.canonical if route.resource else ""
        if path.startswith("/api/v1/") or path == "/healthz":
            normalised = path.replace("{fmt}", "json")
            assert path in documented or normalised in documented or path.replace(".{fmt}", ".csv") in documented, path
