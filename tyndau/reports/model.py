"""The data the report builders read: frozen dataclasses the caller fills from the store.

Texts are expected already redacted of personal data; the builders still strip control
characters and clip overlong texts (see :mod:`tyndau.reports.text`). Instants are aware
``datetime`` values (naive ones are read as UTC), calendar deadlines are ``date`` values.
Sequences passed as lists are stored as tuples and mappings are copied, so a built object
does not change under the caller's feet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

STATUSES: tuple[str, ...] = (
    "resolved", "in_progress", "next_year_budget", "budget_revision", "no_design_documents", "not_supported",
)
CLOSED_STATUSES = frozenset({"resolved", "not_supported"})
COMPETENCES: tuple[str, ...] = ("local", "central", "national_company")
FUNDING_SOURCES: tuple[str, ...] = ("local", "republican", "other")
TIMING_KEYS: tuple[str, ...] = (
    "presentation_seconds", "qa_seconds", "cap_seconds", "planned_seconds", "presentation_share_of_planned", "rule_held",
)
AMENDMENT_KEYS: tuple[str, ...] = ("amendments", "planned_minutes_as_run", "rule_held_as_planned")


def _freeze(obj: object, **fields: object) -> None:
    """Set converted field values on a frozen instance (used from ``__post_init__``)."""
    for name, value in fields.items():
        object.__setattr__(obj, name, value)


@dataclass(frozen=True, slots=True)
class MeetingFacts:
    """One meeting or personal reception of a round, as it went."""

    id: int
    title: str
    akim_name: str
    akim_level: str
    place: str
    starts_at: datetime
    ended_at: datetime | None = None
    attendance: int | None = None
    online_reach: int | None = None
    comments_by_source: Mapping[str, int] = field(default_factory=dict)
    answered_on_spot: int = 0
    timing: Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        _freeze(
            self,
            comments_by_source=dict(self.comments_by_source),
            timing=None if self.timing is None else timing_from_record(self.timing),
        )

    @property
    def comments_total(self) -> int:
        """All comments received, over every source."""
        return sum(self.comments_by_source.values())


@dataclass(frozen=True, slots=True)
class Problem:
    """A problem question taken under control, with its action-plan fields."""

    number: int
    title_ru: str
    title_kk: str
    place: str
    category: str
    category_ru: str
    category_kk: str
    mentions: int = 0
    mentions_by_source: Mapping[str, int] = field(default_factory=dict)
    measures: str = ""
    deadline: date | None = None
    executor: str | None = None
    executor_kk: str | None = None
    competence: str = "local"
    funding_need_tenge: int | None = None
    funding_allocated_tenge: int | None = None
    funding_source: str | None = None
    status: str = "in_progress"
    status_note: str = ""
    quotes: Sequence[str] = ()
    central_list: bool = False
    measures_kk: str = ""
    region: str | None = None
    meeting_id: int | None = None
    problem_id: int | None = None  # the store's id (links a refused export's list to the review)
    accepted: bool = True  # False: an unreviewed machine draft (never in a final package)
    place_kk: str = ""  # the place as Kazakh spells it ('' for problems stored before it was kept)

    def __post_init__(self) -> None:
        _freeze(self, mentions_by_source=dict(self.mentions_by_source), quotes=tuple(self.quotes))

    def title(self, lang: str) -> str:
        """The wording in a language, falling back to the other one when empty."""
        return (self.title_kk or self.title_ru) if lang == "kk" else (self.title_ru or self.title_kk)

    def issue(self, lang: str) -> str:
        """The wording without the place it ends with, for a table that gives the place its own column.

        A draft is worded with its place ("Нет водоснабжения — Иргели") so that it reads alone in
        the review; beside a place column the place would be printed twice. A wording that ends in
        anything else (a secretary's own) is kept whole.
        """
        title, place = self.title(lang), self.place_text(lang)
        head, sep, tail = title.rpartition(" — ")
        if sep and head.strip() and place.strip() and _same_words(tail, place):
            return head.rstrip()
        return title

    def place_text(self, lang: str) -> str:
        """The place in a language, falling back to the other one when empty."""
        return (self.place_kk or self.place) if lang == "kk" else (self.place or self.place_kk)

    def category_name(self, lang: str) -> str:
        """The category's name in a language (falls back to the other, then the id)."""
        first, second = (self.category_kk, self.category_ru) if lang == "kk" else (self.category_ru, self.category_kk)
        return first or second or self.category

    def executor_name(self, lang: str) -> str:
        """The responsible executor in a language ('' when none is assigned)."""
        if lang == "kk":
            return self.executor_kk or self.executor or ""
        return self.executor or self.executor_kk or ""

    def measures_text(self, lang: str) -> str:
        """Planned measures in a language (Kazakh falls back to the Russian text)."""
        return (self.measures_kk or self.measures) if lang == "kk" else (self.measures or self.measures_kk)


@dataclass(frozen=True, slots=True)
class ReceptionFacts:
    """A personal reception of the round: when, where, how many citizens and questions, who received
    them (roles and organisations only: names stay in the workspace)."""

    id: int
    starts_at: datetime
    ended_at: datetime | None = None
    place: str = ""
    citizens_received: int | None = None
    questions: int = 0
    participants: Sequence[tuple[str, str]] = ()  # (role, organisation)
    cancelled: bool = False

    def __post_init__(self) -> None:
        _freeze(self, participants=tuple(tuple(p) for p in self.participants))


@dataclass(frozen=True, slots=True)
class AudienceFacts:
    """One category of the wide audience: how many came and from which organisations (no names)."""

    category: str
    people: int
    organisations: Sequence[str] = ()

    def __post_init__(self) -> None:
        _freeze(self, organisations=tuple(self.organisations))


@dataclass(frozen=True, slots=True)
class Round:
    """A round of meetings/receptions of one akim (or one meeting) whose results are published together."""

    title: str
    akim: str
    meetings: Sequence[MeetingFacts]
    problems: Sequence[Problem]
    generated_at: datetime
    final: bool = False
    title_kk: str = ""
    region: str | None = None
    left_out: Sequence[Problem] = ()  # drafts a final package leaves out (not accepted), for the reviewer
    receptions: Sequence[ReceptionFacts] = ()
    commission: Sequence[tuple[str, str]] = ()  # the pooling commission as (role, organisation)
    attendance: Sequence[AudienceFacts] = ()

    def __post_init__(self) -> None:
        _freeze(self, meetings=tuple(self.meetings), problems=tuple(self.problems), left_out=tuple(self.left_out),
                receptions=tuple(self.receptions), commission=tuple(tuple(c) for c in self.commission),
                attendance=tuple(self.attendance))

    @property
    def events(self) -> tuple[MeetingFacts | ReceptionFacts, ...]:
        """The meetings and receptions: the 10-day clock runs from the end of the last of them."""
        return (*self.meetings, *self.receptions)

    def heading(self, lang: str) -> str:
        """The round's title in a language."""
        return (self.title_kk or self.title) if lang == "kk" else self.title


@dataclass(frozen=True, slots=True)
class ProgressEntry:
    """One problem in the quarterly report: where it stood last quarter and where it stands now."""

    problem: Problem
    previous_status: str | None  # None: the problem is new this quarter
    current_status: str
    note: str = ""

    @property
    def changed(self) -> bool:
        """Whether the status moved since last quarter (a new problem counts as changed)."""
        return self.previous_status != self.current_status


@dataclass(frozen=True, slots=True)
class ProgressReport:
    """The quarterly progress report's input: the entries of one akim (or akimat) for a quarter."""

    title: str
    akim: str
    year: int
    quarter: int
    entries: Sequence[ProgressEntry]
    generated_at: datetime
    final: bool = False
    title_kk: str = ""

    def __post_init__(self) -> None:
        if self.quarter not in (1, 2, 3, 4):
            raise ValueError(f"quarter must be 1..4, not {self.quarter!r}")
        _freeze(self, entries=tuple(self.entries))

    def heading(self, lang: str) -> str:
        """The report's title in a language."""
        return (self.title_kk or self.title) if lang == "kk" else self.title


def timing_from_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """The flat timing fields from either a flat dict or the clock's ``timing_record`` (totals nested)."""
    totals = record.get("totals")
    source: dict[str, Any] = {**totals, **record} if isinstance(totals, Mapping) else dict(record)
    flat = {key: source.get(key) for key in TIMING_KEYS}
    flat.update({key: source[key] for key in AMENDMENT_KEYS if source.get(key) not in (None, [], {})})  # plan changes after the end, when any
    return flat


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
