"""The ``tyndau`` command: serve, demo, users and tokens, and (later) ingestion and NLP.

Every failure a user can cause (bad setting, unusable database, taken port, unknown role) ends
with one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import logging
import os
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from tyndau.permissions import ROLES
from tyndau.settings import Settings, SettingsError, load_settings, load_table
from tyndau.store.engine import Engine, StoreError, check_connection, create_engine, describe_error
from tyndau.store.people import PeopleError

Command = Callable[[argparse.Namespace, Settings], Awaitable[int]]


class CliError(Exception):
    """A user-facing error: printed as one line, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", help="data directory (env TYNDAU_DATA_DIR)")
    common.add_argument("--database-url", help="database URL, e.g. postgresql+asyncpg://... (env TYNDAU_DATABASE_URL)")
    common.add_argument("--config", type=Path, help="a TOML file with settings (env TYNDAU_CONFIG)")
    common.add_argument("--log-level", choices=["DEBUG", "INFO", "WARNING", "ERROR"], help="logging level")

    parser = argparse.ArgumentParser(prog="tyndau", description="Live operations for akims' public meetings with citizens.", parents=[common])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", parents=[common], help="run the server")
    serve.add_argument("--host", help="listen address (env TYNDAU_HOST)")
    serve.add_argument("--port", type=int, help="listen port (env TYNDAU_PORT)")
    serve.add_argument("--role", dest="process_role", choices=["all", "web"], help="all (default): serve and run the labeller and sources (under leases "
                       "when several processes share PostgreSQL); web: serve only (env TYNDAU_ROLE)")
    serve.set_defaults(run=_serve)

    demo = sub.add_parser("demo", parents=[common], help="run the server with a demo meeting and a demo login (SQLite in a temporary data dir)")
    demo.add_argument("--host", help="listen address")
    demo.add_argument("--port", type=int, help="listen port (default 8080)")
    demo.add_argument("--speed", type=float, default=3.0, help="replay speed of the demo chat (1 = real time; default 3)")
    demo.set_defaults(run=_demo)

    user = sub.add_parser("user", parents=[common], help="manage people who log in").add_subparsers(dest="user_command", required=True, metavar="ACTION")
    add = user.add_parser("add", parents=[common], help="add a user (or --replace to reset one)")
    add.add_argument("name")
    add.add_argument("--role", required=True, help=", ".join(ROLES))
    add.add_argument("--password", help="the password (default: env TYNDAU_PASSWORD, else asked)")
    add.add_argument("--replace", action="store_true", help="reset the password and role of an existing user")
    add.set_defaults(run=_user_add)
    for verb, text in (("disable", "disable a user and end all its sessions (open consoles are cut off within seconds)"),
                       ("enable", "let a disabled user log in again"),
                       ("logout", "end every session of a user (it must log in again)")):
        cmd = user.add_parser(verb, parents=[common], help=text)
        cmd.add_argument("name")
        cmd.set_defaults(run=_user_state, verb=verb)
    user.add_parser("list", parents=[common], help="list users: role, disabled, live sessions, scope").set_defaults(run=_user_list)
    scope = user.add_parser("scope", parents=[common], help="limit a user to a unit and everything below it, or to a central body")
    scope.add_argument("name")
    where = scope.add_mutually_exclusive_group(required=True)
    where.add_argument("--unit", help="the unit's id (KATO code): the user reads its subtree and changes its own unit's data")
    where.add_argument("--body", help="a central body's organiser id: the user works on its meetings and its central-level problems")
    where.add_argument("--national", action="store_true", help="remove the scope: the user sees every unit again")
    scope.set_defaults(run=_user_scope)

    token = sub.add_parser("token", parents=[common], help="manage API tokens").add_subparsers(dest="token_command", required=True, metavar="ACTION")
    create = token.add_parser("create", parents=[common], help="create an API token and print it")
    create.add_argument("--role", required=True, help=", ".join(ROLES))
    create.add_argument("--name", required=True, help="what the token is for, e.g. 'vk-bridge'")
    create.add_argument("--unit", help="scope the token to a unit and everything below it (its id / KATO code)")
    create.add_argument("--body", help="scope the token to a central body (an organiser id)")
    create.set_defaults(run=_token_create)
    revoke = token.add_parser("revoke", parents=[common], help="revoke every token with a name")
    revoke.add_argument("--name", required=True)
    revoke.set_defaults(run=_token_revoke)

    db = sub.add_parser("db", parents=[common], help="database maintenance").add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db.add_parser("upgrade", parents=[common], help="apply pending migrations").set_defaults(run=_db_upgrade)

    sub.add_parser("settings", parents=[common], help="print every setting with its value and help").set_defaults(run=_settings)
    sub.add_parser("roles", parents=[common], help="print every capability, the roles that hold it, and what it covers").set_defaults(run=_roles)

    from tyndau.ingest_cli import add_parser as add_ingest
    from tyndau.nlp_cli import add_parser as add_nlp

    add_ingest(sub, common, _ingest)
    add_nlp(sub, common, _nlp_eval, _nlp_relabel)

    from tyndau.report_cli import add_parser as add_report

    add_report(sub, common, _report)
    return parser


