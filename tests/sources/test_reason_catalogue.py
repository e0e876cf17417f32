"""Every reason a source or an import can give has words in both UI languages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tyndau.live.sources.health_codes import CODES, render

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = {lang: json.loads((ROOT / "config" / "i18n" / f"{lang}.json").read_text("utf-8")) for lang in ("ru", "kk")}


def detection_codes() -> set[str]:
    """The reason codes the import readers can produce (read from their source, so a new one cannot hide)."""
    found: set[str] = set()
    for name in ("encodings", "tables", "layout", "dates"):
        text = (ROOT / "live" / "sources" / f"{name}.py").read_text("utf-8")
        found.update(re.findall(r'Detected\([^,]+, "([a-z0-9_]+)"', text))
        found.update(re.findall(r'"(enc_[a-z0-9_]+|dates_[a-z_]+|header_[a-z_]+|delim_[a-z_]+)"', text))
    return found - {"header_row", "header_rows", "tab"}  # the detected properties' names, not reasons


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_health_code_and_its_parameters_are_in_the_catalogue(lang):
    catalogue = CATALOGUES[lang]
    for code, template in CODES.items():
        text = catalogue.get(f"sources.code_{code}")
        assert text, f"sources.code_{code} missing in {lang}"
        assert set(re.findall(r"\{(\w+)\}", text)) <= set(re.findall(r"\{(\w+)\}", template)), code
    assert "sources.state_waiting" in catalogue


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_import_detection_reason_is_in_the_catalogue(lang):
    codes = detection_codes()
    assert {"enc_kazakh_letters", "delim_sep_line", "header_two_rows", "dates_excel_serial", "given"} <= codes
    missing = [c for c in codes if f"import.why_{c}" not in CATALOGUES[lang] and not c.endswith("_rows_skipped")]
    assert missing == []


def test_render_never_raises():
    assert render("api_error", {"platform": "Telegram", "status": 500}) == "Telegram API error 500: ; retrying in  s"
    assert render("no_such_code", {}) == "no_such_code"
