"""Access that is taken away stops at once: revoked tokens, logouts, password resets and disabled
users reach open socket.io connections and sessions; admins disable users and end sessions."""

from __future__ import annotations

import asyncio
import uuid

import aiohttp
import pytest
import socketio

from tests.conftest import MEETING, PASSWORD
from tyndau.operator_ui.keys import SERVICES
from tyndau.store import people


async def revalidate(app) -> int:  # type: ignore[no-untyped-def]
    """What the server's periodic re-check does (imported late: the tests must also run against older code)."""
    from tyndau.operator_ui.realtime import revalidate as check

    return await check(app)


async def _until(predicate, timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


async def _meeting(server) -> int:
    async with aiohttp.ClientSession() as http:
        resp = await http.post(f"{server.url}/api/v1/meetings", json=MEETING, headers={"Authorization": f"Bearer {server.people.tokens['moderator']}"})
        return (await resp.json())["id"]


async def _socket(server, *, token: str | None = None, cookie: str | None = None) -> tuple[socketio.AsyncClient, list[str]]:
    ended: list[str] = []
    sio = socketio.AsyncClient(reconnection=False)
    sio.on("session_ended", lambda data: ended.append("session_ended"), namespace="/clock")
    sio.on("disconnect", lambda *a: ended.append("disconnect"), namespace="/clock")
    await sio.connect(server.url, namespaces=["/clock"], auth={"token": token} if token else None,
                      headers={"Cookie": f"tyndau_session={cookie}"} if cookie else None, transports=["websocket"], wait_timeout=5)
    return sio, ended


async def _login(server, name: str, password: str = PASSWORD) -> str:
    async with aiohttp.ClientSession() as http:
        resp = await http.post(f"{server.url}/login", json={"username": name, "password": password})
        assert resp.status == 200, await resp.text()
        return resp.cookies["tyndau_session"].value


async def _refused(server, **credential) -> bool:
    try:
        sio, _ = await _socket(server, **credential)
    except socketio.exceptions.ConnectionError:
        return True
    await sio.disconnect()
    return False


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_a_revoked_moderator_token_can_no_longer_run_the_clock_on_an_open_socket(live_server):
    meeting_id = await _meeting(live_server)
    admin = {"Authorization": f"Bearer {live_server.people.tokens['admin']}"}
    sio, ended = await _socket(live_server, token=live_server.people.tokens["moderator"])
    try:
        assert (await sio.call("join", {"meeting_id": meeting_id}, namespace="/clock"))["ok"]
        async with aiohttp.ClientSession() as http:
            resp = await http.post(f"{live_server.url}/api/v1/tokens/test-moderator/revoke", headers=admin)
            assert resp.status == 200 and (await resp.json())["sockets_closed"] == 1
        await _until(lambda: "disconnect" in ended)
        assert "session_ended" in ended
        assert await _refused(live_server, token=live_server.people.tokens["moderator"])
        _, clock = await live_server.app[SERVICES].clock.snapshot(meeting_id)
        assert clock["phase"] == "not_started"
    finally:
        await sio.disconnect()


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_a_token_revoked_by_another_process_is_cut_off_at_the_next_check(live_server):
    meeting_id = await _meeting(live_server)
    app = live_server.app
    sio, ended = await _socket(live_server, token=live_server.people.tokens["moderator"])
    viewer, viewer_ended = await _socket(live_server, token=live_server.people.tokens["viewer"])
    try:
        assert (await sio.call("join", {"meeting_id": meeting_id}, namespace="/clock"))["ok"]
        # `tyndau token revoke` in another process changes only the store.
        assert await people.revoke_token(app[SERVICES].engine, "test-moderator") == 1
        from tyndau.operator_ui.auth import AUTH

        app[AUTH].cache.clear()  # what the cache's few seconds do on their own
        ack = await sio.call("command", {"meeting_id": meeting_id, "action": "start_presentation", "command_id": str(uuid.uuid4())}, namespace="/clock")
        assert ack["ok"] is False and ack["error"]["code"] == "unauthorized"
        await _until(lambda: "disconnect" in ended)
        _, clock = await app[SERVICES].clock.snapshot(meeting_id)
        assert clock["phase"] == "not_started"
        # A passive screen (it sends nothing) is found by the periodic re-check.
        await people.revoke_token(app[SERVICES].engine, "test-viewer")
        assert await revalidate(app) == 1
        await _until(lambda: "disconnect" in viewer_ended)
    finally:
        await sio.disconnect()
        await viewer.disconnect()


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_logout_and_password_reset_end_sessions_and_their_sockets(live_server):
    app = live_server.app
    cookie = await _login(live_server, "moderator")
    sio, ended = await _socket(live_server, cookie=cookie)
    async with aiohttp.ClientSession(cookies={"tyndau_session": cookie}) as http:
        assert (await http.get(f"{live_server.url}/api/v1/me")).status == 200
        assert (await http.post(f"{live_server.url}/logout")).status == 200
    await _until(lambda: "disconnect" in ended)
    assert await _refused(live_server, cookie=cookie)

    cookie = await _login(live_server, "secretary")
    sio, ended = await _socket(live_server, cookie=cookie)
    await people.add_user(app[SERVICES].engine, "secretary", "secretary", "a new password 2", replace=True)  # tyndau user add --replace
    assert await revalidate(app) == 1
    await _until(lambda: "disconnect" in ended)
    async with aiohttp.ClientSession(cookies={"tyndau_session": cookie}) as http:
        assert (await http.get(f"{live_server.url}/api/v1/me")).status == 401
    await _login(live_server, "secretary", "a new password 2")


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_admins_disable_users_end_their_sessions_and_enable_them_again(live_server):
    admin = {"Authorization": f"Bearer {live_server.people.tokens['admin']}"}
    cookie = await _login(live_server, "moderator")
    sio, ended = await _socket(live_server, cookie=cookie)
    base = f"{live_server.url}/api/v1/users"
    async with aiohttp.ClientSession() as http:
        listed = {u["name"]: u for u in (await (await http.get(base, headers=admin)).json())["items"]}
        assert listed["moderator"]["sessions"] == 1 and not listed["moderator"]["disabled"]
        assert (await http.post(f"{base}/moderator/disable", headers={"Authorization": f"Bearer {live_server.people.tokens['moderator']}"})).status == 403
        resp = await http.post(f"{base}/moderator/disable", headers=admin)
        assert await resp.json() == {"user": "moderator", "sessions_ended": 1, "sockets_closed": 1}
        await _until(lambda: "disconnect" in ended)
        assert (await http.get(f"{live_server.url}/api/v1/me", cookies={"tyndau_session": cookie})).status == 401
        login = await http.post(f"{live_server.url}/login", json={"username": "moderator", "password": PASSWORD})
        assert login.status == 401
        assert (await http.post(f"{base}/moderator/enable", headers=admin)).status == 200
        second = await _login(live_server, "moderator")
        third = await _login(live_server, "moderator")
        resp = await http.post(f"{base}/moderator/end-sessions", headers=admin)
        assert (await resp.json())["sessions_ended"] == 2
        for c in (second, third):
            assert (await http.get(f"{live_server.url}/api/v1/me", cookies={"tyndau_session": c})).status == 401
        assert (await http.post(f"{base}/nobody/disable", headers=admin)).status == 404
        audit = (await (await http.get(f"{live_server.url}/api/v1/audit", headers=admin)).json())["items"]
        assert [a["action"] for a in audit if a["action"].startswith("user.")] == ["user.end-sessions", "user.enable", "user.disable"]


async def test_the_cli_disables_a_user_and_a_running_server_cuts_it_off(tmp_path, monkeypatch):
    from tests.test_cli import Server, run

    data = tmp_path / "data"
    assert run("user", "add", "aigerim", "--role", "moderator", "--password", PASSWORD, data_dir=data).returncode == 0
    monkeypatch.setenv("TYNDAU_REVALIDATE_SECONDS", "0.5")
    server = Server(data)
    try:
        cookie = await _login(server, "aigerim")
        sio, ended = await _socket(server, cookie=cookie)
        listed = run("user", "list", data_dir=data)
        assert listed.returncode == 0 and "aigerim\tmoderator\tactive\t1 session(s)" in listed.stdout
        result = run("user", "disable", "aigerim", data_dir=data)
        assert result.returncode == 0 and result.stdout.strip() == "user 'aigerim' disabled; 1 session(s) ended"
        await _until(lambda: "disconnect" in ended, timeout=10)
        async with aiohttp.ClientSession(cookies={"tyndau_session": cookie}) as http:
            await _until_status(http, f"{server.url}/api/v1/me", 401)
            assert (await http.post(f"{server.url}/login", json={"username": "aigerim", "password": PASSWORD})).status == 401
        assert run("user", "enable", "aigerim", data_dir=data).returncode == 0
        await _login(server, "aigerim")
        assert run("user", "logout", "aigerim", data_dir=data).stdout.strip() == "user 'aigerim' logged out everywhere; 1 session(s) ended"
        missing = run("user", "disable", "nobody", data_dir=data)
        assert missing.returncode == 2 and missing.stderr.strip() == "tyndau: error: no user 'nobody'"
    finally:
        server.stop()


async def _until_status(http: aiohttp.ClientSession, url: str, status: int, timeout: float = 10.0) -> None:
    """The principal cache of another process answers for a few seconds more."""
    deadline = asyncio.get_running_loop().time() + timeout
    while (await http.get(url)).status != status:
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{url} never answered {status}")
        await asyncio.sleep(0.25)