def resolve_settings(args: argparse.Namespace, env: dict[str, str] | None = None) -> Settings:
    """Settings from the table, ``--config``, the environment and the flags."""
    env = dict(os.environ if env is None else env)
    config = args.config or (Path(env["TYNDAU_CONFIG"]) if env.get("TYNDAU_CONFIG") else None)
    overrides: dict[str, Any] = {
        "data_dir": args.data_dir,
        "database_url": args.database_url,
        "log_level": args.log_level,
        "host": getattr(args, "host", None),
        "port": getattr(args, "port", None),
        "role": getattr(args, "process_role", None),  # `--role` of `user add` / `token create` is a person's role
    }
    return load_settings(config_file=config, env=env, overrides=overrides)


@contextlib.asynccontextmanager
async def open_store(settings: Settings) -> AsyncIterator[Engine]:
    """An engine on a migrated store, for commands that do not run the server."""
    from tyndau.store.migrate import upgrade

    engine = create_engine(settings)
    try:
        await check_connection(engine)
        try:
            await upgrade(engine)
        except Exception as exc:  # noqa: BLE001 - reported as one line
            raise StoreError(describe_error(exc, engine)) from None
        yield engine
    finally:
        await engine.dispose()


async def run_server(settings: Settings, *, on_ready: Callable[[Any], Awaitable[None]] | None = None) -> int:
    """Serve until SIGINT/SIGTERM; start-up failures become one-line errors."""
    from aiohttp import web

    from tyndau.operator_ui.app import create_app

    app = create_app(settings)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    try:
        await runner.setup()
    except StoreError as exc:
        await runner.cleanup()
        raise CliError(str(exc)) from None
    site = web.TCPSite(runner, settings.host, settings.port)
    try:
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        raise CliError(f"cannot listen on {settings.host}:{settings.port}: {exc.strerror or exc}; choose another --port") from None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    print(f"Tyndau is listening on {settings.effective_public_url}", flush=True)
    try:
        if on_ready is not None:
            await on_ready(app)
        await stop.wait()
    finally:
        await runner.cleanup()
    return 0


async def _serve(args: argparse.Namespace, settings: Settings) -> int:
    return await run_server(settings)


async def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from tyndau.demo import demo_settings, seed_demo

    settings = demo_settings(args, settings)

    async def ready(app: Any) -> None:
        await seed_demo(app, settings, speed=args.speed)

    return await run_server(settings, on_ready=ready)


def _read_password(args: argparse.Namespace) -> str:
    if args.password:
        return str(args.password)
    if os.environ.get("TYNDAU_PASSWORD"):
        return os.environ["TYNDAU_PASSWORD"]
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Repeat: "):
            raise CliError("the passwords differ")
        return first
    line = sys.stdin.readline().rstrip("\n")
    if not line:
        raise CliError("no password: pass --password, set TYNDAU_PASSWORD or type it on stdin")
    return line


async def _user_add(args: argparse.Namespace, settings: Settings) -> int:
    from tyndau.store.people import add_user, check_role

    check_role(args.role)
    password = _read_password(args)
    async with open_store(settings) as engine:
        await add_user(engine, args.name, args.role, password, replace=args.replace)
    print(f"user {args.name!r} ({args.role}) {'updated' if args.replace else 'added'}")
    return 0


async def _user_state(args: argparse.Namespace, settings: Settings) -> int:
    from tyndau.store.people import end_sessions, set_disabled

    async with open_store(settings) as engine:
        if args.verb == "logout":
            ended = await end_sessions(engine, args.name)
        else:
            ended = await set_disabled(engine, args.name, args.verb == "disable")
    done = {"disable": "disabled", "enable": "enabled", "logout": "logged out everywhere"}[args.verb]
    print(f"user {args.name!r} {done}" + (f"; {ended} session(s) ended" if args.verb != "enable" else ""))
    return 0


