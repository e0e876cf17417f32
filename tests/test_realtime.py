"""Two real socket.io clients on a real server see the same clock; auth is enforced on connect."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
import socketio

from tests.conftest import MEETING


async def _client(server, role: str | None, events: list[tuple[str, Any]] | None = None) -> socketio.AsyncClient:
    sio = socketio.AsyncClient(reconnection=False)
    if events is not None:
        for name in ("clock", "meeting", "presenter_message"):
            sio.on(name, (lambda n: lambda data: events.append((n, data)))(name), namespace="/clock")
    auth = {"token": server.people.tokens[role]} if role else None
    await sio.connect(server.url, namespaces=["/clock"], auth=auth, transports=["websocket"], wait_timeout=5)
    return sio


async def _meeting(server) -> int:
    import aiohttp

    async with aiohttp.ClientSession() as http:
        resp = await http.post(f"{server.url}/api/v1/meetings", json=MEETING, headers={"Authorization": f"Bearer {server.people.tokens['moderator']}"})
        return (await resp.json())["id"]


async def _until(predicate, timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


async def test_two_consoles_see_the_same_state_live(live_server):
    meeting_id = await _meeting(live_server)
    seen_a: list[tuple[str, Any]] = []
    seen_b: list[tuple[str, Any]] = []
    a = await _client(live_server, "moderator", seen_a)
    b = await _client(live_server, "viewer", seen_b)
    try:
        join_a = await a.call("join", {"meeting_id": meeting_id}, namespace="/clock")
        join_b = await b.call("join", {"meeting_id": meeting_id}, namespace="/clock")
        assert join_a["ok"] and join_b["ok"]
        assert join_a["clock"]["version"] == join_b["clock"]["version"] == 0
        ack = await a.call("command", {"meeting_id": meeting_id, "action": "start_presentation", "version": 0, "command_id": str(uuid.uuid4())}, namespace="/clock")
        assert ack["ok"] and ack["clock"]["phase"] == "presentation"
        await _until(lambda: any(n == "clock" for n, _ in seen_b))
        pushed = [d for n, d in seen_b if n == "clock"][-1]
        assert pushed["phase"] == "presentation" and pushed["version"] == 1
        assert [d for n, d in seen_a if n == "clock"][-1]["version"] == 1

        msg = await a.call("presenter_message", {"meeting_id": meeting_id, "text": "2 минуты"}, namespace="/clock")
        assert msg["ok"]
        await _until(lambda: any(n == "presenter_message" for n, _ in seen_b))
        assert [d for n, d in seen_b if n == "presenter_message"][-1]["text"] == "2 минуты"
    finally:
        await a.disconnect()
        await b.disconnect()


async def test_a_viewer_can_watch_but_not_command(live_server):
    meeting_id = await _meeting(live_server)
    viewer = await _client(live_server, "viewer")
    try:
        assert (await viewer.call("join", {"meeting_id": meeting_id}, namespace="/clock"))["ok"]
        ack = await viewer.call("command", {"meeting_id": meeting_id, "action": "start_presentation", "version": 0}, namespace="/clock")
        assert ack == {"ok": False, "error": {"code": "forbidden", "message": "the viewer role may not do this"}}
        ack = await viewer.call("presenter_message", {"meeting_id": meeting_id, "text": "hi"}, namespace="/clock")
        assert ack["error"]["code"] == "forbidden"
    finally:
        await viewer.disconnect()


async def test_simultaneous_clicks_from_two_consoles_keep_the_record_consistent(live_server):
    meeting_id = await _meeting(live_server)
    a = await _client(live_server, "moderator")
    b = await _client(live_server, "admin")
    try:
        await a.call("join", {"meeting_id": meeting_id}, namespace="/clock")
        await b.call("join", {"meeting_id": meeting_id}, namespace="/clock")
        await a.call("command", {"meeting_id": meeting_id, "action": "start_presentation", "version": 0}, namespace="/clock")
        acks = await asyncio.gather(
            a.call("command", {"meeting_id": meeting_id, "action": "start_qa", "version": 1}, namespace="/clock"),
            b.call("command", {"meeting_id": meeting_id, "action": "pause", "version": 1}, namespace="/clock"),
        )
        oks = [x for x in acks if x["ok"]]
        refused = [x for x in acks if not x["ok"]]
        assert len(oks) == 1 and len(refused) == 1
        assert refused[0]["error"]["code"] == "stale_version"
        final = (await a.call("join", {"meeting_id": meeting_id}, namespace="/clock"))["clock"]
        assert final["version"] == 2 and final["phase"] == oks[0]["clock"]["phase"]
    finally:
        await a.disconnect()
        await b.disconnect()


async def test_unauthenticated_sockets_are_refused(live_server):
    sio = socketio.AsyncClient(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        await sio.connect(live_server.url, namespaces=["/clock"], transports=["websocket"], wait_timeout=5)
    with pytest.raises(socketio.exceptions.ConnectionError):
        await sio.connect(live_server.url, namespaces=["/clock"], auth={"token": "tyn_forged"}, transports=["websocket"], wait_timeout=5)


async def test_join_of_an_unknown_meeting_is_a_clear_error(live_server):
    viewer = await _client(live_server, "viewer")
    try:
        ack = await viewer.call("join", {"meeting_id": 4242}, namespace="/clock")
        assert ack["ok"] is False and ack["error"]["code"] == "not_found"
        ack = await viewer.call("join", {"meeting_id": "x"}, namespace="/clock")
        assert ack["error"]["code"] == "bad_request"
    finally:
        await viewer.disconnect()
