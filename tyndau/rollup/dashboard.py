"""The roll-up dashboard of a unit (or the nation) for a period: the same figures at every level.

Totals, one line per child unit (and the unit's own meetings), per category, per executor, per
competence and per quarter; meetings planned and held. The child lines and the own line add up to
the total (the test checks it), because every meeting has exactly one unit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tyndau.rollup.figures import Line, fold, pct, total
from tyndau.store.engine import Connection
from tyndau.store.rollup import Period, child_units, scope_rows
from tyndau.store.units import get_unit, unit_json

TOP_EXECUTORS = 30


async def rollup(conn: Connection, unit_id: str | None, period: Period, *,
                 category_names: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, Any]:
    """Everything the dashboard page, the exports and the national summary read for one scope."""
    unit = await get_unit(conn, unit_id) if unit_id is not None else None
    children = await child_units(conn, unit_id)
    rows, counts = await scope_rows(conn, unit_id, period)
    lines = fold(rows["unit"])
    whole = total(rows["all"])
    units = []
    for child in children:
        planned, held = counts.by_child.get(child.id, (0, 0))
        line = lines.get(child.id)
        units.append({"unit_id": child.id, "name_ru": child.name_ru, "name_kk": child.name_kk, "kind": child.kind, "own": False,
                      "meetings_planned": planned, "meetings_held": held,
                      **(line or Line(child.id)).to_json(), "key": child.id})
    if unit is not None and (unit.id in lines or unit.id in counts.by_child):
        planned, held = counts.by_child.get(unit.id, (0, 0))
        line = lines.get(unit.id) or Line(unit.id)
        units.append({"unit_id": unit.id, "name_ru": unit.name_ru, "name_kk": unit.name_kk, "kind": unit.kind, "own": True,
                      "meetings_planned": planned, "meetings_held": held, **line.to_json(), "key": unit.id})
    names = category_names or {}
    categories = [{**line.to_json(), "name_ru": names.get(line.key, {}).get("ru", line.key),
                   "name_kk": names.get(line.key, {}).get("kk", line.key)}
                  for line in sorted(fold(rows["category"]).values(), key=lambda x: (-x.problems, x.key))]
    executors = sorted(fold(rows["executor"]).values(), key=lambda x: (-x.problems, x.key))
    quarters = sorted(fold(rows["quarter"]).values(), key=lambda x: x.key)
    competences = sorted(fold(rows["competence"]).values(), key=lambda x: x.key)
    ranking = [u["unit_id"] for u in sorted(units, key=lambda u: (u["problems"] == 0, -(u["resolved"] / u["problems"] if u["problems"] else 0), u["unit_id"]))
               if u["problems"]]
    return {
        "unit": unit_json(unit) if unit is not None else None,
        "period": period.to_json(),
        "meetings": {"planned": counts.planned, "held": counts.held, "held_pct": pct(counts.held, counts.planned)},
        "total": whole.to_json(),
        "units": units,
        "ranking": ranking,
        "categories": categories,
        "executors": [x.to_json() for x in executors[:TOP_EXECUTORS]],
        "executors_more": max(0, len(executors) - TOP_EXECUTORS),
        "quarters": [x.to_json() for x in quarters],
        "competences": [x.to_json() for x in competences],
    }

