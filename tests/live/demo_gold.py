"""The demo chat's gold problem list (``demo_gold.toml``) and how a draft list is scored against it.

A draft matches a gold problem when at least three quarters of its comments (ambiguous ones
left out) belong to that problem, to a problem a secretary could file with it (``merge_ok``),
or only echo it; a second draft of the same problem is a duplicate to merge, not a match. A
draft "from a non-problem" is one whose comments are mostly not problems.
"""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
GOLD = HERE / "demo_gold.toml"
CHAT = HERE.parents[1] / "config" / "demo" / "meeting_chat.live_chat.json"
MATCH_SHARE = 0.75


@dataclass(frozen=True)
class GoldProblem:
    id: str
    issue: str
    category: str
    place: str
    comments: frozenset[int]
    echoes: frozenset[int]
    merge_ok: frozenset[str]


@dataclass
class Gold:
    problems: dict[str, GoldProblem]
    not_problems: frozenset[int]
    ambiguous: frozenset[int]
    owner: dict[int, str] = field(default_factory=dict)
    echo_of: dict[int, set[str]] = field(default_factory=dict)

    def compatible(self, pid: str) -> set[str]:
        """A problem and those a secretary could file together with it."""
        return {pid, *self.problems[pid].merge_ok}


def load_gold(path: Path = GOLD) -> Gold:
    """Read the gold list; inconsistencies raise ValueError."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    problems: dict[str, GoldProblem] = {}
    for raw in data["problem"]:
        p = GoldProblem(raw["id"], raw["issue"], raw["category"], raw.get("place", ""), frozenset(raw["comments"]),
                        frozenset(raw.get("echoes", ())), frozenset(raw.get("merge_ok", ())))
        if p.id in problems:
            raise ValueError(f"duplicate gold problem {p.id}")
        problems[p.id] = p
    gold = Gold(problems, frozenset(data["lists"]["not_problems"]), frozenset(data["lists"]["ambiguous"]))
    for p in problems.values():
        for other in p.merge_ok:
            if other not in problems:
                raise ValueError(f"{p.id}: merge_ok names unknown {other}")
        for c in p.comments:
            if c in gold.owner:
                raise ValueError(f"comment {c} is in {gold.owner[c]} and {p.id}")
            gold.owner[c] = p.id
        for c in p.echoes:
            gold.echo_of.setdefault(c, set()).add(p.id)
    return gold


def chat_ids(path: Path = CHAT) -> dict[str, int]:
    """External (YouTube) id → line index of every message in the chat file."""
    out: dict[str, int] = {}
    for index, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        for action in json.loads(line)["replayChatItemAction"]["actions"]:
            item = action.get("addChatItemAction", {}).get("item", {})
            for renderer in item.values():
                if isinstance(renderer, dict) and renderer.get("id") and "message" in renderer:
                    out.setdefault(renderer["id"], index)
    return out


def chat_texts(path: Path = CHAT) -> list[str]:
    """The text of each line's first message (for printing drafts), "" for lines without one."""
    out: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text = ""
        for action in json.loads(line)["replayChatItemAction"]["actions"]:
            item = action.get("addChatItemAction", {}).get("item", {})
            for renderer in item.values():
                if isinstance(renderer, dict) and "message" in renderer and not text:
                    text = "".join(run.get("text", run.get("emoji", {}).get("emojiId", "")) for run in renderer["message"].get("runs", []))
        out.append(text)
    return out


@dataclass
class Score:
    drafts: int
    counted: int
    matched: int
    duplicates: int
    mixed: int
    from_non_problem: int
    echo_only: int
    found: set[str]
    gold_total: int
    details: list[dict[str, Any]]

    @property
    def precision(self) -> float:
        return self.matched / self.counted if self.counted else 0.0

    @property
    def recall(self) -> float:
        return len(self.found) / self.gold_total if self.gold_total else 0.0


def _labels(gold: Gold, index: int) -> set[str]:
    if index in gold.owner:
        return {gold.owner[index]}
    return set(gold.echo_of.get(index, ()))


def score(drafts: list[list[int]], gold: Gold) -> Score:
    """Match each draft (its comments' line indices) to at most one gold problem."""
    details: list[dict[str, Any]] = []
    best_for: dict[str, tuple[int, int]] = {}
    counted = mixed = from_np = echo_only = 0
    for n, members in enumerate(drafts):
        clear = [c for c in members if c not in gold.ambiguous]
        row: dict[str, Any] = {"draft": n, "comments": members, "verdict": "ambiguous", "problem": None}
        details.append(row)
        if not clear:
            continue
        counted += 1
        nps = sum(1 for c in clear if c in gold.not_problems)
        if nps * 2 > len(clear):
            row["verdict"] = "non_problem"
            from_np += 1
            continue
        real = Counter(gold.owner[c] for c in clear if c in gold.owner)
        if not real:
            row["verdict"] = "echo_only"
            echo_only += 1
            continue
        best, share = None, 0.0
        for pid in real:
            ok = gold.compatible(pid)
            support = sum(1 for c in clear if _labels(gold, c) & ok)
            if support / len(clear) > share or (support / len(clear) == share and best and real[pid] > real[best]):
                best, share = pid, support / len(clear)
        assert best is not None
        if share < MATCH_SHARE:
            row["verdict"] = "mixed"
            mixed += 1
            continue
        row["verdict"], row["problem"] = "match", best
        previous = best_for.get(best)
        if previous is None or len(clear) > previous[1]:
            if previous is not None:
                details[previous[0]]["verdict"] = "duplicate"
            best_for[best] = (n, len(clear))
        else:
            row["verdict"] = "duplicate"
    matched = sum(1 for d in details if d["verdict"] == "match")
    duplicates = sum(1 for d in details if d["verdict"] == "duplicate")
    found: set[str] = set()
    for d in details:
        if d["verdict"] == "match":
            ok = gold.compatible(d["problem"])
            found.update(gold.owner[c] for c in d["comments"] if c in gold.owner and gold.owner[c] in ok)
    return Score(len(drafts), counted, matched, duplicates, mixed, from_np, echo_only, found, len(gold.problems), details)
