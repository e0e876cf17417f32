"""Dashboard figures and the SVG charts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date

from tyndau.reports.charts import charts_svg
from tyndau.reports.figures import dashboard_figures

from .sample import PROBLEMS, sample_round

SVG = "{http://www.w3.org/2000/svg}"


def test_dashboard_figures_from_a_round() -> None:
    f = dashboard_figures([sample_round()], today=date(2027, 1, 10))
    assert f["problems_total"] == 6 and f["resolved"] == 1 and f["share_resolved"] == 0.1667
    assert f["funding"]["need_tenge"] == 1_594_700_000 and f["funding"]["percent"] == 8.4
    assert next(r["status"] for r in f["by_status"]) == "resolved"
    assert f["by_category"][0]["category"] == "utilities" and f["by_category"][0]["total"] == 2
    assert {r["label"] for r in f["by_executor"]} >= {"не назначен"}
    assert f["by_region"] == [{**f["by_region"][0], "region": "Алматинская область", "total": 6}]
    assert f["overdue"] == 0 and f["due_soon"] == 0
    assert f["publication"] == [{"title": "Встреча акима Карасайского района с населением", "title_kk": "Қарасай ауданы әкімінің халықпен кездесуі",
                                 "akim": "Сейтказиев А. Б.", "meetings": 2,
                                 "ended": 2, "deadline": "2026-12-05", "days_left": -36, "overdue": True, "final": False}]
    late = dashboard_figures([sample_round()], today=date(2027, 2, 5))
    assert late["overdue"] == 1 and late["overdue_by_executor"] == {"ГУ «Отдел образования по Карасайскому району»": [3]}


def test_per_region_table_from_problems() -> None:
    problems = [replace(p, region="Алматинская область") for p in PROBLEMS[:4]] + [
        replace(PROBLEMS[3], number=10, region="Жетысуская область"), replace(PROBLEMS[0], number=11, region="Жетысуская область"),
    ]
    f = dashboard_figures(problems, lang="kk")
    regions = {r["region"]: r for r in f["by_region"]}
    assert regions["Жетысуская область"]["total"] == 2 and regions["Жетысуская область"]["share_resolved"] == 0.5
    assert regions["Алматинская область"]["resolved"] == 1 and regions["Алматинская область"]["percent_resolved"] == 25.0
    assert f["by_status"][0]["label"] == "Шешілді"
    assert dashboard_figures(PROBLEMS)["by_region"] == []


def test_empty_figures_do_not_divide_by_zero() -> None:
    f = dashboard_figures([])
    assert f["problems_total"] == 0 and f["share_resolved"] is None and f["funding"]["percent"] is None
    charts = charts_svg(f)
    for svg in charts.values():
        ET.fromstring(svg)


def test_charts_are_accessible_svg_without_scripts() -> None:
    charts = charts_svg(dashboard_figures([sample_round()]))
    assert set(charts) == {"by_category", "by_status", "funding", "by_region"}
    for name, svg in charts.items():
        root = ET.fromstring(svg)
        assert root.tag == f"{SVG}svg" and root.get("role") == "img"
        assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
        assert "<script" not in svg and "href" not in svg and " on" not in svg.replace(" on=", "")
        assert any(True for _ in root.iter(f"{SVG}rect")), name
    status = ET.fromstring(charts["by_status"])
    desc = status.find(f"{SVG}desc").text or ""  # type: ignore[union-attr]
    assert "В работе: 3" in desc
    assert charts_svg(dashboard_figures(PROBLEMS)).keys() == {"by_category", "by_status", "funding"}


def test_chart_labels_are_escaped() -> None:
    evil = replace(PROBLEMS[0], category="x", category_ru='<script>alert(1)</script>"&')
    svg = charts_svg(dashboard_figures([evil]))["by_category"]
    ET.fromstring(svg)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
