"""The planning store on SQLite and PostgreSQL: units and their closure table, imports, calendars and
their projection, meetings' links, the migration over old data, and the schema matching the migrations."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tyndau.actions.meetings import new_draft
from tyndau.domain.calendar_versions import AddVisit, CalendarChange, CancelVisit, MoveVisit, PlannedVisit, check_change, fold
from tyndau.domain.clock import ClockEvent, Instant
from tyndau.domain.unit_changes import edited, merge_units
from tyndau.live.kato_files import read_kato_file
from tyndau.store import clock_log
from tyndau.store.calendars import append_change, calendar_id, load_changes, visit_rows
from tyndau.store.coverage_data import meeting_records
from tyndau.store.engine import create_engine
from tyndau.store.meetings import MeetingLinks, create_meeting, get_meeting
from tyndau.store.migrate import upgrade
from tyndau.store.organisers import ensure_akimat, get_organiser
from tyndau.store.planning_schema import admin_unit_paths
from tyndau.store.units import ancestor_ids, apply_merge, count_within, list_units, load_tree, within

DEMO = Path(__file__).resolve().parents[2] / "config" / "demo" / "units.csv"
REGION, DISTRICT, KOKTOBE, AKBULAK = "990000000", "991600000", "991630200", "991630000"
NOW = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)


@pytest.fixture
async def engine(settings):
    eng = create_engine(settings)
    await upgrade(eng)
    try:
        yield eng
    finally:
        await eng.dispose()


async def _demo_units(engine) -> None:
    report = read_kato_file(DEMO)
    async with engine.begin() as conn:
        merge = merge_units(await list_units(conn), report.units)
        await apply_merge(conn, merge, "kato:units.csv", NOW)


async def test_units_and_their_closure_answer_subtree_and_ancestors(engine):
    await _demo_units(engine)
    async with engine.connect() as conn:
        tree = await load_tree(conn)
        assert len(tree) == 47
        assert await count_within(conn, DISTRICT) == len(tree.subtree(DISTRICT)) == 34
        assert await count_within(conn, REGION) == 47
        assert await count_within(conn, DISTRICT, on=date(2026, 12, 1)) == 33   # с. Коныр abolished after 30 September
        assert await ancestor_ids(conn, KOKTOBE) == (KOKTOBE, AKBULAK, DISTRICT, REGION)
        rows = await conn.scalar(sa.select(sa.func.count()).select_from(admin_unit_paths))
        assert rows == sum(len(tree.ancestors(u.id)) + 1 for u in tree.units.values())
        villages = (await conn.execute(sa.select(sa.literal_column("'x'")).select_from(admin_unit_paths)
                                       .where(within(admin_unit_paths.c.unit_id, AKBULAK), admin_unit_paths.c.depth == 0))).all()
        assert len(villages) == 3                                                   # the rural district and its two villages


async def test_a_second_import_updates_names_and_refuses_a_move(engine):
    await _demo_units(engine)
    report = read_kato_file(DEMO)
    async with engine.begin() as conn:
        stored = await list_units(conn)
        again = merge_units(stored, report.units)
        assert (len(again.new), len(again.changed), len(again.unchanged)) == (0, 0, 47)
        renamed = [edited(u, name_ru="с. Коктобе-2") if u.id == KOKTOBE else u for u in report.units]
        merge = merge_units(stored, renamed)
        write = await apply_merge(conn, merge, "kato:again.csv", NOW)
        assert (write.created, write.updated, write.unchanged) == (0, 1, 46)
        moved = [u if u.id != KOKTOBE else type(u)(u.id, u.kind, u.name_ru, u.name_kk, "991633000", u.kato) for u in report.units]
        refused = merge_units(await list_units(conn), moved)
        assert not refused.ok and refused.refused[0].unit_id == KOKTOBE and "new code" in refused.refused[0].message
        with pytest.raises(ValueError):
            await apply_merge(conn, refused, "x", NOW)
    async with engine.connect() as conn:
        assert (await load_tree(conn)).get(KOKTOBE).name_ru == "с. Коктобе-2"


async def test_a_calendar_is_its_events_and_the_projection_follows(engine):
    await _demo_units(engine)
    async with engine.begin() as conn:
        tree = await load_tree(conn)
        org = await ensure_akimat(conn, tree.get(DISTRICT), NOW)
        assert org.level == "district" and org.name_ru == "Акимат: Бесагашский район"
        assert await ensure_akimat(conn, tree.get(DISTRICT), NOW) == org
        cal = await calendar_id(conn, org.id, 2026, create=True, now=NOW)
        changes = [
            CalendarChange(1, "draft", NOW, "secretary", operations=(AddVisit(PlannedVisit("v1", date(2026, 3, 20), KOKTOBE)),
                                                                      AddVisit(PlannedVisit("v2", date(2026, 5, 5), AKBULAK)))),
            CalendarChange(2, "approve", NOW, "secretary", maslikhat_agreed_on=date(2026, 1, 12), maslikhat_ref="№ 5-1"),
            CalendarChange(3, "adjust", NOW + timedelta(days=1), "secretary", "перенос по погоде",
                           (MoveVisit("v1", date(2026, 4, 2)), CancelVisit("v2")), date(2026, 3, 15), "№ 7-2"),
        ]
        state = fold((), year=2026)
        for change in changes:
            state = check_change(state, change)
            await append_change(conn, cal, org.id, change, state)
    async with engine.connect() as conn:
        stored = await load_changes(conn, cal)
        assert stored == tuple(changes)
        again = fold(stored, year=2026)
        assert again.version == 2 and again.versions[1].reason == "перенос по погоде" and again.versions[1].maslikhat_ref == "№ 7-2"
        rows = await visit_rows(conn, cal)
        assert (rows["v1"].planned_on, rows["v1"].status, rows["v2"].status) == (date(2026, 4, 2), "planned", "cancelled")
    with pytest.raises(sa.exc.IntegrityError):
        async with engine.begin() as conn:   # a second writer with the same seq fails instead of forking the history
            await append_change(conn, cal, org.id, changes[2], state)


async def test_meetings_keep_working_and_gain_links_and_their_end(engine):
    await _demo_units(engine)
    draft = new_draft({"title": "Встреча", "akim_level": "district", "planned_minutes": 60,
                              "starts_at": "2026-03-20T10:00:00+05:00"})
    async with engine.begin() as conn:
        tree = await load_tree(conn)
        org = await ensure_akimat(conn, tree.get(DISTRICT), NOW)
        plain = await create_meeting(conn, draft)
        linked = await create_meeting(conn, draft, MeetingLinks(organiser_id=org.id, place_unit_id=KOKTOBE))
    assert plain.links == MeetingLinks() and plain.to_json()["organiser_id"] is None
    started = datetime(2026, 3, 20, 5, 0, tzinfo=UTC)
    async with engine.begin() as conn:
        events = [ClockEvent(1, "start_presentation", Instant(started, 0.0, "b")), ClockEvent(2, "end", Instant(started + timedelta(hours=1), 3600.0, "b"))]
        await clock_log.append_events(conn, linked.id, tuple(events))
    async with engine.connect() as conn:
        assert (await get_meeting(conn, linked.id)).links.ended_at == started + timedelta(hours=1)
        [record] = await meeting_records(conn, org.id, date(2026, 1, 1), date(2026, 12, 31))
        assert record.held and record.place_unit_id == KOKTOBE and record.on_demand
    async with engine.begin() as conn:   # an undone end is not an end
        await clock_log.append_events(conn, linked.id, (ClockEvent(3, "undo", Instant(started + timedelta(hours=1, seconds=5), 3605.0, "b"), undoes=2),))
    async with engine.connect() as conn:
        assert (await get_meeting(conn, linked.id)).links.ended_at is None
        assert (await get_organiser(conn, org.id)).unit_id == DISTRICT


async def test_the_migration_leaves_old_meetings_valid_and_fills_their_end(settings):
    from tyndau.store.schema import clock_events, meetings

    eng = create_engine(settings)
    try:
        await upgrade(eng, "0007")
        at = datetime(2026, 11, 1, 5, 0)
        async with eng.begin() as conn:
            for mid in (1, 2):
                await conn.execute(sa.text(
                    "INSERT INTO meetings (id, title, title_kk, akim_level, place, starts_at, planned_minutes, stream_links, "
                    "presenter_message, akim_name, created_at, updated_at) VALUES "
                    "(:id, 'Старая встреча', '', 'village', '', :at, 60, '[]', '', '', :at, :at)"), {"id": mid, "at": at})
            for mid, seq, action in ((1, 1, "start_presentation"), (1, 2, "end"), (2, 1, "start_presentation")):
                await conn.execute(sa.insert(clock_events).values(meeting_id=mid, seq=seq, action=action, at=at + timedelta(minutes=seq),
                                                                  mono=float(seq), boot_id="old", actor=""))
        await upgrade(eng)
        async with eng.connect() as conn:
            ended = dict((await conn.execute(sa.select(meetings.c.id, meetings.c.ended_at))).all())
            assert ended == {1: at + timedelta(minutes=2), 2: None}
            assert await conn.scalar(sa.select(sa.func.count()).select_from(clock_events)) == 3   # nothing cascaded away
            old = await get_meeting(conn, 1)
            assert old is not None and old.draft.title == "Старая встреча" and old.links.organiser_id is None
    finally:
        await eng.dispose()


async def test_the_schema_is_what_the_migrations_build(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from tyndau.store.schema import metadata

    async with engine.connect() as conn:
        diff = await conn.run_sync(lambda sync: compare_metadata(MigrationContext.configure(sync), metadata))
    assert diff == []
