"""The publication package's content as format-neutral tables, so every format shows the same facts.

A :class:`Table` holds typed values (``str``, ``int``, ``float`` shares, ``date``, ``bool``,
``None``); each writer formats them its own way (real dates in XLSX, dd.mm.yyyy in DOCX/HTML/CSV).
Some columns exist only for reading (``where="doc"``: the combined funding text) or only for data
(``where="data"``: funding split into figures, quotes, status); writers pick with :meth:`Table.view`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from tyndau.domain.deadlines import almaty_date
from tyndau.live.clock_view import share_shown
from tyndau.reports.i18n import Strings
from tyndau.reports.model import MeetingFacts, Problem, Round
from tyndau.reports.text import (
    QUOTE_LIMIT,
    TEXT_LIMIT,
    TITLE_LIMIT,
    clean,
    fmt_date,
    fmt_datetime,
    fmt_int,
    fmt_percent,
    one_line,
    share,
)

Value = str | int | float | date | bool | None
Kind = Literal["text", "int", "money", "date", "percent", "bool"]
Where = Literal["all", "doc", "data"]
Target = Literal["doc", "data"]


@dataclass(frozen=True, slots=True)
class Column:
    """A column: stable key, localized header, value kind, width in characters, where it appears."""

    key: str
    header: str
    kind: Kind = "text"
    width: float = 14
    where: Where = "all"
    missing: str = ""  # shown by document formats for None


@dataclass(frozen=True, slots=True)
class Table:
    """A titled table of typed rows; ``footer`` is a totals row shown by document formats."""

    name: str
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Value, ...], ...]
    footer: tuple[Value, ...] | None = None
    landscape: bool = False

    def view(self, target: Target) -> Table:
        """The same table with only the columns meant for documents or for data."""
        keep = [i for i, c in enumerate(self.columns) if c.where in ("all", target)]
        if len(keep) == len(self.columns):
            return self
        def pick(row: tuple[Any, ...]) -> tuple[Any, ...]:
            return tuple(row[i] for i in keep)
        return Table(
            self.name, self.caption, tuple(self.columns[i] for i in keep), tuple(pick(r) for r in self.rows),
            None if self.footer is None else pick(self.footer), self.landscape,
        )


def display(value: Value, column: Column, s: Strings) -> str:
    """A value as a document shows it (dd.mm.yyyy, grouped thousands, '52,3 %', да/нет)."""
    if value is None:
        return column.missing
    if isinstance(value, bool):
        return s.yes_no(value)
    if isinstance(value, (date, datetime)):
        return fmt_date(value)
    if column.kind == "percent" and isinstance(value, (int, float)):
        return fmt_percent(value)
    if isinstance(value, int):
        return fmt_int(value)
    return str(value)


def meetings_table(round_: Round, s: Strings) -> Table:
    """One row per meeting or reception: when, where, turnout, comments, the quarter rule."""
    cols = (
        Column("number", s.t("col.number"), "int", 4),
        Column("meeting", s.t("col.meeting"), "text", 21),
        Column("date", s.t("col.date"), "date", 14.5),
        Column("place", s.t("col.place"), "text", 20),
        Column("attendance", s.t("col.attendance"), "int", 14, missing=s.t("summary.unknown")),
        Column("online_reach", s.t("col.online_reach"), "int", 13, missing=s.t("summary.unknown")),
        Column("comments", s.t("col.comments"), "int", 14.5),
        Column("answered_on_spot", s.t("col.answered_on_spot"), "int", 13),
        Column("presentation_share", s.t("col.presentation_share"), "percent", 12, missing="—"),
        Column("rule_held", s.t("col.rule_held"), "bool", 13.5, missing="—"),
    )
    rows = []
    for i, m in enumerate(sorted(round_.meetings, key=lambda m: m.starts_at), start=1):
        timing = m.timing or {}
        rows.append((
            i, one_line(m.title), almaty_date(m.starts_at), one_line(m.place),
            m.attendance, m.online_reach, m.comments_total, m.answered_on_spot,
            timing.get("presentation_share_of_planned"), timing.get("rule_held"),
        ))
    footer = (
        None, s.t("doc.total"), None, None, _sum_known(m.attendance for m in round_.meetings),
        _sum_known(m.online_reach for m in round_.meetings), sum(m.comments_total for m in round_.meetings),
        sum(m.answered_on_spot for m in round_.meetings), None, None,
    )
    return Table("meetings", s.t("table.meetings"), cols, tuple(rows), footer if len(rows) > 1 else None)


def sources_table(round_: Round, s: Strings) -> Table:
    """Comments received by source over the whole round, largest first, with shares."""
    counts: Counter[str] = Counter()
    for m in round_.meetings:
        counts.update(m.comments_by_source)
    total = sum(counts.values())
    cols = (
        Column("source", s.t("col.source"), "text", 36),
        Column("count", s.t("col.count"), "int", 14),
        Column("share", s.t("col.share"), "percent", 12),
    )
    rows = tuple((one_line(s.source(name), 120), n, share(n, total)) for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return Table("sources", s.t("table.sources"), cols, rows, (s.t("doc.total"), total, 1.0 if total else None))


def problems_table(round_: Round, s: Strings) -> Table:
    """The list of problem questions taken under control."""
    cols = (
        Column("number", s.t("col.number"), "int", 5),
        Column("problem", s.t("col.problem"), "text", 50),
        Column("place", s.t("col.place"), "text", 24),
        Column("category", s.t("col.category"), "text", 22),
        Column("mentions", s.t("col.mentions"), "int", 11),
        Column("competence", s.t("col.competence"), "text", 20),
        Column("status", s.t("col.status"), "text", 20, where="data"),
        Column("quotes", s.t("col.quotes"), "text", 50, where="data"),
    )
    rows = tuple(
        (
            p.number, clean(p.issue(s.lang), TITLE_LIMIT, s.lang), one_line(p.place_text(s.lang), lang=s.lang), one_line(p.category_name(s.lang), 120), p.mentions,
            s.competence(p.competence), s.status(p.status),
            "\n".join(clean(q, QUOTE_LIMIT, s.lang) for q in p.quotes[:3]),
        )
        for p in _ordered(round_.problems)
    )
    return Table("problems", s.t("table.problems"), cols, rows)


def action_plan_table(round_: Round, s: Strings) -> Table:
    """The action plan: what will be done, by when, by whom, with what money."""
    cols = (
        Column("number", s.t("col.number"), "int", 5),
        Column("problem", s.t("col.problem"), "text", 38),
        Column("place", s.t("col.place"), "text", 20),
        Column("category", s.t("col.category"), "text", 22),
        Column("mentions", s.t("col.mentions"), "int", 10),
        Column("measures", s.t("col.measures"), "text", 42),
        Column("deadline", s.t("col.deadline"), "date", 15, missing=s.t("value.no_deadline")),
        Column("executor", s.t("col.executor"), "text", 28, missing=s.t("value.unassigned")),
        Column("funding", s.t("col.funding"), "text", 26, where="doc"),
        Column("funding_need_tenge", s.t("col.funding_need"), "money", 18, where="data"),
        Column("funding_allocated_tenge", s.t("col.funding_allocated"), "money", 18, where="data"),
        Column("funding_source", s.t("col.funding_source"), "text", 22, where="data"),
        Column("competence", s.t("col.competence"), "text", 20, where="data"),
        Column("status", s.t("col.status"), "text", 22, where="data"),
        Column("central_list", s.t("col.central_list"), "bool", 12, where="data"),
    )
    rows = tuple(
        (
            p.number, clean(p.issue(s.lang), TITLE_LIMIT, s.lang), one_line(p.place_text(s.lang), lang=s.lang), one_line(p.category_name(s.lang), 120), p.mentions,
            clean(p.measures_text(s.lang), TEXT_LIMIT, s.lang), p.deadline, one_line(p.executor_name(s.lang)) or None,
            s.funding(p.funding_need_tenge, p.funding_allocated_tenge, p.funding_source),
            p.funding_need_tenge, p.funding_allocated_tenge, s.funding_source(p.funding_source),
            s.competence(p.competence), s.status(p.status), p.central_list,
        )
        for p in _ordered(round_.problems)
    )
    return Table("action_plan", s.t("table.action_plan"), cols, rows, landscape=True)


def package_tables(round_: Round, s: Strings) -> list[Table]:
    """The package's tables in document order."""
    return [meetings_table(round_, s), sources_table(round_, s), problems_table(round_, s), action_plan_table(round_, s)]


