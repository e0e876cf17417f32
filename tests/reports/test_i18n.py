"""The document string catalogues are complete and consistent in both languages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tyndau.domain.meeting import AKIM_LEVELS
from tyndau.reports.i18n import Strings, catalogue
from tyndau.reports.model import COMPETENCES, FUNDING_SOURCES, STATUSES

CONFIG = Path(__file__).resolve().parents[2] / "config" / "i18n"


def test_both_catalogues_have_the_same_keys_and_placeholders() -> None:
    ru = json.loads((CONFIG / "reports_ru.json").read_text(encoding="utf-8"))
    kk = json.loads((CONFIG / "reports_kk.json").read_text(encoding="utf-8"))
    assert set(ru) == set(kk)
    for key in ru:
        assert ru[key].strip() and kk[key].strip(), key
        assert set(re.findall(r"{(\w+)}", ru[key])) == set(re.findall(r"{(\w+)}", kk[key])), key


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_status_competence_source_and_level_has_a_label(lang: str) -> None:
    s = Strings(lang)
    for prefix, values in (("status", STATUSES), ("competence", COMPETENCES), ("funding_source", FUNDING_SOURCES), ("akim_level", AKIM_LEVELS)):
        for value in values:
            assert s.has(f"{prefix}.{value}"), f"{lang}: {prefix}.{value}"
    assert s.source("webhook:egov") .endswith("(egov)")
    assert s.source("unknown_source") == "unknown_source"


def test_strings_helpers() -> None:
    ru, kk = Strings("ru"), Strings("kk")
    assert ru.quarter(2026, 4) == "за IV квартал 2026 года" and kk.quarter(2026, 4) == "2026 жылғы IV тоқсан бойынша"
    assert ru.duration(1620) == "27\u00a0мин\u00a000\u00a0с" and kk.duration(3900) == "1\u00a0сағ\u00a005\u00a0мин"
    assert ru.yes_no(True) == "да" and kk.yes_no(False) == "жоқ" and ru.yes_no(None) == ""
    assert ru.funding(0, None, None) == "не требуется"
    assert ru.funding(None, None, None) == ""
    assert kk.funding(1000, 500, "republican") == "қажеттілік 1\u00a0000 теңге (республикалық бюджет); бөлінгені 500 теңге"
    assert ru.status(None) == "Новый"
    with pytest.raises(ValueError):
        catalogue("en")
