"""What blocks a final export: a final package holds the accepted problems only, each with a
responsible executor and a deadline (a draft export always works, marked DRAFT).

The fields a secretary edits are checked where they come in, by the review schema
(``tyndau.actions.review_schema.ProblemFields``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tyndau.reports.model import Round


@dataclass(frozen=True, slots=True)
class Missing:
    """A problem that cannot go into a final export, and which fields it lacks."""

    number: int
    title: str
    fields: tuple[str, ...]
    problem_id: int | None = None


class FinalExportBlocked(ValueError):
    """A final export was asked for while problems still lack an executor or a deadline."""

    def __init__(self, missing: Iterable[Missing]) -> None:
        self.missing = tuple(missing)
        super().__init__("final export blocked: " + "; ".join(f"№{m.number}: {', '.join(m.fields)}" for m in self.missing))


def ensure_exportable(round_: Round) -> None:
    """Raise :class:`FinalExportBlocked` for a final round with incomplete problems; drafts always pass."""
    if round_.final:
        missing = final_export_problems(round_)
        if missing:
            raise FinalExportBlocked(missing)


def final_export_problems(round_: Round) -> list[Missing]:
    """Problems lacking an executor or a deadline, in number order; empty means a final export may go."""
    missing: list[Missing] = []
    for problem in sorted(round_.problems, key=lambda p: p.number):
        lacks = tuple(
            name for name, ok in (
                ("executor", bool((problem.executor or "").strip())),
                ("deadline", problem.deadline is not None),
            ) if not ok
        )
        if lacks:
            missing.append(Missing(problem.number, problem.title_ru or problem.title_kk, lacks, problem.problem_id))
    return missing