async def _user_list(args: argparse.Namespace, settings: Settings) -> int:
    from tyndau.store.people import list_users

    async with open_store(settings) as engine:
        for u in await list_users(engine):
            scope = u.get("scope") or {}
            where = scope.get("unit_id") or scope.get("organiser_id") or "national"  # type: ignore[union-attr]
            print(f"{u['name']}\t{u['role']}\t{'disabled' if u['disabled'] else 'active'}\t{u['sessions']} session(s)\t{where}")
    return 0


async def _user_scope(args: argparse.Namespace, settings: Settings) -> int:
    from tyndau.store.scopes import ScopeError, set_scope

    async with open_store(settings) as engine:
        try:
            scope = await set_scope(engine, args.name, unit_id=args.unit, organiser_id=args.body)
        except ScopeError as exc:
            raise CliError(str(exc)) from None
    where = "national" if scope is None else (f"unit {scope.unit_id}" if scope.unit_id else f"central body {scope.organiser_id}")
    print(f"user {args.name!r} scoped: {where} (open sessions follow within seconds)")
    return 0


async def _token_create(args: argparse.Namespace, settings: Settings) -> int:
    from tyndau.store.people import create_token
    from tyndau.store.scopes import Scope

    async with open_store(settings) as engine:
        scope = Scope(args.unit, args.body) if args.unit or args.body else None
        token = await create_token(engine, args.name, args.role, scope=scope)
    print(token)
    return 0


async def _token_revoke(args: argparse.Namespace, settings: Settings) -> int:
    from tyndau.store.people import revoke_token

    async with open_store(settings) as engine:
        count = await revoke_token(engine, args.name)
    print(f"revoked {count} token(s) named {args.name!r}")
    return 0


async def _db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    async with open_store(settings) as engine:
        print(f"database at {engine.url.render_as_string(hide_password=True)} is up to date")
    return 0


def _ingest(kind: str) -> Command:
    async def run(args: argparse.Namespace, settings: Settings) -> int:
        from tyndau.ingest_cli import IngestError, ingest

        async with open_store(settings) as engine:
            try:
                return await ingest(kind, args, settings, engine)
            except IngestError as exc:
                raise CliError(str(exc)) from None

    return run


async def _nlp_eval(args: argparse.Namespace, settings: Settings) -> int:
    from tyndau.nlp_cli import evaluate

    return evaluate(args, settings)


async def _nlp_relabel(args: argparse.Namespace, settings: Settings) -> int:
    from tyndau.nlp_cli import relabel

    async with open_store(settings) as engine:
        try:
            return await relabel(args.meeting, settings, engine)
        except LookupError as exc:
            raise CliError(str(exc).strip("'\"")) from None


def _report(kind: str) -> Command:
    async def run(args: argparse.Namespace, settings: Settings) -> int:
        from tyndau.report_cli import ReportError, build

        async with open_store(settings) as engine:
            try:
                return await build(kind, args, settings, engine)
            except ReportError as exc:
                raise CliError(str(exc)) from None

    return run


async def _settings(args: argparse.Namespace, settings: Settings) -> int:
    for name, spec in load_table().items():
        print(f"{name} = {getattr(settings, name)!s}\n    {spec.help} (env TYNDAU_{name.upper()})")
    return 0


async def _roles(args: argparse.Namespace, settings: Settings) -> int:
    from tyndau.permissions import CAPABILITIES, ROLE_HELP

    for role in ROLES:
        print(f"{role}: {ROLE_HELP.get(role, '')}")
    for cap in CAPABILITIES:
        print(f"{cap.name} = {', '.join(r for r in ROLES if r in cap.roles)}\n    {cap.help}")
    return 0


def _run(coro: Awaitable[int]) -> int:
    """Run on uvloop where it is installed (a faster event loop for the server), else asyncio."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)  # type: ignore[arg-type]
    return uvloop.run(coro)  # type: ignore[arg-type]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``tyndau`` command."""
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        if getattr(args, "nlp_command", None) != "eval":
            parser.error(f"unrecognized arguments: {' '.join(unknown)}")
        args.rest = [*args.rest, *unknown]  # ``tyndau nlp eval`` has its own argument parser
    try:
        settings = resolve_settings(args)
        logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        logging.getLogger("alembic").setLevel(logging.WARNING)
        return _run(args.run(args, settings))
    except (CliError, SettingsError, StoreError, PeopleError) as exc:
        print(f"tyndau: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
