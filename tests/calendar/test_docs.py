"""docs/dev/calendar-rules.md names every rule function, and every function it names exists."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from tyndau.domain import calendar_rules, calendar_versions, coverage, kato, participation, periods, receptions, units
from tyndau.live import announcement, central_bodies, kato_files

DOC = Path(__file__).resolve().parents[2] / "docs" / "dev" / "calendar-rules.md"
RULE_MODULES = (announcement, calendar_rules, calendar_versions, central_bodies, coverage, kato_files, participation,
                receptions)
TESTS = Path(__file__).resolve().parent


def test_every_public_rule_function_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [f"{m.__name__}.{name}" for m in RULE_MODULES for name, obj in vars(m).items()
               if inspect.isfunction(obj) and obj.__module__ == m.__name__ and not name.startswith("_")
               and f"`{name}`" not in text]
    assert not missing, f"not in {DOC.name}: {missing}"


def test_every_name_the_doc_cites_exists() -> None:
    text = DOC.read_text(encoding="utf-8")
    everything = {n for m in (*RULE_MODULES, kato, periods, units) for n in vars(m)}
    everything |= {"check_announcement", "announcement_deadline", "last_event_end", "publication_deadline"}
    tests = {n for f in TESTS.glob("test_*.py") for n in re.findall(r"def (test_\w+)", f.read_text(encoding="utf-8"))}
    tests |= {"tests/reports/test_deadlines.py"}
    cited = set(re.findall(r"`([a-z_][a-z0-9_]*)`", text))
    for name in sorted(cited):
        if name.startswith("test_"):
            assert name in tests, name
    table = text.split("## The rules")[1].split("## Interpretations")[0]
    for name in re.findall(r"`([a-z_]+)`", table):
        if not name.startswith("test_") and "_" in name and not name.endswith(".py"):
            assert name in everything, name


@pytest.mark.parametrize("module", RULE_MODULES + (kato, periods, units))
def test_modules_stay_small(module: object) -> None:
    assert len(inspect.getsource(module).splitlines()) < 400  # type: ignore[arg-type]
