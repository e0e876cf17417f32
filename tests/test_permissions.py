"""One permission table: the server enforces it for every action, the pages read it, the docs name it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tyndau.actions import ActionError, perform, registry
from tyndau.operator_ui.keys import SERVICES
from tyndau.permissions import CAPABILITIES, ROLES, TABLE, allowed, as_json, audience_of
from tyndau.store.people import Principal

ROOT = Path(__file__).resolve().parents[1]


def test_every_action_needs_a_capability_of_the_table():
    for action in registry().values():
        assert action.capability in TABLE, action.name


def test_table_names_known_roles_only_and_audiences_follow_it():
    for cap in CAPABILITIES:
        assert cap.roles <= set(ROLES) and cap.roles, cap.name
        assert cap.help.strip()
    assert [audience_of(r) for r in ROLES] == ["private", "console", "private", "public"]
    assert audience_of(None) == "public"


async def test_each_action_refuses_exactly_the_roles_the_table_leaves_out(client):
    """Every action × every role: a 403 exactly where the table says no (an empty payload is
    refused later, by its schema or its meeting, never with a 403)."""
    services = client.app[SERVICES]
    for action in services.actions.values():
        for role in ROLES:
            who = Principal(f"test-{role}", role, "token")
            try:
                await perform(services.actions, services, who, action.name, {"meeting_id": 10**9})
                status = 200
            except ActionError as exc:
                status = exc.status
            assert (status == 403) == (not allowed(role, action.capability)), (action.name, role, status)


async def test_meta_serves_the_table_and_the_pages_ask_it(client):
    resp = await client.get("/api/v1/meta", headers=client.people.auth("secretary"))
    body = await resp.json()
    assert body["permissions"] == as_json() and body["roles"] == list(ROLES)
    scripts = "\n".join(p.read_text("utf-8") for p in (ROOT / "operator_ui" / "static" / "js").glob("*.js"))
    for role in ROLES:
        assert not re.search(rf"[\"']{role}[\"']", scripts), f"a script names the {role} role; ask can(meta, capability)"


@pytest.mark.parametrize("cap", [c.name for c in CAPABILITIES])
def test_the_admin_guide_names_every_capability(cap):
    assert f"`{cap}`" in (ROOT / "docs" / "admin.md").read_text("utf-8")
