"""One report builder for the API and the CLI: a request in, a finished document (or a refusal) out.

The 10-day package and the quarterly report are collected from the store, checked (a final
package holds accepted problems only, each with an executor and a deadline), rendered in the
asked format and language, and named; the HTTP handler and ``tyndau report`` only deliver it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from tyndau.live.clock_service import ClockService
from tyndau.reports.collect import collect_quarterly, collect_round
from tyndau.reports.model import ProgressReport, Round
from tyndau.reports.validate import FinalExportBlocked, final_export_problems
from tyndau.store.engine import Engine
from tyndau.vocabulary import Vocabulary

Kind = Literal["package", "quarterly"]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA = {"docx": DOCX, "xlsx": XLSX, "html": "text/html", "json": "application/json", "zip": "application/zip"}
PACKAGE_FORMATS = ("docx", "xlsx", "html", "json", "zip")
QUARTERLY_FORMATS = ("docx", "xlsx", "json")


class ReportRefused(Exception):
    """The document cannot be made as asked; ``code`` is the API's, ``details`` its lists."""

    def __init__(self, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details


@dataclass(frozen=True, slots=True)
class ReportRequest:
    """Which document: kind, meetings, format, language, final or draft (and the quarter)."""

    kind: Kind
    meeting_ids: tuple[int, ...]
    fmt: str
    lang: str = "ru"
    final: bool = False
    year: int | None = None
    quarter: int | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """A finished document and what the caller tells its user about it."""

    body: bytes
    media_type: str
    filename: str
    inline: bool = False  # JSON opens in the browser; the others download
    problems: int = 0
    left_out: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    @property
    def charset(self) -> str | None:
        """UTF-8 for the text formats."""
        return "utf-8" if self.media_type in ("text/html", "application/json") else None


def _builders(kind: Kind) -> Mapping[str, Callable[[Any, str], Any]]:
    if kind == "package":
        from tyndau.reports.package_csv import package_csv_zip
        from tyndau.reports.package_docx import package_docx
        from tyndau.reports.package_html import package_html
        from tyndau.reports.package_json import package_json
        from tyndau.reports.package_xlsx import package_xlsx

        return {"docx": package_docx, "xlsx": package_xlsx, "html": package_html, "json": package_json, "zip": package_csv_zip}
    from tyndau.reports.quarterly import quarterly_json
    from tyndau.reports.quarterly_docx import quarterly_docx
    from tyndau.reports.quarterly_xlsx import quarterly_xlsx

    return {"docx": quarterly_docx, "xlsx": quarterly_xlsx, "json": quarterly_json}


def left_out(round_: Round) -> tuple[dict[str, Any], ...]:
    """The drafts a final package leaves out (not accepted), for the reviewer to see."""
    return tuple({"problem_id": p.problem_id, "title": p.title_ru or p.title_kk, "meeting_id": p.meeting_id} for p in round_.left_out)


def check_final(round_: Round) -> None:
    """A final package needs accepted problems, each with an executor and a deadline."""
    if not round_.final:
        return
    if not round_.problems:
        raise ReportRefused("nothing_accepted", "a final package holds accepted problems only, and none is accepted yet", left_out=left_out(round_))
    missing = final_export_problems(round_)
    if missing:
        raise ReportRefused(
            "final_blocked", "a final export needs an executor and a deadline for every accepted problem; export a draft, or complete these",
            missing=[{"number": m.number, "title": m.title, "fields": list(m.fields), "problem_id": m.problem_id} for m in missing],
            left_out=left_out(round_))


def filename(request: ReportRequest) -> str:
    """The document's file name: what, which meetings (or quarter), language, draft or not."""
    draft = "" if request.final else "-draft"
    if request.kind == "quarterly":
        stem = f"tyndau-quarterly-{request.year}-Q{request.quarter}-{request.lang}{draft}"
    else:
        stem = f"tyndau-{'-'.join(map(str, request.meeting_ids))}-{request.lang}{draft}"
    return f"{stem}.{'csv.zip' if request.fmt == 'zip' else request.fmt}"


async def build_report(engine: Engine, clock: ClockService, vocabulary: Vocabulary, request: ReportRequest) -> Document:
    """Collect, check, render and name one document; raises :class:`ReportRefused` or ``LookupError`` (no such meeting)."""
    builders = _builders(request.kind)
    if request.fmt not in builders:
        raise ReportRefused("bad_request", f"format must be one of {', '.join(builders)}")
    names, executors_kk = vocabulary.categories, vocabulary.executors_kk
    data: Round | ProgressReport
    if request.kind == "package":
        data = await collect_round(engine, clock, list(request.meeting_ids), final=request.final, category_names=names, executors_kk=executors_kk)
        check_final(data)
        counts = (len(data.problems), left_out(data))
    else:
        if request.year is None or request.quarter is None:
            raise ReportRefused("bad_request", "year and quarter (1-4) are required")
        data = await collect_quarterly(engine, clock, list(request.meeting_ids), request.year, request.quarter, final=request.final,
                                       category_names=names, executors_kk=executors_kk)
        counts = (len(data.entries), ())
    try:
        body = await asyncio.to_thread(builders[request.fmt], data, request.lang)
    except FinalExportBlocked as exc:  # the writers check again; keep the two in step
        raise ReportRefused("final_blocked", str(exc)) from None
    if isinstance(body, (dict, list)):
        body = json.dumps(body, ensure_ascii=False, indent=2) + "\n"
    raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
    return Document(raw, MEDIA[request.fmt], filename(request), inline=request.fmt == "json", problems=counts[0], left_out=counts[1])
