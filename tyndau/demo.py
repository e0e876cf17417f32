"""``tyndau demo``: an embedded server with a demo meeting and logins, ready to click through."""

from __future__ import annotations

import argparse
import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from aiohttp import web

from tyndau.actions.meetings import new_draft
from tyndau.config import path as config_path
from tyndau.operator_ui.keys import SERVICES
from tyndau.settings import Settings
from tyndau.store.meetings import create_meeting, list_meetings
from tyndau.store.people import add_user, create_token
from tyndau.timeutil import utcnow

DEMO_TITLE = "Встреча акима Карасайского района с населением"


def demo_settings(args: argparse.Namespace, settings: Settings) -> Settings:
    """The demo's settings: a temporary data dir unless one was given, SQLite unless a URL was given."""
    changes: dict[str, Any] = {}
    if not args.data_dir and "TYNDAU_DATA_DIR" not in os.environ:
        changes["data_dir"] = Path(tempfile.mkdtemp(prefix="tyndau-demo-"))
    # Demo data dirs are temporary; the model cache is not (``Settings.effective_model_cache``).
    return settings.replace(**changes) if changes else settings


async def seed_demo(app: web.Application, settings: Settings, speed: float = 3.0) -> None:
    """Create the demo meeting (once) and fresh demo logins, and print where to go."""
    services = app[SERVICES]
    engine = services.engine
    password = secrets.token_urlsafe(9)
    await add_user(engine, "moderator", "moderator", password, replace=True)
    await add_user(engine, "secretary", "secretary", password, replace=True)
    existing = [m for m in await list_meetings(engine) if m.draft.title == DEMO_TITLE]
    if existing:
        meeting = existing[0]
    else:
        now = utcnow()
        draft = new_draft({
            "title": DEMO_TITLE,
            "title_kk": "Қарасай ауданы әкімінің халықпен кездесуі",
            "akim_level": "district",
            "place": "Каскелен, районный Дом культуры",
            "starts_at": (now + timedelta(minutes=5)).isoformat(),
            "planned_minutes": 120,
            "announced_at": (now - timedelta(days=15)).isoformat(),
            "stream_links": ["https://www.youtube.com/@karasai_akimat/live"],
        })
        async with engine.begin() as conn:
            meeting = await create_meeting(conn, draft)
    from tyndau.planner.demo import seed_demo_round, seed_planning

    # The year's history first: one long write, done before the chat starts writing beside it.
    planning = await seed_planning(services)
    await seed_demo_round(services, meeting.id)
    sources = services.sources
    assert sources is not None, "the app's store context is running"
    if not any(s["kind"] == "replay" for s in await sources.list(meeting.id)):
        chat = Path(str(config_path("demo", "meeting_chat.live_chat.json")))
        await sources.start(meeting.id, "replay", {"path": str(chat), "speed": speed, "max_gap": 20})
    # A district secretary who works in the demo district only (issue 15's scoped workspaces).
    from tyndau.store.scopes import set_scope

    await add_user(engine, "district", "secretary", password, replace=True)
    await set_scope(engine, "district", unit_id=planning.district, organiser_id=None)
    viewer = await create_token(engine, "demo presenter screen", "viewer")
    base = settings.effective_public_url
    print(
        "\n".join([
            "",
            "Tyndau demo is ready.",
            f"  data directory : {settings.data_dir}",
            f"  console        : {base}/console?meeting={meeting.id}",
            f"  login          : moderator / {password}   (also: secretary / {password})",
            f"  presenter      : {base}/presenter/{meeting.id}#token={viewer}",
            f"  stream overlay : {base}/overlay/{meeting.id}#token={viewer}",
            f"  live chat      : a recorded Russian/Kazakh meeting chat is replaying at {speed:g}x into the feed",
            f"  its round      : {base}/round?meeting={meeting.id}   (a reception planned for the next day; the 10-day clock)",
            f"  planner        : {base}/planner?organiser={planning.district}&year={planning.year}   (the Бесагаш district's year: a gap in the matrix)",
            f"  a ministry     : {base}/planner?organiser={planning.ministry}&year={planning.year}",
            *([f"  a past round   : {base}/round?meeting={planning.round_meeting}   (with a reception; its questions are in the review)"]
              if planning.round_meeting else []),
            f"  units          : {base}/units",
            f"  roll-up        : {base}/national   (the nation; log in as district / {password} to see the district's own workspace)",
            "Press Ctrl+C to stop.",
            "",
        ]),
        flush=True,
    )
