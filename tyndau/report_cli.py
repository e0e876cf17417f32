"""``tyndau report``: the 10-day publication package and the quarterly progress report as files."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from tyndau.settings import Settings


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


async def build(kind: str, args: argparse.Namespace, settings: Settings, engine: Any) -> int:
    """Collect from the store, build the document, write it."""
    from tyndau.live.clock_service import ClockService, SystemTime
    from tyndau.nlp.taxonomy import load_departments, load_taxonomy
    from tyndau.reports.collect import collect_quarterly, collect_round
    from tyndau.reports.validate import final_export_problems

    try:
        ids = sorted({int(x) for x in args.meetings.split(",") if x.strip()})
    except ValueError:
        raise ReportError("--meetings takes ids like 1,2,3") from None
    taxonomy = load_taxonomy(settings.taxonomy_file or None)
    departments = load_departments(settings.departments_file or None, taxonomy=taxonomy)
    names = {c.id: dict(c.name) for c in taxonomy.categories}
    kk = {d.name.get("ru", ""): d.name.get("kk", "") for d in departments.values()}

    async def nothing(*_: Any) -> None:
        return None

    clock = ClockService(engine, SystemTime(), settings.warning_ratio, nothing)
    try:
        if kind == "package":
            data: Any = await collect_round(engine, clock, ids, final=args.final, category_names=names, executors_kk=kk)
            if args.final and not data.problems:
                raise ReportError(f"a final package holds accepted problems only, and none of the {len(data.left_out)} is accepted yet")
            if args.final and (missing := final_export_problems(data)):
                lines = "\n".join(f"  №{m.number} {m.title[:60]}: {', '.join(m.fields)}" for m in missing)
                raise ReportError(f"a final package needs an executor and a deadline for every accepted problem; missing:\n{lines}")
            if args.final and data.left_out:
                print(f"left out {len(data.left_out)} draft(s) nobody accepted yet", file=sys.stderr)
        else:
            data = await collect_quarterly(engine, clock, ids, args.year, args.quarter, final=args.final, category_names=names, executors_kk=kk)
    except LookupError as exc:
        raise ReportError(f"no meeting {exc.args[0]}") from None
    body = await asyncio.to_thread(_render, kind, args.format, data, args.lang)
    stem = f"tyndau-{kind}-{'-'.join(map(str, ids))}-{args.lang}{'' if args.final else '-draft'}"
    out = args.output or Path(f"{stem}.{'csv.zip' if args.format == 'zip' else args.format}")
    out.write_bytes(body)
    print(f"wrote {out} ({len(body):,} bytes)")
    return 0


def _render(kind: str, fmt: str, data: Any, lang: str) -> bytes:
    if kind == "package":
        from tyndau.reports.package_csv import package_csv_zip
        from tyndau.reports.package_docx import package_docx
        from tyndau.reports.package_html import package_html
        from tyndau.reports.package_json import package_json
        from tyndau.reports.package_xlsx import package_xlsx

        builders = {"docx": package_docx, "xlsx": package_xlsx, "html": package_html, "json": package_json, "zip": package_csv_zip}
    else:
        from tyndau.reports.quarterly import quarterly_json
        from tyndau.reports.quarterly_docx import quarterly_docx
        from tyndau.reports.quarterly_xlsx import quarterly_xlsx

        builders = {"docx": quarterly_docx, "xlsx": quarterly_xlsx, "json": quarterly_json}
    body = builders[fmt](data, lang)
    if isinstance(body, dict):
        return json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8")
    return body.encode("utf-8") if isinstance(body, str) else body
