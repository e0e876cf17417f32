"""The simulated meetings of benchmarks/synthetic_meetings.py have the dev meetings' shape."""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "synthetic_meetings.py"


def _module():
    spec = importlib.util.spec_from_file_location("synthetic_meetings", PATH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _appeals() -> list[dict[str, str]]:
    rows = []
    for reason in range(6):
        for k in range(10):
            rows.append({"text": f"жалоба {reason} номер {k}", "category": "utilities", "is_problem": "1",
                         "cluster": f"reason {reason}"})
    rows.append({"text": "Течёт крыша, ул. Ленина, д. 5", "category": "utilities", "is_problem": "1", "cluster": "reason 0"})
    rows.append({"text": "спасибо", "category": "", "is_problem": "0", "cluster": "reason 0"})
    return rows


def test_one_problem_is_one_reason_at_one_building_named_in_every_comment():
    synthetic = _module()
    sizes = (1,) * 10 + (2,) * 4 + (3, 4)
    rows = synthetic.build_meeting(_appeals(), seed=7, buildings=12, reasons=5, sizes=sizes)
    assert len(rows) == sum(sizes)
    assert sorted(Counter(Counter(r["cluster"] for r in rows).values()).elements()) == sorted(sizes)
    address = re.compile("(" + "|".join(map(re.escape, synthetic.STREETS)) + r"), \d+(?: к\d)?")
    named: dict[str, set[str]] = {}
    for row in rows:
        found = [m.group(0) for m in address.finditer(row["text"])]
        assert len(found) == 1, row["text"]
        named.setdefault(row["cluster"].split("@")[1], set()).add(found[0])
        assert "Ленина" not in row["text"] and "спасибо" not in row["text"]  # own address, not a problem
    assert all(len(names) == 1 for names in named.values())
    assert len(set().union(*named.values())) == len(named)  # different buildings, different addresses
    assert rows == synthetic.build_meeting(_appeals(), seed=7, buildings=12, reasons=5, sizes=sizes)
    assert rows != synthetic.build_meeting(_appeals(), seed=8, buildings=12, reasons=5, sizes=sizes)


def test_too_few_appeals_is_a_clear_error():
    synthetic = _module()
    with pytest.raises(ValueError, match="reasons have"):
        synthetic.build_meeting(_appeals(), seed=1, reasons=30)
