"""Who may do what: the roles, and one table of capabilities with the roles that hold each.

The server checks a capability on every HTTP route, action and socket.io event; the pages get
the same table from ``/api/v1/meta`` and ask "may I <capability>?", so a rule is written once.
Adding a role is a line in :data:`ROLES`, its name in the UI catalogues, and the capabilities it
holds below.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

ROLES: tuple[str, ...] = ("admin", "moderator", "secretary", "viewer")
ROLE_HELP: Mapping[str, str] = MappingProxyType({
    "admin": "everything, including the audit log, users and tokens",
    "moderator": "meetings, the clock, presenter messages, the feed on air and the sources",
    "secretary": "the feed, the review workspace and the publication documents; contacts and audited reveals",
    "viewer": "read-only: the presenter screen and the stream overlay",
})
Audience = Literal["public", "console", "private"]


@dataclass(frozen=True, slots=True)
class Capability:
    """A thing a principal may do, the roles that may do it, and what it covers (for the docs)."""

    name: str
    roles: frozenset[str]
    help: str


def _cap(name: str, roles: str, help_text: str) -> Capability:
    return Capability(name, frozenset(roles.split()), help_text)


CAPABILITIES: tuple[Capability, ...] = (
    _cap("read", "admin moderator secretary viewer", "see meetings, the clock, the timing record, the redacted feed and the problems"),
    _cap("meeting.edit", "admin moderator", "create meetings and change their plan"),
    _cap("clock.run", "admin moderator", "switch the clock's phases, undo, and write the presenter-screen message"),
    _cap("feed.moderate", "admin moderator secretary", "pin, unpin, hide and unhide comments; type in a hall question"),
    _cap("feed.on_air", "admin moderator", "put a question on screen and mark it answered"),
    _cap("comments.import", "admin moderator secretary", "post comments through the API and import files of pooled requests"),
    _cap("comments.private", "admin secretary", "see hall askers' and requesters' names and contacts; reveal a comment's original (audited)"),
    _cap("sources.run", "admin moderator", "start and stop the comment sources of a meeting"),
    _cap("review.decide", "admin moderator secretary", "edit, merge, split, move, classify, accept and dismiss problems; the triage queue"),
    _cap("report.export", "admin moderator secretary", "the 10-day package, the quarterly report, the dashboard, and the akim's name on them"),
    _cap("planning.read", "admin moderator secretary", "the units, organisers, calendars, coverage, rounds, the roll-up, the central list and the compliance monitor"),
    _cap("planning.edit", "admin secretary", "import and edit units, add organisers, change and approve calendars, publish rounds"),
    _cap("planning.organise", "admin moderator secretary", "meetings from the calendar, receptions, the commission, attendance and a meeting's planning links"),
    _cap("central.update", "admin secretary", "update a central-level item's analysis, amount, proposal and responsible body"),
    _cap("progress.submit", "admin secretary", "record that a unit's quarterly progress report was submitted"),
    _cap("people.manage", "admin", "list, disable and enable users; end sessions; revoke tokens"),
    _cap("audit.read", "admin", "read the audit log"),
)
TABLE: Mapping[str, Capability] = MappingProxyType({c.name: c for c in CAPABILITIES})


def allowed(role: str | None, capability: str) -> bool:
    """Whether ``role`` holds ``capability`` (an unknown capability is a programming error)."""
    return role is not None and role in TABLE[capability].roles


def capabilities_of(role: str | None) -> list[str]:
    """The capabilities a role holds, in table order."""
    return [c.name for c in CAPABILITIES if role is not None and role in c.roles]


def audience_of(role: str | None) -> Audience:
    """How much of a comment a role may see: names and contacts (private), a console's, or the public's."""
    if allowed(role, "comments.private"):
        return "private"
    return "console" if allowed(role, "feed.on_air") else "public"


def as_json() -> dict[str, list[str]]:
    """The table for the pages: capability → roles."""
    return {c.name: sorted(c.roles, key=ROLES.index) for c in CAPABILITIES}
