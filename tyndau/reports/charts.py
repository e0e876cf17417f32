"""Simple, accessible SVG bar charts for the dashboard: no script, no external resources.

Each chart is a ``role="img"`` SVG with a ``<title>`` and a ``<desc>`` that lists every value,
so a screen reader gets the numbers; every bar is labelled with its value, so colour is never
the only carrier of meaning.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from tyndau.reports.i18n import Strings
from tyndau.reports.text import fmt_int, fmt_percent

WIDTH = 720
LABEL_W = 260
BAR_H = 22
GAP = 8
TOP = 40
COLOURS = ("#1f5f99", "#c2740f")  # dark blue and dark orange: distinct for common colour-vision deficiencies
FONT = "font-family=\"Arial, 'DejaVu Sans', sans-serif\" font-size=\"13\""
LABEL_CHARS = 38


def _e(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def bar_chart(chart_id: str, title: str, rows: list[tuple[str, list[tuple[float, str]]]], series: list[str], s: Strings) -> str:
    """Horizontal bars: each row has one bar per series, with its formatted value printed after it."""
    n_series = max(1, len(series))
    row_h = BAR_H * n_series + GAP
    legend_h = 24 if len(series) > 1 else 0
    height = TOP + legend_h + row_h * max(1, len(rows)) + 10
    peak = max((v for _, bars in rows for v, _ in bars), default=0) or 1
    span = WIDTH - LABEL_W - 110
    described = "; ".join(
        f"{label}: " + ", ".join(f"{series[i]} {text}" if len(series) > 1 else text for i, (_, text) in enumerate(bars))
        for label, bars in rows
    )
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
            f'viewBox="0 0 {WIDTH} {height}" width="100%" style="max-width:{WIDTH}px" {FONT}>'
        ),
        f'<title id="{chart_id}-t">{_e(title)}</title>',
        f'<desc id="{chart_id}-d">{_e(s.t("chart.desc_bars", n=len(rows)))} {_e(described)}</desc>',
        f'<text x="0" y="20" font-size="16" font-weight="bold" fill="#111">{_e(title)}</text>',
    ]
    if len(series) > 1:
        x = LABEL_W
        for i, name in enumerate(series):
            out.append(f'<rect x="{x}" y="{TOP - 8}" width="14" height="14" fill="{COLOURS[i % 2]}"/>')
            out.append(f'<text x="{x + 20}" y="{TOP + 4}" fill="#111">{_e(name)}</text>')
            x += 30 + 9 * len(name)
    y = TOP + legend_h
    for label, bars in rows:
        short = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
        mid = y + (BAR_H * n_series) / 2 + 4
        out.append(f'<g><title>{_e(label)}</title><text x="{LABEL_W - 8}" y="{mid:.1f}" text-anchor="end" fill="#111">{_e(short)}</text>')
        for i, (value, text) in enumerate(bars):
            w = max(0.0, span * value / peak)
            by = y + i * BAR_H
            out.append(f'<rect x="{LABEL_W}" y="{by}" width="{w:.1f}" height="{BAR_H - 4}" fill="{COLOURS[i % 2]}"/>')
            out.append(f'<text x="{LABEL_W + w + 6:.1f}" y="{by + BAR_H - 8}" fill="#111">{_e(text)}</text>')
        out.append("</g>")
        y += row_h
    out.append("</svg>")
    return "".join(out)


def charts_svg(figures: dict[str, Any], lang: str | None = None) -> dict[str, str]:
    """SVG charts from :func:`dashboard_figures`: by category, by status, funding, and by region when present."""
    s = Strings(lang or figures.get("lang", "ru"))
    charts = {
        "by_category": bar_chart(
            "chart-category", s.t("chart.by_category"),
            [(r["label"], [(r["total"], fmt_int(r["total"]))]) for r in figures["by_category"]], [], s,
        ),
        "by_status": bar_chart(
            "chart-status", s.t("chart.by_status"),
            [(r["label"], [(r["count"], f"{fmt_int(r['count'])} ({fmt_percent(r['share']) or '—'})")]) for r in figures["by_status"]], [], s,
        ),
    }
    groups = figures.get("by_region") or [{"label": s.t("col.total"), **figures["funding"]}]
    million = 1_000_000
    charts["funding"] = bar_chart(
        "chart-funding", s.t("chart.funding"),
        [
            (r["label"], [
                (r["need_tenge"] / million, _mln(r["need_tenge"])),
                (r["allocated_tenge"] / million, _mln(r["allocated_tenge"]) + (f" ({fmt_percent(r['allocated_tenge'] / r['need_tenge'])})" if r["need_tenge"] else "")),
            ])
            for r in groups
        ],
        [s.t("chart.funding_need"), s.t("chart.funding_allocated")], s,
    )
    if figures.get("by_region"):
        charts["by_region"] = bar_chart(
            "chart-region", s.t("chart.by_region"),
            [(r["label"], [((r["share_resolved"] or 0) * 100, fmt_percent(r["share_resolved"]) or "—")]) for r in figures["by_region"]], [], s,
        )
    return charts


def _mln(tenge: int) -> str:
    return f"{tenge / 1_000_000:,.1f}".replace(",", "\u00a0").replace(".", ",")
