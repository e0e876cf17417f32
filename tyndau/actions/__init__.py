"""Operator actions: small named commands with a payload check and a role check.

The HTTP API and the socket.io namespaces both call :func:`perform`, so a permission or a
validation rule exists in exactly one place, and every change is audited by the action itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Awaitable, Callable, Mapping

from tyndau.store.people import Principal


class ActionError(Exception):
    """A refused action, with an HTTP status and a stable code for clients."""

    def __init__(self, status: int, code: str, message: str, fields: Mapping[str, str] | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = dict(fields or {})
        self.extra = extra

    def to_json(self) -> dict[str, Any]:
        """The error body every client sees."""
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.fields:
            body["fields"] = self.fields
        return body


Handler = Callable[[Any, Principal, Mapping[str, Any]], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class Action:
    """A named operator command and the roles allowed to run it."""

    name: str
    roles: frozenset[str]
    handler: Handler = field(repr=False)


def registry() -> Mapping[str, Action]:
    """Every action, by name (built on call: no import-time global state)."""
    from tyndau.actions import calendar, central, clock, compliance, feed, meetings, organisers, participation, review, review_bulk, rounds, units

    actions = [*clock.ACTIONS, *meetings.ACTIONS, *feed.ACTIONS, *review.ACTIONS, *review_bulk.ACTIONS,
               *units.ACTIONS, *organisers.ACTIONS, *calendar.ACTIONS, *rounds.ACTIONS, *participation.ACTIONS,
               *central.ACTIONS, *compliance.ACTIONS]
    return MappingProxyType({a.name: a for a in actions})


def require_role(who: Principal | None, roles: frozenset[str]) -> Principal:
    """401 without a principal, 403 with the wrong role."""
    if who is None:
        raise ActionError(401, "unauthorized", "log in or send an API token")
    if who.role not in roles:
        raise ActionError(403, "forbidden", f"the {who.role} role may not do this")
    return who


async def perform(actions: Mapping[str, Action], services: Any, who: Principal | None, name: str, payload: Mapping[str, Any]) -> Any:
    """Run an action by name after the role check."""
    action = actions.get(name)
    if action is None:
        raise ActionError(404, "unknown_action", f"no action {name!r}")
    principal = require_role(who, action.roles)
    if not isinstance(payload, Mapping):
        raise ActionError(400, "bad_request", "the payload must be a JSON object")
    if principal.scope is not None:
        from tyndau.actions.scope_check import check_action

        await check_action(services.engine, principal.scope, name, payload)
    return await action.handler(services, principal, payload)


def meeting_id_of(payload: Mapping[str, Any]) -> int:
    """The meeting id from a payload, validated."""
    value = payload.get("meeting_id")
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ActionError(400, "bad_request", "meeting_id must be a positive integer", {"meeting_id": "a positive integer"})
    return value