def summary_items(round_: Round, s: Strings) -> list[tuple[str, str]]:
    """The results summary as (label, text) pairs: date, place, akim, turnout, comments, answers, problems."""
    meetings = sorted(round_.meetings, key=lambda m: m.starts_at)
    unknown = s.t("summary.unknown")
    days = sorted({almaty_date(m.starts_at) for m in meetings})
    when = "" if not days else fmt_date(days[0]) if len(days) == 1 else f"{fmt_date(days[0])} – {fmt_date(days[-1])}"
    places = list(dict.fromkeys(one_line(m.place, 200) for m in meetings if m.place.strip()))
    attendance = _sum_known(m.attendance for m in meetings)
    reach = _sum_known(m.online_reach for m in meetings)
    levels = list(dict.fromkeys(s.akim_level(m.akim_level) for m in meetings if m.akim_level))
    akim = (one_line(round_.akim, 200) or s.t("summary.akim_unknown")) + (f" ({', '.join(levels)})" if levels else "")
    return [
        (s.t("summary.date"), when or unknown),
        (s.t("summary.place"), "; ".join(places) or unknown),
        (s.t("summary.akim"), akim),
        (s.t("summary.attendance"), fmt_int(attendance) if attendance is not None else unknown),
        (s.t("summary.online_reach"), fmt_int(reach) if reach is not None else unknown),
        (s.t("summary.comments_total"), fmt_int(sum(m.comments_total for m in meetings))),
        (s.t("summary.answered_on_spot"), fmt_int(sum(m.answered_on_spot for m in meetings))),
        (s.t("summary.problems_under_control"), fmt_int(len(round_.problems))),
    ]


