"""A small hierarchy for the roll-up and scope tests: a region, two districts, rural districts under them.

    R  Акжайлауская область (region)            own meeting M_R (Q1, held)
    ├── D1 Бесагашский район                    M_D1 (Q1, held), M_D1b (Q2, planned), M_D1old (2025)
    │   ├── A1 Коктобе с.о.                     M_A1 (Q2, held)
    │   └── B1 Акбулак с.о.                     M_B1 (Q3, held)
    └── D2 Соседний район (NEIGHBOUR marker)    M_D2 (Q1, held)
        └── A2 Жанатурмыс с.о.                  M_A2 (Q2, held)

Problems are written with fixed statuses, categories, executors and sums, so the tests can hold
every roll-up figure against numbers worked out by hand in their docstrings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tyndau.actions.meetings import new_draft
from tyndau.store.meetings import MeetingLinks, create_meeting
from tyndau.store.organisers import ensure_akimat
from tyndau.store.planning_schema import admin_unit_paths, admin_units
from tyndau.store.problems import create_problem
from tyndau.store.schema import comments, meetings, problem_status_log
from tyndau.store.units import get_unit
from tyndau.timeutil import store_time

NEIGHBOUR = "СОСЕДТАЙНА"  # appears in every text of district D2's data: no D1 answer may contain it
UNITS = (  # id, kind, parent, name
    ("R", "region", None, "Акжайлауская область"),
    ("D1", "district", "R", "Бесагашский район"),
    ("A1", "rural_district", "D1", "Коктобинский сельский округ"),
    ("B1", "rural_district", "D1", "Акбулакский сельский округ"),
    ("D2", "district", "R", f"Соседний район {NEIGHBOUR}"),
    ("A2", "rural_district", "D2", f"Жанатурмысский сельский округ {NEIGHBOUR}"),
)
LEVEL = {"region": "region", "district": "district", "rural_district": "rural_district"}
MEETINGS = (  # key, organiser (unit), starts (UTC), ended
    ("M_R", "R", datetime(2026, 2, 10, 5, 0), True),
    ("M_D1", "D1", datetime(2026, 3, 3, 5, 0), True),
    ("M_D1b", "D1", datetime(2026, 5, 20, 5, 0), False),
    ("M_D1old", "D1", datetime(2025, 11, 5, 5, 0), True),
    ("M_A1", "A1", datetime(2026, 4, 15, 5, 0), True),
    ("M_B1", "B1", datetime(2026, 8, 12, 5, 0), True),
    ("M_D2", "D2", datetime(2026, 1, 28, 5, 0), True),
    ("M_A2", "A2", datetime(2026, 6, 2, 5, 0), True),
)
# meeting, status, category, executor, need, allocated, central, accepted, merged
PROBLEMS = (
    ("M_R", "resolved", "roads", "Управление дорог", 100, 100, False, True, False),
    ("M_R", "budget_revision", "water", "Управление водоснабжения", 500, 0, True, True, False),
    ("M_D1", "resolved", "roads", "Отдел ЖКХ", 40, 40, False, True, False),
    ("M_D1", "in_progress", "water", "Отдел ЖКХ", 60, 20, False, True, False),
    ("M_D1", "resolved", "roads", "Отдел ЖКХ", None, None, False, False, False),   # a draft: not counted
    ("M_D1b", "no_design_documents", "schools", "Отдел образования", 300, None, True, True, False),
    ("M_D1old", "resolved", "roads", "Отдел ЖКХ", 999, 999, False, True, False),   # 2025: outside the period
    ("M_A1", "resolved", "water", "Аким с.о.", 10, 10, False, True, False),
    ("M_A1", "not_supported", "roads", "Аким с.о.", 25, None, False, True, False),
    ("M_A1", "resolved", "water", "Аким с.о.", 10, 10, False, True, True),          # merged: not counted
    ("M_B1", "in_progress", "schools", "Отдел образования", 70, 35, False, True, False),
    ("M_D2", "resolved", "roads", f"Отдел {NEIGHBOUR}", 80, 80, False, True, False),
    ("M_D2", "in_progress", "water", f"Отдел {NEIGHBOUR}", 120, 30, True, True, False),
    ("M_A2", "resolved", "schools", f"Аким {NEIGHBOUR}", 15, 15, False, True, False),
)


@dataclass
class Hierarchy:
    """Ids of what was written."""

    meetings: dict[str, int] = field(default_factory=dict)
    problems: list[int] = field(default_factory=list)
    comments: dict[str, int] = field(default_factory=dict)


async def build(engine: Any) -> Hierarchy:
    """Write the hierarchy, its akimats, meetings (held ones ended), problems and one comment each."""
    now = datetime(2026, 1, 5, tzinfo=UTC)
    out = Hierarchy()
    async with engine.begin() as conn:
        for i, (uid, kind, parent, name) in enumerate(UNITS):
            await conn.execute(admin_units.insert().values(id=uid, kind=kind, name_ru=name, name_kk=name + " (kk)", parent_id=parent,
                                                           kato=f"99{i:07d}", source="test", created_at=store_time(now), updated_at=store_time(now)))
            chain = [uid]
            while (up := next(u[2] for u in UNITS if u[0] == chain[-1])) is not None:
                chain.append(up)
            await conn.execute(admin_unit_paths.insert(), [{"ancestor_id": a, "unit_id": uid, "depth": d} for d, a in enumerate(chain)])
        for uid, *_ in UNITS:
            unit = await get_unit(conn, uid)
            assert unit is not None
            await ensure_akimat(conn, unit, now)
        for key, organiser, starts, ended in MEETINGS:
            marker = f" {NEIGHBOUR}" if organiser in ("D2", "A2") else ""
            draft = new_draft({"title": f"Встреча {key}{marker}", "akim_level": LEVEL[dict((u[0], u[1]) for u in UNITS)[organiser]],
                                      "planned_minutes": 120, "starts_at": starts.replace(tzinfo=UTC).isoformat(),
                                      "place": f"Дом культуры{marker}"})
            meeting = await create_meeting(conn, draft, MeetingLinks(organiser_id=organiser, place_unit_id=organiser))
            out.meetings[key] = meeting.id
            if ended:
                await conn.execute(meetings.update().where(meetings.c.id == meeting.id).values(
                    ended_at=starts.replace(hour=7), presentation_seconds=1500.0))
            result = await conn.execute(comments.insert().values(
                meeting_id=meeting.id, source="file", dedup_key=f"k-{key}", author=f"Житель{marker}", text=f"Вопрос {key}{marker}",
                created_at=starts, received_at=starts, kind="request", extra={}, flags=[], throttled=False, hidden=False, version=1,
                needs_review=False))
            out.comments[key] = int(result.inserted_primary_key[0])
        merged_target: int | None = None
        for key, status, category, executor, need, allocated, central, accepted, merged in PROBLEMS:
            marker = f" {NEIGHBOUR}" if key in ("M_D2", "M_A2") else ""
            pid = await create_problem(conn, out.meetings[key], origin="human", title_ru=f"Проблема {key} {category}{marker}",
                                       category=category, executor=executor, status=status, funding_need=need,
                                       funding_allocated=allocated, central_list=central, accepted=accepted,
                                       competence="central" if central else "local",
                                       merged_into=merged_target if merged else None)
            merged_target = merged_target or pid
            out.problems.append(pid)
            await conn.execute(problem_status_log.insert().values(problem_id=pid, status=status, at=store_time(now)))
    return out

