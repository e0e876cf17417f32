"""The demo meeting through the live path, scored against the gold list a secretary wrote for it.

The bundled chat replays into a real server (SQLite) whose labeller runs the real e5 pipeline as
comments arrive; the drafted problem list must match the gold list (``demo_gold.toml``): most
drafts are one gold problem, most gold problems are found, no draft comes from a non-problem,
and every draft has a Russian and a Kazakh wording in the right language.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import create_meeting, make_people
from tests.live.demo_gold import CHAT, chat_ids, chat_texts, load_gold, score
from tyndau.operator_ui.app import create_app
from tyndau.operator_ui.keys import SERVICES

KAZAKH = set("әғқңөұүһі")


def test_gold_list_covers_every_message_once() -> None:
    gold = load_gold()
    indices = set(chat_ids().values())
    problems = set(gold.owner)
    echoes = set(gold.echo_of)
    assert not problems & echoes and not problems & gold.not_problems and not problems & gold.ambiguous
    assert not echoes & gold.not_problems and not echoes & gold.ambiguous and not gold.not_problems & gold.ambiguous
    assert problems | echoes | gold.not_problems | gold.ambiguous == indices
    assert len(gold.problems) >= 100 and len(gold.ambiguous) <= 20


def test_scoring_of_a_draft_list() -> None:
    gold = load_gold()
    water, gas = sorted(gold.problems["irgeli_water"].comments), sorted(gold.problems["bereke_gas"].comments)
    drafts = [water + [135], gas[:3], gas[3:], [0, 1], [135, 136], water[:1] + gas[:1], [27]]
    s = score(drafts, gold)
    verdicts = [d["verdict"] for d in s.details]
    assert verdicts == ["match", "duplicate", "match", "non_problem", "echo_only", "mixed", "ambiguous"]
    assert (s.counted, s.matched, s.from_non_problem) == (6, 2, 1)
    assert s.found == {"irgeli_water", "bereke_gas"}


def in_language(text: str, lang: str, detector: Any) -> bool:
    """True when ``text`` reads as ``lang``: the wording before " — <place>" is detected as ``lang``.

    The place is left out of the check because a Russian wording names a Kazakh village in Russian
    spelling and a Kazakh one a Russian-named street ("Садовая көшесі"); a Russian wording may
    still carry no Kazakh letter anywhere.
    """
    if not text or (lang == "ru" and KAZAKH & set(text.lower())):
        return False
    guess = detector.detect(text.split(" — ", 1)[0])
    if guess.lang == lang:
        return True
    mine, other = (guess.ru_words, guess.kk_words) if lang == "ru" else (guess.kk_words, guess.ru_words)
    return guess.lang == "mixed" and mine > other


def _model_cache(factory: pytest.TempPathFactory) -> Path:
    env = os.environ.get("TYNDAU_MODEL_CACHE_DIR")
    return Path(env) if env else factory.getbasetemp() / "nlp-models"


async def _get(client: Any, url: str, **params: str) -> Any:
    resp = await client.get(url, params=params, headers=client.people.auth("secretary"))
    assert resp.status == 200, await resp.text()
    return await resp.json()


async def run_demo(client: Any) -> tuple[list[dict[str, Any]], dict[int, int]]:
    """Replay the demo chat into a new meeting; the drafts and comment id → chat line index."""
    meeting = await create_meeting(client)
    mid = meeting["id"]
    resp = await client.post(f"/api/v1/meetings/{mid}/sources", json={"kind": "replay", "config": {"path": str(CHAT), "speed": 600}},
                             headers=client.people.auth("moderator"))
    assert resp.status == 201, await resp.text()
    lines = chat_ids()
    index: dict[int, int] = {}
    for _ in range(3000):
        items = (await _get(client, f"/api/v1/meetings/{mid}/comments", limit="2000"))["items"]
        index = {c["id"]: lines[c["extra"]["original_id"]] for c in items if c["extra"].get("original_id") in lines}
        texts = [c for c in items if c["id"] in index and c["kind"] not in ("deleted", "placeholder", "membership")]
        if len(set(index.values())) >= len(set(lines.values())) and all(c["labels"] is not None for c in texts):
            break
        await asyncio.sleep(0.2)
    else:
        raise AssertionError("the demo was not labelled in time")
    labeller = client.app[SERVICES].labeller
    for _ in range(600):
        if labeller._queue.empty():
            break
        await asyncio.sleep(0.1)
    problems = (await _get(client, f"/api/v1/meetings/{mid}/problems"))["items"]
    drafts = []
    for p in problems:
        detail = await _get(client, f"/api/v1/meetings/{mid}/problems/{p['id']}")
        p["comment_ids"] = [c["id"] for c in detail["comments"]]
        if p["comment_ids"]:
            drafts.append(p)
    return drafts, index


@pytest.mark.slow(seconds=45)
@pytest.mark.model
@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_demo_drafts_match_the_gold_list(aiohttp_client, settings, tmp_path_factory) -> None:
    from tyndau.nlp.language import LanguageDetector
    from tyndau.nlp.pipeline import Pipeline

    pipeline = Pipeline.from_config(cache_dir=_model_cache(tmp_path_factory))
    app = create_app(settings.replace(nlp_enabled=True), pipeline_loader=lambda: pipeline)
    client = await aiohttp_client(app)
    client.people = await make_people(app)
    drafts, index = await run_demo(client)
    gold = load_gold()
    s = score([[index[c] for c in d["comment_ids"] if c in index] for d in drafts], gold)
    wrong_language = [d for d in drafts if not in_language(d["title_ru"], "ru", LanguageDetector()) or
                      not in_language(d["title_kk"], "kk", LanguageDetector())]
    matched = [(d, gold.problems[row["problem"]]) for d, row in zip(drafts, s.details) if row["verdict"] == "match"]
    same_category = sum(1 for d, g in matched if d.get("category") == g.category) / max(1, len(matched))
    print(f"\ndemo: {s.drafts} drafts ({s.counted} counted), precision {s.precision:.3f} "
          f"(matched {s.matched}, duplicates {s.duplicates}, mixed {s.mixed}, from non-problems {s.from_non_problem}, "
          f"echo-only {s.echo_only}); recall {s.recall:.3f} ({len(s.found)}/{s.gold_total}); "
          f"wrong-language wordings {len(wrong_language)}; matched drafts in the gold category {same_category:.3f}")
    out = os.environ.get("TYNDAU_DEMO_DRAFTS_OUT")
    if out:  # the drafts in the console's order, for reading them as a secretary would
        lines = {i: text for i, text in enumerate(chat_texts())}
        Path(out).write_text(json.dumps([{"title_ru": d["title_ru"], "title_kk": d["title_kk"], "category": d.get("category"),
                                          "place": d.get("place"), "verdict": row["verdict"], "problem": row["problem"],
                                          "comments": [[c, lines.get(c, "")] for c in row["comments"]]}
                                         for d, row in zip(drafts, s.details)], ensure_ascii=False, indent=1), encoding="utf-8")
    for d, row in zip(drafts, s.details):
        if row["verdict"] not in ("match", "ambiguous"):
            print(f"  {row['verdict']:12} {d['title_ru']!r} / {d['title_kk']!r} {sorted(row['comments'])}")
    assert not wrong_language, [(d["title_ru"], d["title_kk"]) for d in wrong_language[:5]]
    assert all(d["title_ru"] != d["title_kk"] for d in drafts)
    # The targets (≥ 0.80 / ≥ 0.80, no draft from a non-problem) at the reached level less a small
    # margin (measured 2026-12-03: precision 0.909, recall 0.978, 6 echo-only drafts; 0.876 / 0.956 / 7
    # before the evening's chat and district-issue rules).
    # Echo-only drafts are short reactions without an echo's form ("3 смены в 2026 году,
    # докатились"): attaching every short line to an earlier problem of its subtopic also swallowed
    # distinct short appeals. District-wide issues raised without a place in other words and
    # languages ("очередь в садик" / "балабақшаға кезек") are one draft by their shared subtopic
    # (scope = "district", [clusterer] district_issue).
    # None is the target. One chat remark sits near the detector's cut: "хакеры подъехали" (a joke
    # about the "<script>" line before it) has P(problem) 0.64-0.70 across batch compositions against
    # the 0.7 cut, and the int8 encoder's batch effect carried it over once in five clean-clone CI runs
    # (2026-12-04). Since it names no issue and no place, over the cut it now waits in triage rather
    # than being drafted (Labels.awaits_person; three replays on 2026-12-07: 0 each).
    assert s.from_non_problem == 0, "the chat's non-problems make drafts again"
    assert s.echo_only <= 8, "the chat's echoes make drafts of their own again"
    assert s.precision >= 0.88, f"fewer drafts match one gold problem than measured: {s.precision:.3f}"
    assert s.recall >= 0.96, f"fewer gold problems found than measured: {s.recall:.3f}"
    # The category a secretary sees beside the wording (measured 0.975; 0.850 before the wording's
    # subtopic and the category were made to agree): street lighting is not filed under education.
    assert same_category >= 0.93, f"matched drafts in another category than the gold one: {same_category:.3f}"
