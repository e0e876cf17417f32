"""Both UI catalogues are complete: every key the pages and scripts use exists in Russian and in
Kazakh, none is empty or left untranslated, placeholders agree, and every category has a name."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tyndau.domain.clock import PHASE_ACTIONS
from tyndau.domain.meeting import AKIM_LEVELS
from tyndau.permissions import ROLES

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "config" / "i18n"
PAGES = ROOT / "operator_ui" / "pages"
SCRIPTS = ROOT / "operator_ui" / "static" / "js"
PLURAL_RU_ONLY = (".few", ".many")  # Kazakh has only "one" and "other"
# The same word in both languages (brands, formats, loanwords Kazakh uses as they are).
SAME_IN_BOTH = {
    "app.name", "feed.kind_paid", "feed.kind_paid_amount", "feed.kind_sticker", "feed.kind_sticker_amount", "feed.lang_kk",
    "feed.lang_lat", "feed.throttled", "feed.show_throttled", "import.col_author", "import.file", "import.kind_csv", "import.kind_xlsx",
    "role.moderator", "source.facebook", "source.file", "source.instagram", "source.telegram", "source.youtube", "sources.kind",
    "sources.kind_facebook", "sources.kind_facebook_webhook", "sources.kind_instagram_webhook", "sources.kind_telegram",
    "sources.kind_youtube", "source.telegram.mode.webhook", "timing.col_n", "timing_csv.seconds", "review.anonymous", "review.nav_console", "review.rank",
    "review.source_webhook", "dashboard.pub_round",
}


def _load(name: str) -> dict[str, str]:
    return json.loads((CONFIG / name).read_text("utf-8"))


def _pair(part: str) -> tuple[dict[str, str], dict[str, str]]:
    suffix = f".{part}" if part else ""
    return _load(f"ru{suffix}.json"), _load(f"kk{suffix}.json")


def _merged(lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted(CONFIG.glob(f"{lang}*.json")):
        if path.name == f"{lang}.json" or path.name.startswith(f"{lang}."):
            out.update(json.loads(path.read_text("utf-8")))
    return out


@pytest.mark.parametrize("part", ["", "review", "planner", "national"])
def test_russian_and_kazakh_have_the_same_keys(part):
    ru, kk = _pair(part)
    missing_kk = sorted(k for k in ru if k not in kk and not k.endswith(PLURAL_RU_ONLY))
    missing_ru = sorted(k for k in kk if k not in ru)
    assert missing_kk == [] and missing_ru == []
    for key in ru:
        if key.endswith(".few"):  # a plural: both languages need "one" and "other"
            base = key[: -len(".few")]
            assert all(f"{base}.{form}" in lang for form in ("one", "other") for lang in (ru, kk)), base


@pytest.mark.parametrize("part", ["", "review", "planner", "national"])
def test_no_string_is_empty_untranslated_or_has_other_placeholders(part):
    ru, kk = _pair(part)
    for key, text in ru.items():
        assert text.strip(), f"ru {key} is empty"
        if key not in kk:
            continue
        assert kk[key].strip(), f"kk {key} is empty"
        if key not in SAME_IN_BOTH:
            assert kk[key] != text, f"kk {key} is the Russian text: {text!r}"
        assert set(re.findall(r"{(\w+)}", text)) == set(re.findall(r"{(\w+)}", kk[key])), key


def _used_keys() -> set[str]:
    keys: set[str] = set()
    for page in PAGES.glob("*.html"):
        html = page.read_text("utf-8")
        keys |= set(re.findall(r'data-i18n="([\w.]+)"', html))
        keys |= set(re.findall(r'data-quick="([\w.]+)"', html))
        for attrs in re.findall(r'data-i18n-attr="([^"]+)"', html):
            keys |= {pair.split(":", 1)[1] for pair in attrs.split(";") if ":" in pair}
    for script in SCRIPTS.glob("*.js"):
        code = script.read_text("utf-8")
        keys |= set(re.findall(r'\bt\(\s*"([\w.]+)"', code))
        plural = set(re.findall(r'\btn\(\s*"([\w.]+)"', code))
        keys |= {f"{k}.one" for k in plural} | {f"{k}.other" for k in plural}
    return keys


def test_every_key_the_pages_and_scripts_use_exists_in_both_languages():
    used = _used_keys()
    assert len(used) > 300
    for lang in ("ru", "kk"):
        known = _merged(lang)
        assert sorted(used - set(known)) == [], lang


def test_every_value_of_an_enumeration_shown_by_key_has_a_label():
    dynamic = [f"phase.{p}" for p in ("not_started", "presentation", "qa", "pause", "ended")]
    dynamic += [f"undo.what.{a}" for a in PHASE_ACTIONS] + [f"akim_level.{lvl}" for lvl in AKIM_LEVELS] + [f"role.{r}" for r in ROLES]
    dynamic += [f"conn.{c}" for c in ("connecting", "connected", "reconnecting", "offline", "unauthorized")]
    dynamic += [f"cap.{c}" for c in ("calm", "warning", "over")] + [f"presenter.{c}" for c in ("calm", "warning", "over")]
    dynamic += [f"timing_csv.field.{f}" for f in ("planned_minutes", "starts_at", "akim_level", "announced_at")]
    dynamic += [f"review.action.{a}" for a in ("edit", "merge", "split", "move", "not_problem", "classify", "accept", "dismiss")]
    for lang in ("ru", "kk"):
        known = _merged(lang)
        assert [k for k in dynamic if k not in known] == [], lang


def test_every_category_has_a_name_in_both_languages():
    from tyndau.nlp.taxonomy import load_taxonomy

    for category in load_taxonomy(None).categories:
        assert category.name.get("ru", "").strip() and category.name.get("kk", "").strip(), category.id
        assert category.name["ru"] != category.id and category.name["kk"] != category.id


def test_every_kind_of_source_and_each_option_of_its_form_has_words_in_both_languages():
    from tyndau.live.source_kinds import builtin_kinds

    for lang in ("ru", "kk"):
        known = _merged(lang)
        missing = []
        for form in builtin_kinds().as_json():
            kind = form["kind"]
            missing += [f"sources.kind_{kind}"] if f"sources.kind_{kind}" not in known else []
            for option in form["options"]:
                for tail in ["", *(f".{c}" for c in option.get("choices", []))]:
                    keys = (f"source.{kind}.{option['name']}{tail}", f"source.option.{option['name']}{tail}")
                    missing += [keys[0]] if not any(k in known for k in keys) else []
        assert missing == [], lang
