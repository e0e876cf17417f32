"""``tyndau report``: the 10-day publication package and the quarterly progress report as files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tyndau.settings import Settings

if TYPE_CHECKING:
    from tyndau.store.engine import Engine


class ReportError(Exception):
    """A user-facing report failure."""


def add_parser(sub: Any, common: argparse.ArgumentParser, run: Any) -> None:
    """Register ``report package`` and ``report quarterly``."""
    report = sub.add_parser("report", parents=[common], help="publication documents").add_subparsers(dest="report_command", required=True, metavar="KIND")
    for kind, formats, what in (("package", ("docx", "xlsx", "html", "json", "zip"), "the 10-day publication package of a meeting or a round"),
                                ("quarterly", ("docx", "xlsx", "json"), "the quarterly progress report")):
        p = report.add_parser(kind, parents=[common], help=what)
        p.add_argument("--meetings", required=True, help="meeting ids of the round, e.g. 1,2,3")
        p.add_argument("--format", choices=formats, default="docx")
        p.add_argument("--lang", choices=("ru", "kk"), default="ru")
        p.add_argument("--final", action="store_true", help="a final document: accepted problems only (refused while one lacks an executor or a deadline)")
        p.add_argument("-o", "--output", type=Path, help="file to write (default: a name in the current directory)")
        if kind == "quarterly":
            p.add_argument("--year", type=int, required=True)
            p.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), required=True)
        p.set_defaults(run=run(kind))


async def build(kind: str, args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    """Build the document with the API's builder and write it."""
    from tyndau.live.clock_service import ClockService, SystemTime
    from tyndau.nlp.taxonomy import TaxonomyError
    from tyndau.reports.builder import ReportRefused, ReportRequest, build_report
    from tyndau.vocabulary import load_vocabulary

    try:
        ids = tuple(sorted({int(x) for x in args.meetings.split(",") if x.strip()}))
    except ValueError:
        raise ReportError("--meetings takes ids like 1,2,3") from None
    try:
        vocabulary = load_vocabulary(settings)
    except TaxonomyError as exc:
        raise ReportError(str(exc)) from None

    async def nothing(*_: Any) -> None:
        return None

    clock = ClockService(engine, SystemTime(), settings.warning_ratio, nothing)
    request = ReportRequest(kind, ids, args.format, args.lang, args.final,  # type: ignore[arg-type]
                            getattr(args, "year", None), getattr(args, "quarter", None))
    try:
        doc = await build_report(engine, clock, vocabulary, request)
    except LookupError as exc:
        raise ReportError(f"no meeting {exc.args[0]}") from None
    except ReportRefused as exc:
        lines = "".join(f"\n  №{m['number']} {m['title'][:60]}: {', '.join(m['fields'])}" for m in exc.details.get("missing", []))
        raise ReportError(exc.message + lines) from None
    if doc.left_out:
        print(f"left out {len(doc.left_out)} draft(s) nobody accepted yet", file=sys.stderr)
    out = args.output or Path(doc.filename)
    out.write_bytes(doc.body)
    print(f"wrote {out} ({len(doc.body):,} bytes)")
    return 0
