"""The publication package as JSON for the open-data portal: stable keys, ISO dates, both languages.

Every key is always present (``null`` when unknown), so a consumer's schema never shifts. Ids
(category, status, competence, funding source, comment source) are the stable ones from the
taxonomy and the decree; ``*_label`` fields carry the text in the requested language.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from tyndau.domain.deadlines import (
    almaty_date,
    central_list_deadline,
    last_event_end,
    publication_deadline,
)
from tyndau.reports.i18n import Strings
from tyndau.reports.model import MeetingFacts, Problem, Round
from tyndau.reports.tables import language_fallbacks
from tyndau.reports.text import QUOTE_LIMIT, TEXT_LIMIT, TITLE_LIMIT, clean, one_line
from tyndau.reports.validate import ensure_exportable
from tyndau.timeutil import iso

SCHEMA = "tyndau.publication/1"


def package_json(round_: Round, lang: str) -> dict[str, Any]:
    """The package as a JSON-able dict (``lang`` picks the labels; texts are given in both languages)."""
    ensure_exportable(round_)
    s = Strings(lang)
    end = last_event_end(round_.events)
    meetings = sorted(round_.meetings, key=lambda m: m.starts_at)
    by_source: dict[str, int] = {}
    for m in meetings:
        for name, n in m.comments_by_source.items():
            by_source[name] = by_source.get(name, 0) + n
    return {
        "schema": SCHEMA,
        "lang": lang,
        "final": round_.final,
        "generated_at": iso(round_.generated_at),
        "title": one_line(round_.heading(lang)),
        "title_ru": one_line(round_.title),
        "title_kk": one_line(round_.title_kk) or None,
        "akim": one_line(round_.akim),
        "region": one_line(round_.region) if round_.region else None,
        "round_ended_at": iso(end),
        "publication_deadline": publication_deadline(end).isoformat() if end else None,
        "totals": {
            "meetings": len(meetings),
            "attendance": _sum_known(m.attendance for m in meetings),
            "online_reach": _sum_known(m.online_reach for m in meetings),
            "comments_total": sum(by_source.values()),
            "comments_by_source": dict(sorted(by_source.items())),
            "answered_on_spot": sum(m.answered_on_spot for m in meetings),
            "problems": len(round_.problems),
        },
        "russian_text_in": language_fallbacks(round_, s),
        "meetings": [meeting_json(m, s) for m in meetings],
        "receptions": [{"starts_at": iso(r.starts_at), "ended_at": iso(r.ended_at), "place": one_line(r.place),
                        "citizens_received": r.citizens_received, "questions": r.questions,
                        "participants": [{"role": role, "organisation": one_line(org)} for role, org in r.participants]}
                       for r in sorted(round_.receptions, key=lambda r: r.starts_at) if not r.cancelled],
        "commission": [{"role": role, "organisation": one_line(org)} for role, org in round_.commission],
        "attendance": [{"category": a.category, "people": a.people, "organisations": [one_line(o) for o in a.organisations]}
                       for a in round_.attendance],
        "problems": [problem_json(p, s, round_.generated_at) for p in sorted(round_.problems, key=lambda p: p.number)],
    }


def package_json_text(round_: Round, lang: str) -> str:
    """The package as UTF-8 JSON text (Cyrillic kept readable, two-space indent)."""
    return json.dumps(package_json(round_, lang), ensure_ascii=False, indent=2) + "\n"


def meeting_json(m: MeetingFacts, s: Strings) -> dict[str, Any]:
    """One meeting with its turnout, comments by source and the timing record."""
    return {
        "id": m.id,
        "title": one_line(m.title),
        "akim_name": one_line(m.akim_name),
        "akim_level": m.akim_level,
        "akim_level_label": s.akim_level(m.akim_level),
        "place": one_line(m.place),
        "date": almaty_date(m.starts_at).isoformat(),
        "starts_at": iso(m.starts_at),
        "ended_at": iso(m.ended_at),
        "attendance": m.attendance,
        "online_reach": m.online_reach,
        "comments_total": m.comments_total,
        "comments_by_source": dict(sorted(m.comments_by_source.items())),
        "answered_on_spot": m.answered_on_spot,
        "timing": dict(m.timing) if m.timing is not None else None,
    }


def problem_json(p: Problem, s: Strings, as_of: date | datetime) -> dict[str, Any]:
    """One problem with its action-plan fields; funding in whole tenge; the government list date if flagged."""
    return {
        "number": p.number,
        "title": clean(p.title(s.lang), TITLE_LIMIT, s.lang),
        "title_ru": clean(p.title_ru, TITLE_LIMIT),
        "title_kk": clean(p.title_kk, TITLE_LIMIT, "kk"),
        "place": one_line(p.place_text(s.lang), lang=s.lang),
        "place_ru": one_line(p.place),
        "place_kk": one_line(p.place_kk, lang="kk") or None,
        "region": one_line(p.region) if p.region else None,
        "category": p.category,
        "category_label": one_line(p.category_name(s.lang), 120),
        "category_ru": one_line(p.category_ru, 120),
        "category_kk": one_line(p.category_kk, 120),
        "mentions": p.mentions,
        "mentions_by_source": dict(sorted(p.mentions_by_source.items())),
        "measures": clean(p.measures_text(s.lang), TEXT_LIMIT, s.lang),
        "measures_ru": clean(p.measures, TEXT_LIMIT),
        "measures_kk": clean(p.measures_kk, TEXT_LIMIT, "kk") or None,
        "deadline": p.deadline.isoformat() if p.deadline else None,
        "executor": one_line(p.executor_name(s.lang)) or None,
        "executor_ru": one_line(p.executor or "") or None,
        "executor_kk": one_line(p.executor_kk or "") or None,
        "competence": p.competence,
        "competence_label": s.competence(p.competence),
        "funding": {
            "need_tenge": p.funding_need_tenge,
            "allocated_tenge": p.funding_allocated_tenge,
            "source": p.funding_source,
            "source_label": s.funding_source(p.funding_source) or None,
        },
        "status": p.status,
        "status_label": s.status(p.status),
        "status_note": clean(p.status_note, TEXT_LIMIT, s.lang),
        "central_list": p.central_list,
        "central_list_date": central_list_deadline(as_of).isoformat() if p.central_list else None,
        "meeting_id": p.meeting_id,
        "quotes": [clean(q, QUOTE_LIMIT, s.lang) for q in p.quotes],
    }


def _sum_known(values: Iterable[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None
