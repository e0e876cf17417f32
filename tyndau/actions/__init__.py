"""Operator actions: small named commands, each with a payload schema and a capability.

The HTTP API and the socket.io namespaces both call :func:`perform`, so a permission or a
validation rule exists in exactly one place, and every change is audited by the action itself.
The schemas are also the request bodies of the OpenAPI document (``operator_ui/openapi.py``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from tyndau.actions.errors import ActionError
from tyndau.actions.schema import Payload, parse
from tyndau.permissions import TABLE, allowed
from tyndau.store.people import Principal

if TYPE_CHECKING:
    from tyndau.actions.context import ActionContext

__all__ = ["Action", "ActionError", "perform", "registry", "require"]

Handler = Callable[["ActionContext", Principal, Any], Awaitable[Any]]
# Reads what a schema's validators need beyond the payload (a meeting's date, say); never raises.
ContextHook = Callable[["ActionContext", Mapping[str, Any]], Awaitable[Mapping[str, Any]]]


@dataclass(frozen=True, slots=True)
class Action:
    """A named operator command: the capability it needs, its payload schema and its handler."""

    name: str
    capability: str
    handler: Handler = field(repr=False)
    payload: type[Payload] = field(repr=False)
    context: ContextHook | None = field(default=None, repr=False)

    @property
    def summary(self) -> str:
        """The handler's one-line docstring (the OpenAPI summary)."""
        return (self.handler.__doc__ or self.name).strip().splitlines()[0]


def registry() -> Mapping[str, Action]:
    """Every action, by name (built on call: no import-time global state)."""
    from tyndau.actions import calendar, central, clock, compliance, feed, meetings, organisers, participation, review, review_bulk, rounds, units

    actions = [*clock.ACTIONS, *meetings.ACTIONS, *feed.ACTIONS, *review.ACTIONS, *review_bulk.ACTIONS,
               *units.ACTIONS, *organisers.ACTIONS, *calendar.ACTIONS, *rounds.ACTIONS, *participation.ACTIONS,
               *central.ACTIONS, *compliance.ACTIONS]
    return MappingProxyType({a.name: a for a in actions})


def require(who: Principal | None, capability: str) -> Principal:
    """401 without a principal, 403 when its role lacks the capability (see :mod:`tyndau.permissions`)."""
    if capability not in TABLE:
        raise KeyError(f"unknown capability {capability!r}")
    if who is None:
        raise ActionError(401, "unauthorized", "log in or send an API token")
    if not allowed(who.role, capability):
        raise ActionError(403, "forbidden", f"the {who.role} role may not do this")
    return who


async def perform(actions: Mapping[str, Action], services: ActionContext, who: Principal | None, name: str, payload: Any) -> Any:
    """Run an action by name: the capability, then the schema (with the app's vocabulary), then the handler."""
    action = actions.get(name)
    if action is None:
        raise ActionError(404, "unknown_action", f"no action {name!r}")
    principal = require(who, action.capability)
    if not isinstance(payload, Mapping):
        raise ActionError(400, "bad_request", "the payload must be a JSON object")
    if principal.scope is not None:
        from tyndau.actions.scope_check import check_action

        await check_action(services.engine, principal.scope, name, payload)
    context: dict[str, Any] = {"vocabulary": services.vocabulary}
    if action.context is not None:
        context.update(await action.context(services, payload))
    return await action.handler(services, principal, parse(action.payload, payload, context))
