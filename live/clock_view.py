"""JSON views of the clock: the live ClockView and the after-meeting timing record."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from tyndau.live.clock import ClockState, Plan, cap_state, planned_end
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
        "restarts": [
            {"down_from": iso(r.down_from), "down_to": iso(r.down_to), "phase": r.phase} for r in state.restarts
        ],
    }


def timing_record(meeting: dict[str, Any], state: ClockState, plan: Plan, now: datetime) -> dict[str, Any]:
    """Every phase segment with totals and whether the quarter rule held (for export and reports)."""
    t = state.totals
    pres = t["presentation"]
    active = pres + t["qa"]
    return {
        "meeting": {k: meeting[k] for k in ("id", "title", "akim_level", "place", "starts_at", "planned_minutes")},
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
        "presentation_share_of_planned": round(pres / plan.planned_seconds, 4),
        "qa_share": round(t["qa"] / active, 4) if active > 0 else None,
        "rule_held": pres <= plan.cap_seconds,
    }


def timing_csv(record: dict[str, Any]) -> str:
    """The timing record as CSV: one row per segment, then the totals (times in Asia/Almaty)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["phase", "started_at_almaty", "ended_at_almaty", "seconds", "restarted"])

    def local(value: str | None) -> str:
        return datetime.fromisoformat(value).astimezone(ALMATY).isoformat(timespec="seconds") if value else ""

    for s in record["segments"]:
        writer.writerow([s["phase"], local(s["started_at"]), local(s["ended_at"]), f"{s['seconds']:.1f}", "yes" if s["restarted"] else ""])
    writer.writerow([])
    for key, value in record["totals"].items():
        writer.writerow([key, "", "", f"{value:.1f}", ""])
    writer.writerow(["presentation_share_of_planned", "", "", f"{record['presentation_share_of_planned']:.4f}", ""])
    writer.writerow(["rule_held", "", "", "yes" if record["rule_held"] else "no", ""])
    return out.getvalue()
