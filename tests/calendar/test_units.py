"""The unit tree: kinds and akim levels, lookups, lifetimes, and every inconsistency reported."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tyndau.domain.calendar_rules import VISIT_RULES
from tyndau.domain.meeting import AKIM_LEVELS, NOTICE_DAYS
from tyndau.domain.units import UNIT_KINDS, AdminUnit, UnitTreeError, build_tree

from .helpers import small_district, unit


def test_every_kind_maps_onto_an_existing_akim_level_and_every_level_has_a_rule() -> None:
    assert AKIM_LEVELS == ("region", "republican_city", "district", "regional_city", "district_city",
                           "rural_district", "village", "city_district")   # ids the API and store use
    assert {k.akim_level for k in UNIT_KINDS.values()} - {None} == set(AKIM_LEVELS)
    assert UNIT_KINDS["capital"].akim_level == "republican_city" and UNIT_KINDS["settlement"].akim_level == "village"
    assert UNIT_KINDS["microdistrict"].akim_level is None
    assert set(AKIM_LEVELS) <= set(VISIT_RULES)
    assert NOTICE_DAYS[UNIT_KINDS["settlement"].akim_level or ""] == 7
    for kind in UNIT_KINDS.values():
        assert kind.name("ru") and kind.name("kk") and kind.name("ru") != kind.name("kk")


def test_lookups_up_and_down() -> None:
    tree = small_district()
    assert [u.id for u in tree.roots] == ["R"]
    assert [u.id for u in tree.ancestors("V12")] == ["RD1", "D", "R"]
    assert [u.id for u in tree.children("D")] == ["DC", "RD1", "RD2"]
    assert [u.id for u in tree.descendants("RD2")] == ["S22", "V21"]  # code order, then id
    assert [u.id for u in tree.subtree("RD1")] == ["RD1", "V11", "V12"]
    assert tree.subtree_ids("D") == {"D", "DC", "RD1", "V11", "V12", "RD2", "V21", "S22"}
    assert tree.is_within("V21", "D") and tree.is_within("D", "D") and not tree.is_within("V21", "RD1")
    assert [u.id for u in tree.of_kinds("D", ["village", "settlement"])] == ["V11", "V12", "S22", "V21"]
    assert tree.path("V11") == "region R / district D / rural_district RD1 / village V11"
    assert tree.path("V11", "kk").endswith("village V11 kk")
    assert "V11" in tree and len(tree) == 9
    with pytest.raises(KeyError, match="no unit 'nope'"):
        tree.get("nope")


def test_lifetimes() -> None:
    tree = build_tree([
        unit("R", "region"), unit("D1", "district", "R", end=date(2026, 6, 30)),
        unit("D2", "district", "R", start=date(2026, 7, 1)),
        unit("V", "village", "D2", start=date(2026, 7, 1)),
    ])
    d1, d2 = tree.get("D1"), tree.get("D2")
    assert d1.exists_on(date(2026, 6, 30)) and not d1.exists_on(date(2026, 7, 1))
    assert d2.exists_during(date(2026, 1, 1), date(2026, 7, 1)) and not d2.exists_during(date(2026, 1, 1), date(2026, 6, 30))
    assert [u.id for u in tree.active_on(date(2026, 6, 1))] == ["R", "D1"]
    assert [u.id for u in tree.active_on(date(2026, 8, 1))] == ["R", "D2", "V"]
    assert d1.akim_level == "district" and d1.name("kk") == "district D1 kk"


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(UnitTreeError) as caught:
        build_tree([
            unit("R", "region"),
            unit("R", "region"),                                   # duplicate id
            unit("X", "oblast"),                                   # unknown kind
            unit("D", "district"),                                 # a district needs a parent
            unit("V", "village", "missing"),                       # parent not there
            unit("C", "city_district", "R"),                       # not under a region
            unit("E", "district", "R", start=date(2026, 5, 1), end=date(2026, 4, 1)),
            unit("L", "district", "R", start=date(2026, 1, 1)),
            unit("LV", "village", "L"),                            # no start: exists before its parent
            AdminUnit("N", "district", " ", "", "R"),              # no name
        ])
    text = "\n".join(caught.value.problems)
    for needle in ("R: the id repeats", "X: unknown kind 'oblast'", "D: a district needs a parent",
                   "V: parent missing is not among the units", "C: a city_district cannot sit under a region",
                   "E: valid_to 2026-04-01 is before valid_from 2026-05-01",
                   "LV: exists outside the lifetime of its parent L", "N: needs a name"):
        assert needle in text


def test_a_loop_in_parents_is_reported() -> None:
    with pytest.raises(UnitTreeError, match="loops"):
        build_tree([unit("A", "rural_district", "B"), unit("B", "village", "A")])


@st.composite
def trees(draw: st.DrawFn) -> list[AdminUnit]:
    """Random region → districts → rural districts → villages trees."""
    units = [unit("R", "region")]
    for d in range(draw(st.integers(0, 4))):
        units.append(unit(f"D{d}", "district", "R"))
        for r in range(draw(st.integers(0, 4))):
            units.append(unit(f"D{d}R{r}", "rural_district", f"D{d}"))
            units += [unit(f"D{d}R{r}V{v}", "village", f"D{d}R{r}") for v in range(draw(st.integers(0, 3)))]
    return units


@given(trees())
def test_subtree_is_the_unit_and_its_descendants(units: list[AdminUnit]) -> None:
    tree = build_tree(units)
    for u in units:
        below = tree.descendants(u.id)
        assert tree.subtree_ids(u.id) == {u.id} | {d.id for d in below}
        assert all(u in tree.ancestors(d.id) for d in below)
        assert all(tree.is_within(d.id, u.id) for d in below)
        assert len(below) == sum(1 + len(tree.descendants(c.id)) for c in tree.children(u.id))
    assert sum(len(tree.children(u.id)) for u in units) == len(units) - 1