def timing_sentence(meeting: MeetingFacts, s: Strings) -> str:
    """The quarter rule as one or two sentences, from the clock's timing record."""
    t = meeting.timing
    if not t or t.get("presentation_seconds") is None or not t.get("planned_seconds"):
        return s.t("timing.none")
    pres, planned = float(t["presentation_seconds"]), float(t["planned_seconds"])
    held = t.get("rule_held")
    text = s.t(
        "timing.text", presentation=s.duration(pres), planned=s.duration(planned),
        share=fmt_percent(share_shown(pres / planned, held)), qa=s.duration(t.get("qa_seconds")),
    )
    if held is not None:
        cap = t.get("cap_seconds") or planned / 4
        text = f"{text} {s.t('timing.held')}" if held else f"{text} {s.t('timing.broken', over=s.duration(max(0.0, pres - float(cap))))}"
    return " ".join(filter(None, (text, amendments_sentence(t, s))))


def amendments_sentence(timing: Mapping[str, object], s: Strings) -> str:
    """Plan changes made after the meeting ended, and the verdict under the plan it ran with ('' if none)."""
    amendments = [a for a in (timing.get("amendments") or []) if isinstance(a, Mapping)]  # type: ignore[union-attr]
    if not amendments:
        return ""
    changes = "; ".join(
        s.t("timing.amended_change", field=s.t(f"timing.amended_field.{a.get('field')}"), old=_amended_value(a.get("old")),
            new=_amended_value(a.get("new")), actor=one_line(a.get("actor"), 100), when=_amended_when(a.get("at")), reason=one_line(a.get("reason"), 300))
        for a in amendments
    )
    text = s.t("timing.amended", changes=changes)
    as_planned = timing.get("rule_held_as_planned")
    if as_planned is not None:
        key = "timing.as_planned_held" if as_planned else "timing.as_planned_broken"
        text = f"{text} {s.t(key, minutes=timing.get('planned_minutes_as_run'))}"
    return text


def _amended_value(value: object) -> str:
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-":
        try:
            return fmt_date(datetime.fromisoformat(value))
        except ValueError:
            return value
    return "—" if value is None else str(value)


def _amended_when(value: object) -> str:
    try:
        return fmt_datetime(datetime.fromisoformat(str(value)))
    except ValueError:
        return ""


def language_fallbacks(round_: Round, s: Strings) -> dict[str, list[int]]:
    """Problem numbers whose Kazakh text is missing and whose Russian text a Kazakh package shows, by field."""
    if s.lang != "kk":
        return {}
    out: dict[str, list[int]] = {"title": [], "measures": [], "executor": []}
    for p in _ordered(round_.problems):
        if not p.title_kk.strip() and p.title_ru.strip():
            out["title"].append(p.number)
        if not p.measures_kk.strip() and p.measures.strip():
            out["measures"].append(p.number)
        if p.executor and not p.executor_kk:
            out["executor"].append(p.number)
    return {k: v for k, v in out.items() if v}


def fallback_note(round_: Round, s: Strings) -> str:
    """The sentence a Kazakh package prints about the Russian texts it shows ('' when there are none)."""
    found = language_fallbacks(round_, s)
    if not found:
        return ""
    items = "; ".join(s.t(f"note.fallback_{key}", numbers=", ".join(map(str, numbers))) for key, numbers in found.items())
    return s.t("note.fallback", items=items)


def _ordered(problems: Sequence[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: p.number)


def _sum_known(values: Iterable[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None
