"""Personal receptions: validation, their questions in the pool, and the round's 10-day clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tyndau.domain.deadlines import last_event_end
from tyndau.domain.receptions import (
    PooledQuestion,
    Reception,
    ReceptionInvalid,
    ReceptionParticipant,
    ReceptionQuestion,
    RoundEvent,
    join_pool,
    publication_clock,
    reception_questions,
    validate_reception,
)

from .helpers import almaty

MEETING = RoundEvent("m1", "meeting", almaty(2026, 11, 20, 10), almaty(2026, 11, 20, 11, 15))
RECEPTION = Reception(
    "r1", "991600000", almaty(2026, 11, 25, 15), almaty(2026, 11, 25, 18), "Акимат, каб. 101",
    participants=(ReceptionParticipant("akim", "Н. Нурланов"), ReceptionParticipant("prosecutor", "А. Серикова", "Прокуратура района"),
                  ReceptionParticipant("police", "Б. Омаров", "ОП района"), ReceptionParticipant("maslikhat_deputy", "Г. Ким")),
    questions=(ReceptionQuestion("q1", "Нет воды в с. Коктобе с июля", "ru"),
               ReceptionQuestion("q2", "Көктөбе ауылына автобус қажет", "kk", answered_on_spot=True)),
    citizens_received=14,
)


def test_a_valid_reception_and_every_error_at_once() -> None:
    assert validate_reception(RECEPTION) is RECEPTION
    bad = Reception(" ", "o", almaty(2026, 11, 25, 15), almaty(2026, 11, 25, 14), "x" * 301,
                    participants=(ReceptionParticipant("mayor", ""),),
                    questions=(ReceptionQuestion("q", ""), ReceptionQuestion("q", "ok")), citizens_received=-1)
    with pytest.raises(ReceptionInvalid) as caught:
        validate_reception(bad)
    assert set(caught.value.fields) == {"id", "ended_at", "citizens_received", "place", "participants[0].role",
                                        "participants[0].name", "questions[0].text", "questions[1].id"}


def test_reception_questions_join_the_pool_with_source_reception_once() -> None:
    pooled = reception_questions([RECEPTION, Reception("r2", "o", almaty(2026, 11, 26), cancelled=True,
                                                        questions=(ReceptionQuestion("x", "ignored"),))])
    assert [(q.source, q.source_ref, q.lang, q.answered_on_spot) for q in pooled] == [
        ("reception", "reception:r1/q1", "ru", False), ("reception", "reception:r1/q2", "kk", True)]
    assert pooled[0].asked_at == RECEPTION.starts_at
    existing = (PooledQuestion("floor", "floor:7", "Дорога на Абая", almaty(2026, 11, 20, 10, 40)),)
    once = join_pool(existing, pooled)
    assert [q.source_ref for q in once] == ["floor:7", "reception:r1/q1", "reception:r1/q2"]
    assert join_pool(once, pooled) == once


def test_the_clock_runs_from_the_last_meeting_or_reception() -> None:
    reception = RoundEvent.of_reception(RECEPTION)
    clock = publication_clock([MEETING, reception], date(2026, 12, 1))
    assert (clock.state, clock.anchor_id, clock.deadline, clock.days_left) == ("running", "r1", date(2026, 12, 5), 4)
    only_meeting = publication_clock([MEETING], date(2026, 12, 1))
    assert (only_meeting.state, only_meeting.deadline, only_meeting.days_left) == ("overdue", date(2026, 11, 30), -1)
    open_reception = RoundEvent("r1", "reception", almaty(2026, 11, 25, 15))
    waiting = publication_clock([MEETING, open_reception], date(2026, 12, 1))
    assert (waiting.state, waiting.open_events, waiting.deadline) == ("waiting", ("r1",), None)
    cancelled = RoundEvent("r1", "reception", almaty(2026, 11, 25, 15), cancelled=True)
    assert publication_clock([MEETING, cancelled], date(2026, 11, 21)).deadline == date(2026, 11, 30)
    assert publication_clock([], date(2026, 12, 1)).state == "no_events"


def test_published_on_time_or_late_and_a_reception_too_late_to_join() -> None:
    events = [MEETING, RoundEvent.of_reception(RECEPTION)]
    assert publication_clock(events, date(2026, 12, 9), almaty(2026, 12, 5, 23, 50)).state == "published"
    assert publication_clock(events, date(2026, 12, 9), almaty(2026, 12, 6, 0, 10)).state == "published_late"
    late = RoundEvent("r9", "reception", almaty(2026, 12, 10, 10), almaty(2026, 12, 10, 12))
    clock = publication_clock(events + [late], date(2026, 12, 9))
    assert clock.outside_round == ("r9",) and clock.deadline == date(2026, 12, 5)
    on_deadline = RoundEvent("r8", "reception", almaty(2026, 12, 5, 10), almaty(2026, 12, 5, 12))
    assert publication_clock(events + [on_deadline], date(2026, 12, 9)).deadline == date(2026, 12, 15)


@pytest.mark.parametrize(("ended", "deadline"), [
    (almaty(2026, 12, 25, 18), date(2027, 1, 4)),                    # across the new year
    (datetime(2026, 12, 31, 19, 30, tzinfo=UTC), date(2027, 1, 11)),  # already 1 January in Almaty
    (almaty(2028, 2, 20, 12), date(2028, 3, 1)),                      # through 29 February
    (almaty(2027, 2, 20, 12), date(2027, 3, 2)),
])
def test_clock_edges(ended: datetime, deadline: date) -> None:
    event = RoundEvent("r", "reception", ended - timedelta(hours=2), ended)
    assert publication_clock([event], ended).deadline == deadline


def test_the_reports_last_event_end_skips_cancelled_events_and_still_takes_meeting_facts() -> None:
    cancelled_open = RoundEvent("x", "reception", almaty(2026, 11, 26), cancelled=True)
    assert last_event_end([MEETING, cancelled_open]) == MEETING.ended_at


events = st.lists(st.tuples(st.integers(0, 60 * 24 * 40), st.integers(1, 600), st.booleans()), min_size=1, max_size=8)


@given(events, st.integers(0, 60))
def test_clock_properties(spec: list[tuple[int, int, bool]], today_offset: int) -> None:
    base = datetime(2026, 11, 1, tzinfo=UTC)
    evs = [RoundEvent(f"e{i}", "meeting" if i == 0 else "reception", base + timedelta(minutes=s),
                      base + timedelta(minutes=s + d), cancelled=c and i > 0) for i, (s, d, c) in enumerate(spec)]
    today = date(2026, 11, 1) + timedelta(days=today_offset)
    clock = publication_clock(evs, today)
    members = [e for e in evs if not e.cancelled and e.id not in clock.outside_round]
    assert clock.deadline is not None and clock.last_end == max(e.ended_at for e in members if e.ended_at)
    assert clock.deadline == (max(e.ended_at for e in members if e.ended_at) + timedelta(hours=5)).date() + timedelta(days=10)
    assert all((e.starts_at + timedelta(hours=5)).date() <= clock.deadline for e in members)
    noise = RoundEvent("noise", "reception", base, None, cancelled=True)
    assert publication_clock(evs + [noise], today) == clock
