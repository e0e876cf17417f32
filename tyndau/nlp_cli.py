"""``tyndau nlp``: evaluate the pipeline on a labelled CSV, and re-label a stored meeting."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tyndau.settings import Settings

if TYPE_CHECKING:
    from tyndau.store.engine import Engine


def model_cache(settings: Settings) -> Path:
    """The configured model cache, else a per-user one (the converted model is built only once)."""
    return settings.effective_model_cache


def add_parser(sub: Any, common: argparse.ArgumentParser, run_eval: Any, run_relabel: Any) -> None:
    """Register ``nlp eval`` and ``nlp relabel``."""
    nlp = sub.add_parser("nlp", parents=[common], help="the NLP pipeline").add_subparsers(dest="nlp_command", required=True, metavar="ACTION")
    ev = nlp.add_parser("eval", add_help=False, help="run the pipeline on a labelled CSV and print metrics (see: tyndau nlp eval --help)")
    # --config belongs to the evaluation (the NLP config); the other common options are ours.
    ev.add_argument("--data-dir", help=argparse.SUPPRESS)
    ev.add_argument("--database-url", help=argparse.SUPPRESS)
    ev.add_argument("--log-level", choices=["DEBUG", "INFO", "WARNING", "ERROR"], help=argparse.SUPPRESS)
    ev.set_defaults(run=run_eval, rest=[], config=None)  # its own options are parsed by tyndau.nlp.evaluate
    rl = nlp.add_parser("relabel", parents=[common], help="re-run the pipeline on a stored meeting (keeps human decisions)")
    rl.add_argument("--meeting", type=int, required=True)
    rl.set_defaults(run=run_relabel)


def evaluate(args: argparse.Namespace, settings: Settings) -> int:
    """Delegate to :mod:`tyndau.nlp.evaluate`, with the model cache from the settings."""
    from tyndau.nlp.evaluate import main

    rest = list(args.rest)
    if "--cache-dir" not in rest and not any(a.startswith("--cache-dir=") for a in rest):
        rest += ["--cache-dir", str(model_cache(settings))]
    if settings.nlp_config and "--config" not in rest:
        rest += ["--config", settings.nlp_config]
    return main(rest)


async def relabel(meeting_id: int, settings: Settings, engine: Engine) -> int:
    """Label every comment of a meeting again; cluster ids and people's decisions stay."""
    import asyncio

    from tyndau.live.labeller import SKIP_KINDS, Labeller
    from tyndau.nlp.pipeline import Pipeline
    from tyndau.nlp.taxonomy import load_departments, load_taxonomy
    from tyndau.store.comments import comment_ids
    from tyndau.store.meetings import get_meeting

    if await get_meeting(engine, meeting_id) is None:
        raise LookupError(f"no meeting {meeting_id}")
    taxonomy = load_taxonomy(settings.taxonomy_file or None)
    departments = load_departments(settings.departments_file or None, taxonomy=taxonomy)
    started = time.perf_counter()
    pipeline = await asyncio.to_thread(Pipeline.from_config, Path(settings.nlp_config) if settings.nlp_config else None,
                                       cache_dir=model_cache(settings), taxonomy=taxonomy)
    print(f"pipeline ready in {time.perf_counter() - started:.1f} s")

    async def nobody(*_: Any) -> None:
        return None

    labeller = Labeller(engine, lambda: pipeline, nobody, {d.category: d.name.get("ru", "") for d in departments.values()})
    labeller.pipeline = pipeline
    await labeller._replay_corrections()
    async with engine.connect() as conn:
        ids = await comment_ids(conn, meeting_id, skip_kinds=SKIP_KINDS)
    started = time.perf_counter()
    for start in range(0, len(ids), 256):
        await labeller.label(ids[start:start + 256])
        print(f"  {min(start + 256, len(ids))}/{len(ids)} comments", flush=True)
    took = time.perf_counter() - started
    print(f"relabelled {len(ids)} comments of meeting {meeting_id} in {took:.1f} s ({len(ids) / took if took else 0:.0f}/s)")
    return 0
