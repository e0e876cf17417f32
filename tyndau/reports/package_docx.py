"""The 10-day publication package as a DOCX: summary, problem list, landscape action plan."""

from __future__ import annotations

from tyndau.domain.deadlines import last_event_end, publication_deadline
from tyndau.reports.docx_writer import DocxWriter
from tyndau.reports.i18n import Strings
from tyndau.reports.model import Round
from tyndau.reports.planning_tables import planning_tables
from tyndau.reports.tables import (
    action_plan_table,
    fallback_note,
    meetings_table,
    problems_table,
    sources_table,
    summary_items,
    timing_sentence,
)
from tyndau.reports.text import fmt_date, fmt_datetime, one_line
from tyndau.reports.validate import ensure_exportable


def package_docx(round_: Round, lang: str) -> bytes:
    """The publication package in Russian or Kazakh; marked ПРОЕКТ/ЖОБА with a watermark unless final."""
    ensure_exportable(round_)
    s = Strings(lang)
    title = one_line(round_.heading(lang), 300)
    w = DocxWriter(s, final=round_.final, title=title)
    meta = [s.t("doc.generated", when=fmt_datetime(round_.generated_at))]
    end = last_event_end(round_.events)
    if not round_.final and end is not None:
        meta.append(s.t("package.publication_deadline", date=fmt_date(publication_deadline(end))))
    w.title_block(title, s.t("package.subtitle"), meta)

    meetings = sorted(round_.meetings, key=lambda m: m.starts_at)
    w.heading(s.t("section.summary_one" if len(meetings) <= 1 else "section.summary_many"))
    for label, value in summary_items(round_, s):
        w.labelled(label, value)
    for meeting in meetings:
        sentence = timing_sentence(meeting, s)
        w.paragraph(sentence if len(meetings) == 1 else f"{one_line(meeting.title, 200)} ({fmt_date(meeting.starts_at)}). {sentence}")
    if len(meetings) > 1:
        w.table(meetings_table(round_, s).view("doc"), font_pt=9)
    w.table(sources_table(round_, s).view("doc"))
    for table in planning_tables(round_, s):
        w.table(table.view("doc"), font_pt=10)

    note = fallback_note(round_, s)
    if note:
        w.note(note)
    w.heading(s.t("section.problems"))
    w.table(problems_table(round_, s).view("doc"))

    w.landscape_section()
    w.heading(s.t("section.action_plan"))
    w.table(action_plan_table(round_, s).view("doc"), font_pt=9)
    return w.to_bytes()
