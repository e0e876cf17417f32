"""Small builders shared by the calendar tests: Almaty instants, units, the demo tree."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path

from tyndau.domain.units import AdminUnit, UnitTree, build_tree
from tyndau.live.kato_files import read_kato_file
from tyndau.timeutil import ALMATY

DEMO_UNITS = Path(__file__).resolve().parents[2] / "config" / "demo" / "units.csv"
REGION, DISTRICT, CITY, NEW_DISTRICT = "990000000", "991600000", "991100000", "991800000"


def almaty(y: int, m: int, d: int, h: int = 10, minute: int = 0) -> datetime:
    """An aware instant given as Almaty wall time."""
    return datetime(y, m, d, h, minute, tzinfo=ALMATY)


def unit(id: str, kind: str, parent: str | None = None, *, start: date | None = None, end: date | None = None,
         name: str = "") -> AdminUnit:
    """A unit with a made-up name."""
    return AdminUnit(id, kind, name or f"{kind} {id}", f"{kind} {id} kk", parent, None, start, end)


@cache
def demo_tree() -> UnitTree:
    """The shipped demo region (loaded once per test session through the real loader)."""
    return read_kato_file(DEMO_UNITS).tree()


def small_district() -> UnitTree:
    """A region with one district: two rural districts with two villages each, and a district city."""
    units = [
        unit("R", "region"), unit("D", "district", "R"), unit("DC", "district_city", "D"),
        unit("RD1", "rural_district", "D"), unit("V11", "village", "RD1"), unit("V12", "village", "RD1"),
        unit("RD2", "rural_district", "D"), unit("V21", "village", "RD2"), unit("S22", "settlement", "RD2"),
    ]
    return build_tree(units)
