"""JSON views of the clock: the live ClockView and the after-meeting timing record."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime
from typing import Any

from tyndau.domain.clock import ClockState, Plan, cap_state, planned_end
from tyndau.timeutil import ALMATY, iso


def clock_view(meeting_id: int, state: ClockState, plan: Plan, now: datetime) -> dict[str, Any]:
    """What consoles and screens render; totals are as of ``server_time``, clients tick from there."""
    t = state.totals
    pres, qa, pause = t["presentation"], t["qa"], t["pause"]
    end_at = planned_end(state, plan)
    active = pres + qa
    elapsed_total = pres + qa + pause
    finished = state.phase == "ended"
    return {
        "meeting_id": meeting_id,
        "phase": state.phase,
        "paused_phase": state.paused_phase,
        "version": state.version,
        "phase_started_at": iso(state.phase_started_at),
        "server_time": iso(now),
        "presentation_seconds": round(pres, 3),
        "qa_seconds": round(qa, 3),
        "pause_seconds": round(pause, 3),
        "cap_seconds": plan.cap_seconds,
        "warning_seconds": plan.cap_seconds * plan.warning_ratio,
        "over_cap_seconds": round(max(0.0, pres - plan.cap_seconds), 3),
        "planned_seconds": plan.planned_seconds,
        "cap_state": cap_state(pres, plan),
        "started_at": iso(state.started_at),
        "ended_at": iso(state.ended_at),
        "planned_end_at": iso(end_at),
        "remaining_seconds": None if finished else round((end_at - now).total_seconds(), 3),
        "running_over": elapsed_total > plan.planned_seconds,
        "qa_share": round(qa / active, 4) if active > 0 else None,
        "can_undo": state.can_undo,
        "undo_action": state.last_action,
        "restarts": [
            {"down_from": iso(r.down_from), "down_to": iso(r.down_to), "phase": r.phase} for r in state.restarts
        ],
    }


def share_shown(share: float | None, held: bool | None, digits: int = 1) -> float | None:
    """A presentation share rounded so that it never contradicts the verdict beside it.

    Rounded to the nearest, 30:01 of 120 minutes reads "25,0 %" next to "rule broken": a broken
    rule is always shown above 25 % and a held one at or below it, at the precision shown.
    """
    if share is None:
        return None
    scale = 10 ** (digits + 2)
    shown = round(share * scale)
    quarter = round(0.25 * scale)
    if held is False and shown <= quarter:
        shown = quarter + 1
    elif held is True and shown > quarter:
        shown = quarter
    return shown / scale


def timing_record(meeting: dict[str, Any], state: ClockState, plan: Plan, now: datetime) -> dict[str, Any]:
    """Every phase segment with totals and whether the quarter rule held (for export and reports).

    Plan changes made after the meeting ended are listed under ``amendments``; when the planned
    duration changed, ``rule_held_as_planned`` is the verdict under the plan the meeting ran with.
    """
    t = state.totals
    pres = t["presentation"]
    active = pres + t["qa"]
    held = pres <= plan.cap_seconds
    amendments = [a for a in meeting.get("amendments") or [] if a.get("field") == "planned_minutes"]
    original = amendments[0].get("old") if amendments else None
    as_planned = None if not isinstance(original, (int, float)) or isinstance(original, bool) else pres <= original * 60.0 / 4
    share = round(pres / plan.planned_seconds, 4)
    return {
        "meeting": {k: meeting.get(k) for k in ("id", "title", "title_kk", "akim_level", "place", "starts_at", "planned_minutes")},
        "generated_at": iso(now),
        "final": state.phase == "ended",
        "phase": state.phase,
        "started_at": iso(state.started_at),
        "ended_at": iso(state.ended_at),
        "segments": [
            {
                "phase": s.phase, "started_at": iso(s.started_at), "ended_at": iso(s.ended_at),
                "seconds": round(s.seconds, 3), "restarted": s.restarted,
            }
            for s in state.segments
        ],
        "restarts": [{"down_from": iso(r.down_from), "down_to": iso(r.down_to), "phase": r.phase} for r in state.restarts],
        "totals": {
            "presentation_seconds": round(pres, 3),
            "qa_seconds": round(t["qa"], 3),
            "pause_seconds": round(t["pause"], 3),
            "cap_seconds": plan.cap_seconds,
            "planned_seconds": plan.planned_seconds,
            "over_cap_seconds": round(max(0.0, pres - plan.cap_seconds), 3),
        },
        "presentation_share_of_planned": share,
        "presentation_share_shown": share_shown(pres / plan.planned_seconds, held),
        "qa_share": round(t["qa"] / active, 4) if active > 0 else None,
        "rule_held": held,
        "amendments": list(meeting.get("amendments") or []),
        "planned_minutes_as_run": original if as_planned is not None else None,
        "rule_held_as_planned": as_planned,
    }


CSV_LABELS = {
    "n": "No.", "phase": "Phase", "start": "Start (Almaty)", "end": "End (Almaty)", "duration": "Duration",
    "seconds": "Seconds", "note": "Note", "restarted": "includes time the server was down", "running": "running",
    "total_presentation": "Presentation, total", "total_qa": "Q&A, total", "total_pause": "Pauses, total",
    "total_cap": "Presentation cap (1/4 of the plan)", "total_planned": "Planned duration", "share": "Presentation share of the plan",
    "rule": "The 1/4 rule", "rule_held": "held", "rule_broken": "broken", "rule_unknown": "no verdict yet",
    "amended": "Changed after the meeting", "field.planned_minutes": "Planned duration, min", "field.starts_at": "Planned start",
    "field.akim_level": "Akim level", "field.announced_at": "Announced on", "phase.presentation": "Presentation", "phase.qa": "Q&A", "phase.pause": "Pause",
}


def timing_csv(record: dict[str, Any], text: Callable[[str], str] | None = None) -> str:
    """The timing record as CSV for a spreadsheet in the user's language (``text(key)`` gives the labels).

    Semicolon-separated with decimal commas and a BOM, as Excel in a Russian or Kazakh locale reads
    it; one row per segment, then the totals, the share, the verdict and any later amendments.
    """
    label = text or (lambda key: CSV_LABELS.get(key, key))
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")

    def local(value: str | None) -> str:
        return datetime.fromisoformat(value).astimezone(ALMATY).strftime("%d.%m.%Y %H:%M:%S") if value else label("running")

    def number(value: float | None, digits: int = 1) -> str:
        return "" if value is None else f"{value:.{digits}f}".replace(".", ",")

    def clock(seconds: float | None) -> str:
        if seconds is None:
            return ""
        whole = int(max(0.0, seconds) + 1e-6)
        h, m, s = whole // 3600, whole % 3600 // 60, whole % 60
        return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"

    writer.writerow([label(k) for k in ("n", "phase", "start", "end", "duration", "seconds", "note")])
    for i, s in enumerate(record["segments"], start=1):
        writer.writerow([i, label(f"phase.{s['phase']}"), local(s["started_at"]), local(s["ended_at"]) if s["ended_at"] else label("running"),
                         clock(s["seconds"]), number(s["seconds"]), label("restarted") if s["restarted"] else ""])
    writer.writerow([])
    totals = record["totals"]
    for key, total in (("total_presentation", "presentation_seconds"), ("total_qa", "qa_seconds"), ("total_pause", "pause_seconds"),
                       ("total_cap", "cap_seconds"), ("total_planned", "planned_seconds")):
        writer.writerow(["", label(key), "", "", clock(totals[total]), number(totals[total]), ""])
    shown = record.get("presentation_share_shown", record["presentation_share_of_planned"])
    writer.writerow(["", label("share"), "", "", f"{number(shown * 100 if shown is not None else None)} %", "", ""])
    held = record.get("rule_held") if record.get("segments") else None
    writer.writerow(["", label("rule"), "", "", label("rule_held" if held is True else "rule_broken" if held is False else "rule_unknown"), "", ""])
    for a in record.get("amendments") or []:
        when = datetime.fromisoformat(a["at"]).astimezone(ALMATY).strftime("%d.%m.%Y %H:%M") if a.get("at") else ""
        writer.writerow(["", label("amended"), label(f"field.{a.get('field', '')}"), f"{a.get('old')} → {a.get('new')}", a.get("actor", ""), when, a.get("reason", "")])
    return out.getvalue()
