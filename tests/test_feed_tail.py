"""Without Redis, a server reads what other processes committed; a lower id committed late is still pushed.

Ids come from the sequence when a row is inserted, not when it commits: on PostgreSQL a writer
can commit id n after the server already read n + 1. The store poll must not skip it.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import aiohttp
import pytest
import socketio

from tests.conftest import MEETING
from tyndau.domain.comments import IncomingComment
from tyndau.operator_ui.keys import SETTINGS
from tyndau.store.comments import PreparedComment, insert_batch
from tyndau.store.engine import create_engine

pytestmark = pytest.mark.parametrize("settings", ["postgres"], indirect=True)  # SQLite has one writer at a time: ids commit in order


def _comment(meeting_id: int, key: str) -> PreparedComment:
    now = datetime.now(UTC)
    return PreparedComment(meeting_id, IncomingComment("file", key, "Иван", f"Нет воды, обращение {key}", now), now, False)


async def test_a_comment_committed_out_of_id_order_reaches_the_console(live_server):
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {live_server.people.tokens['moderator']}"}) as http:
        async with http.post(f"{live_server.url}/api/v1/meetings", json=MEETING) as resp:
            meeting_id = (await resp.json())["id"]
    pushed: list[int] = []
    sio = socketio.AsyncClient(reconnection=False)
    sio.on("comments", lambda items: pushed.extend(c["id"] for c in items), namespace="/feed")
    await sio.connect(live_server.url, namespaces=["/feed"], auth={"token": live_server.people.tokens["moderator"]}, transports=["websocket"])
    other_writer = create_engine(live_server.app[SETTINGS])  # another process's writer (`tyndau ingest`)
    try:
        assert (await sio.call("join", {"meeting_id": meeting_id}, namespace="/feed"))["ok"]
        async with other_writer.connect() as slow:
            slow_tx = await slow.begin()
            [(early, _)] = await insert_batch(slow, [_comment(meeting_id, "early")])  # takes id n, commits later
            async with other_writer.begin() as fast:
                [(late, _)] = await insert_batch(fast, [_comment(meeting_id, "late")])  # id n + 1, committed now
            assert late.id > early.id
            for _ in range(100):
                if late.id in pushed:
                    break
                await asyncio.sleep(0.05)
            assert pushed == [late.id]  # the server has read past n
            await slow_tx.commit()
        for _ in range(100):
            if early.id in pushed:
                break
            await asyncio.sleep(0.05)
        assert sorted(pushed) == [early.id, late.id]
    finally:
        await sio.disconnect()
        await other_writer.dispose()

