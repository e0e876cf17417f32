"""Hostile requests get a clear 4xx, never a 500; cookies cannot be used cross-site; every
response, error pages included, carries the security headers; the HTML report is a download with
its own policy; a replay reads only files in the data directory."""

from __future__ import annotations

import pytest

from tests.conftest import MEETING, PASSWORD, create_meeting


async def test_hostile_json_is_a_400_not_a_500(client):
    auth = client.people.auth("moderator")
    headers = {**auth, "Content-Type": "application/json"}
    for body in ("[" * 100_000 + "]" * 100_000, '{"a":' * 40 + "1" + "}" * 40, '{"planned_minutes": 1' + "0" * 4300 + "}",
                 '{"planned_minutes": 99999999999999999999}', '{"planned_minutes": NaN}', '{"x": Infinity}', "\xff\xfe"):
        resp = await client.post("/api/v1/meetings", data=body.encode("utf-8", "surrogateescape"), headers=headers)
        assert resp.status == 400, (body[:40], resp.status, await resp.text())
        assert (await resp.json())["error"]["code"] == "bad_json"
    # 120.0 is a whole number to JSON Schema, and so to the API.
    resp = await client.post("/api/v1/meetings", json={**MEETING, "planned_minutes": 120.0}, headers=auth)
    assert resp.status == 201


async def test_the_end_of_time_is_a_422(client):
    auth = client.people.auth("moderator")
    for when in ("9999-12-31T23:00:00-14:00", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59+00:00"):
        resp = await client.post("/api/v1/meetings", json={**MEETING, "starts_at": when, "announced_at": None}, headers=auth)
        assert resp.status == 422, (when, await resp.text())
    meeting = await create_meeting(client)
    resp = await client.post(f"/api/v1/meetings/{meeting['id']}/comments", headers=auth,
                             json={"source": "vk", "text": "вода", "created_at": "9999-12-31T23:00:00-14:00"})
    assert resp.status == 422 and "created_at" in (await resp.json())["error"]["fields"]


@pytest.mark.parametrize("path", ["/api/v1/meetings/1/comments?limit=99999999999999999999999", "/api/v1/meetings/1/comments?after=-1",
                                  "/api/v1/meetings/1/comments?cluster=1e9", "/api/v1/meetings/1/comments?order=sideways",
                                  "/api/v1/problems?meetings=1,99999999999999999999", "/api/v1/problems?meetings=1,²",
                                  "/api/v1/meetings/1/review-queue?limit=0", "/api/v1/audit?meeting_id=-3",
                                  "/api/v1/quarterly.json?meetings=1&year=99999&quarter=1", "/api/v1/dashboard?lang=fr"])
async def test_out_of_range_query_values_are_a_400(client, path):
    await create_meeting(client)
    resp = await client.get(path, headers=client.people.auth("admin"))
    assert resp.status == 400, await resp.text()


@pytest.mark.parametrize("path", ["/api/v1/meetings/99999999999999999999999", "/api/v1/meetings/²/clock", "/api/v1/meetings/99999999999999999999/sources",
                                  "/api/v1/meetings/1/comments/99999999999999999999999/pin", "/api/v1/meetings/1/problems/99999999999999999999"])
async def test_huge_or_odd_ids_are_a_404(client, path):
    await create_meeting(client)
    method = client.post if path.endswith("/pin") else client.get
    resp = await method(path, json={}, headers=client.people.auth("admin"))
    assert resp.status == 404, await resp.text()


async def _cookie_client(client):
    resp = await client.post("/login", json={"username": "moderator", "password": PASSWORD})
    assert resp.status == 200
    return client


async def test_cookie_posts_from_a_sandboxed_page_or_a_plain_text_form_are_refused(client):
    meeting = await create_meeting(client)
    await _cookie_client(client)
    url = f"/api/v1/meetings/{meeting['id']}/comments"
    comment = '{"source": "vk", "text": "csrf", "created_at": "2026-12-01T10:00:00+05:00"}'
    resp = await client.post(url, data=comment, headers={"Content-Type": "application/json", "Origin": "null"})
    assert resp.status == 403 and (await resp.json())["error"]["code"] == "cross_origin"
    resp = await client.post(url, data=comment, headers={"Content-Type": "text/plain"})
    assert resp.status == 415
    resp = await client.post(url, data=comment, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert resp.status == 415
    assert (await client.post("/logout", headers={"Origin": "http://evil.example"})).status == 403
    assert (await client.post("/login", json={"username": "moderator", "password": PASSWORD}, headers={"Origin": "null"})).status == 403
    resp = await client.post(url, data=comment, headers={"Content-Type": "application/json"})
    assert resp.status == 201, "the console's own JSON requests still work"


async def test_every_response_carries_the_security_headers(client):
    auth = client.people.auth("viewer")
    for path, status in (("/no-such-page", 404), ("/static/nope.js", 404), ("/api/v1/nope", 404), ("/console", 200), ("/healthz", 200)):
        resp = await client.get(path, headers=auth, allow_redirects=False)
        assert resp.status in (status, 302), path
        assert "default-src 'self'" in resp.headers["Content-Security-Policy"], path
        assert resp.headers["X-Content-Type-Options"] == "nosniff", path
        assert resp.headers["Server"] == "tyndau", path
    resp = await client.get("/api/v1/meetings", headers=auth)
    assert resp.headers["Cache-Control"] == "no-store"
    resp = await client.delete("/api/v1/meetings", headers=auth)
    assert resp.status == 405 and set(resp.headers["Allow"].split(",")) >= {"GET", "POST"}
    assert (await resp.json())["error"]["code"] == "method_not_allowed"


async def test_the_html_report_is_a_download_whose_own_style_may_run(client):
    meeting = await create_meeting(client)
    resp = await client.get(f"/api/v1/meetings/{meeting['id']}/report.html", headers=client.people.auth("secretary"))
    assert resp.status == 200
    assert resp.headers["Content-Disposition"].startswith("attachment;")
    policy = resp.headers["Content-Security-Policy"]
    assert "style-src 'unsafe-inline'" in policy and "default-src 'none'" in policy and "sandbox" in policy and "script-src" not in policy
    assert resp.headers["Cache-Control"] == "no-store"


async def test_a_replay_reads_only_files_in_the_data_directory(client, settings):
    meeting = await create_meeting(client)
    url = f"/api/v1/meetings/{meeting['id']}/sources"
    auth = client.people.auth("moderator")
    for path in ("/etc/shadow", "/etc/passwd", "../../../etc/passwd", str(settings.data_dir / ".." / ".." / "etc" / "hostname")):
        resp = await client.post(url, json={"kind": "replay", "config": {"path": path, "speed": 0}}, headers=auth)
        assert resp.status == 422, path
        body = await resp.json()
        assert "data directory" in body["error"]["message"] and "lines" not in str(body)
    recording = settings.data_dir / "replays" / "chat.live_chat.json"
    recording.parent.mkdir(parents=True, exist_ok=True)
    recording.write_text("", "utf-8")
    resp = await client.post(url, json={"kind": "replay", "config": {"path": "replays/chat.live_chat.json", "speed": 0}}, headers=auth)
    assert resp.status == 201, await resp.text()
