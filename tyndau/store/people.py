"""Users, browser sessions and API tokens.

Password hashing runs in a worker thread (scrypt is deliberately slow), and an unknown user name
costs the same hash as a wrong password. Resetting a password, disabling a user or revoking a
token takes effect at the next request: sessions are deleted, and the server closes open sockets.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from tyndau.permissions import ROLES
from tyndau.security import DUMMY_HASH, hash_password, new_token, token_hash, verify_password
from tyndau.store.engine import new_id
from tyndau.store.national_schema import token_scopes, user_scopes
from tyndau.store.schema import api_tokens, sessions, users
from tyndau.store.scopes import Scope, ScopeError, scope_columns, scope_of, scope_token
from tyndau.timeutil import iso, store_time, utcnow


class PeopleError(ValueError):
    """A user or token request that cannot be done (unknown role, duplicate name...)."""


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is acting: a logged-in user or an API token."""

    name: str
    role: str
    kind: str  # "user" or "token"
    scope: Scope | None = None  # None: national (every unit), as before issue 15

    def to_json(self) -> dict[str, object]:
        """The public view of the principal (with its scope when it has one)."""
        body: dict[str, object] = {"name": self.name, "role": self.role, "kind": self.kind}
        if self.scope is not None:
            body["scope"] = self.scope.to_json()
        return body


def _naive(dt: datetime) -> datetime:
    return store_time(dt)


def check_role(role: str) -> None:
    """Refuse unknown roles with the list of known ones."""
    if role not in ROLES:
        raise PeopleError(f"unknown role {role!r}; one of {', '.join(ROLES)}")


async def add_user(engine: AsyncEngine, name: str, role: str, password: str, *, replace: bool = False,
                   password_hash: str | None = None) -> None:
    """Create a user (or reset its password and role with ``replace``, ending its sessions).

    ``password_hash`` is ``hash_password(password)`` made earlier, for callers creating many users
    with one password (scrypt is slow on purpose; the test fixtures make four users per test).
    """
    check_role(role)
    name = name.strip()
    if not name or len(name) > 100:
        raise PeopleError("user name must be 1 to 100 characters")
    if len(password) < 8:
        raise PeopleError("password must be at least 8 characters")
    if password_hash is None:
        password_hash = await asyncio.to_thread(hash_password, password)
    values = {"role": role, "password_hash": password_hash}
    async with engine.begin() as conn:
        existing = await conn.scalar(sa.select(users.c.id).where(users.c.name == name))
        if existing is not None:
            if not replace:
                raise PeopleError(f"user {name!r} exists already")
            await conn.execute(users.update().where(users.c.id == existing).values(**values, disabled=False))
            await conn.execute(sessions.delete().where(sessions.c.user_id == existing))
            return
        await conn.execute(users.insert().values(name=name, created_at=_naive(utcnow()), disabled=False, **values))


async def login(engine: AsyncEngine, name: str, password: str, days: int) -> tuple[str, Principal] | None:
    """Check a password and open a session; returns the cookie value and the principal.

    Unknown and disabled users are checked against a dummy hash, so every refusal costs the same.
    """
    query = sa.select(users, *scope_columns()).outerjoin(user_scopes, user_scopes.c.user_id == users.c.id)
    async with engine.connect() as conn:
        row = (await conn.execute(query.where(users.c.name == name.strip()))).first()
    ok = await asyncio.to_thread(verify_password, password, row.password_hash if row is not None else DUMMY_HASH)
    if row is None or row.disabled or not ok:
        return None
    token = new_token("tys_")
    now = utcnow()
    async with engine.begin() as conn:
        await conn.execute(
            sessions.insert().values(
                token_hash=token_hash(token), user_id=row.id, created_at=_naive(now),
                expires_at=_naive(now + timedelta(days=days)),
            )
        )
    return token, Principal(row.name, row.role, "user", scope_of(row))


async def set_disabled(engine: AsyncEngine, name: str, disabled: bool) -> int:
    """Disable (ending every session) or enable a user; returns its number of ended sessions."""
    async with engine.begin() as conn:
        user_id = await conn.scalar(sa.select(users.c.id).where(users.c.name == name.strip()))
        if user_id is None:
            raise PeopleError(f"no user {name!r}")
        await conn.execute(users.update().where(users.c.id == user_id).values(disabled=disabled))
        if not disabled:
            return 0
        result = await conn.execute(sessions.delete().where(sessions.c.user_id == user_id))
        return result.rowcount or 0


async def end_sessions(engine: AsyncEngine, name: str) -> int:
    """Log a user out everywhere; returns how many sessions were ended."""
    async with engine.begin() as conn:
        user_id = await conn.scalar(sa.select(users.c.id).where(users.c.name == name.strip()))
        if user_id is None:
            raise PeopleError(f"no user {name!r}")
        result = await conn.execute(sessions.delete().where(sessions.c.user_id == user_id))
        return result.rowcount or 0


async def list_users(engine: AsyncEngine) -> list[dict[str, object]]:
    """Every user with role, state and how many live sessions it has (no hashes)."""
    live = (
        sa.select(sessions.c.user_id, sa.func.count().label("n")).where(sessions.c.expires_at > _naive(utcnow()))
        .group_by(sessions.c.user_id).subquery()
    )
    query = (sa.select(users.c.name, users.c.role, users.c.disabled, users.c.created_at, live.c.n, *scope_columns())
             .outerjoin(live, live.c.user_id == users.c.id).outerjoin(user_scopes, user_scopes.c.user_id == users.c.id))
    async with engine.connect() as conn:
        rows = (await conn.execute(query.order_by(users.c.name))).all()
    return [{"name": r.name, "role": r.role, "disabled": bool(r.disabled), "created_at": iso(r.created_at), "sessions": int(r.n or 0),
             **({"scope": sc.to_json()} if (sc := scope_of(r)) else {})} for r in rows]


async def list_tokens(engine: AsyncEngine) -> list[dict[str, object]]:
    """Every API token by name and role, live or revoked (never the secret)."""
    query = sa.select(api_tokens, *scope_columns(token_scopes)).outerjoin(token_scopes, token_scopes.c.token_id == api_tokens.c.id)
    async with engine.connect() as conn:
        rows = (await conn.execute(query.order_by(api_tokens.c.name, api_tokens.c.id))).all()
    return [{"name": r.name, "role": r.role, "created_at": iso(r.created_at), "revoked_at": iso(r.revoked_at),
             **({"scope": sc.to_json()} if (sc := scope_of(r)) else {})} for r in rows]


async def logout(engine: AsyncEngine, session_token: str) -> None:
    """End a browser session."""
    async with engine.begin() as conn:
        await conn.execute(sessions.delete().where(sessions.c.token_hash == token_hash(session_token)))


async def principal_for_session(engine: AsyncEngine, session_token: str) -> Principal | None:
    """The user behind a session cookie, if the session is live."""
    query = (
        sa.select(users.c.name, users.c.role, users.c.disabled, sessions.c.expires_at, *scope_columns())
        .join(users, users.c.id == sessions.c.user_id)
        .outerjoin(user_scopes, user_scopes.c.user_id == users.c.id)
        .where(sessions.c.token_hash == token_hash(session_token))
    )
    async with engine.connect() as conn:
        row = (await conn.execute(query)).first()
    if row is None or row.disabled or row.expires_at < _naive(utcnow()):
        return None
    return Principal(row.name, row.role, "user", scope_of(row))


async def create_token(engine: AsyncEngine, name: str, role: str, *, scope: Scope | None = None) -> str:
    """Issue an API token (scoped to a unit or a central body when given); only its hash is stored."""
    check_role(role)
    if not name.strip() or len(name) > 100:
        raise PeopleError("token name must be 1 to 100 characters")
    token = new_token("tyn_")
    async with engine.begin() as conn:
        try:
            result = await conn.execute(
                api_tokens.insert().values(name=name.strip(), role=role, token_hash=token_hash(token), created_at=_naive(utcnow()))
            )
        except IntegrityError:  # pragma: no cover - a 256-bit collision
            raise PeopleError("token collision, try again") from None
        if scope is not None:
            try:
                await scope_token(conn, new_id(result), unit_id=scope.unit_id, organiser_id=scope.organiser_id)
            except ScopeError as exc:
                raise PeopleError(str(exc)) from None
    return token


async def principal_for_token(engine: AsyncEngine, token: str) -> Principal | None:
    """The holder of a bearer token, unless it was revoked."""
    query = (sa.select(api_tokens, *scope_columns(token_scopes)).outerjoin(token_scopes, token_scopes.c.token_id == api_tokens.c.id)
             .where(api_tokens.c.token_hash == token_hash(token)))
    async with engine.connect() as conn:
        row = (await conn.execute(query)).first()
    if row is None or row.revoked_at is not None:
        return None
    return Principal(row.name, row.role, "token", scope_of(row))


async def revoke_token(engine: AsyncEngine, name: str) -> int:
    """Revoke every live token with this name; returns how many."""
    async with engine.begin() as conn:
        result = await conn.execute(
            api_tokens.update().where(api_tokens.c.name == name, api_tokens.c.revoked_at.is_(None)).values(revoked_at=_naive(utcnow()))
        )
        return result.rowcount or 0
