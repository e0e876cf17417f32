"""The OpenAPI paths and schemas of the planning side (units, organisers, calendars, rounds, receptions).

Kept beside :mod:`tyndau.operator_ui.openapi` (which merges them) so the planning routes are
described in one place; the field limits come from the modules that enforce them.
"""

from __future__ import annotations

from typing import Any

from tyndau.live.calendar_versions import CHANGE_KINDS, MAX_REASON
from tyndau.live.coverage import OFF_CALENDAR_REASONS
from tyndau.live.participation import AUDIENCE_CATEGORIES, COMMISSION_ROLES
from tyndau.live.receptions import MAX_TEXT, RECEPTION_ROLES
from tyndau.live.units import KIND_IDS

ERR = {"$ref": "#/components/responses/Error"}
BODY_ERRORS = (400, 413, 415)
ID = {"type": "integer", "minimum": 1, "maximum": 999_999_999_999}
DAY = {"type": "string", "format": "date"}
DT = {"type": "string", "format": "date-time"}
LANG = {"type": "string", "enum": ["ru", "kk"]}
UNIT = {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,40}$"}
ORGANISER = {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,60}$"}
YEAR = {"type": "integer", "minimum": 2000, "maximum": 2100}
DOCS = ["application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "enum" in schema:
        return {**schema, "enum": [*schema["enum"], None]}
    return {**schema, "type": [schema.get("type", "string"), "null"]}


def _text(limit: int, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "maxLength": limit, **extra}


def _op(summary: str, ok: dict[str, Any], *, body: str | None = None, errors: tuple[int, ...] = (401, 403), tag: str = "planning",
        params: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    codes = sorted(set(errors) | (set(BODY_ERRORS) if body else set()))
    op: dict[str, Any] = {"summary": summary, "tags": [tag], "responses": {**ok, **{str(c): ERR for c in codes}}}
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{body}"}}}}
    if params:
        op["parameters"] = params
    return op


def _ok(code: int = 200, description: str = "OK") -> dict[str, Any]:
    return {str(code): {"description": description, "content": {"application/json": {"schema": {"type": "object"}}}}}


def _path(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _query(name: str, schema: dict[str, Any], description: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "in": "query", "required": False, "schema": schema}
    if description:
        out["description"] = description
    return out


def planning_paths() -> dict[str, Any]:
    """The planning routes."""
    today = _query("today", DAY, "look at the year as of this day (default: today in Almaty)")
    cal = [_path("organiser_id", ORGANISER), _path("year", YEAR)]
    mid, rid = _path("meeting_id", ID), _path("round_id", ID)
    return {
        "/api/v1/units": {
            "get": _op("Administrative units in tree order, with the unit kinds", _ok(), errors=(400, 401, 403, 404),
                       params=[_query("under", UNIT, "a unit and everything below it"), _query("on", DAY, "only units existing that day")]),
            "post": _op("Add a unit by hand (KATO code or an id of ours, kind, parent, names, valid_from)", _ok(201, "Created"),
                        body="UnitInput", errors=(401, 403, 409, 422)),
        },
        "/api/v1/units/import": {
            "post": {**_op("Import a KATO export (multipart file=.csv|.xlsx); dry_run=true reports what it would do. 422 import_refused "
                           "(with the report) when rows are in error or stored units would move or break",
                           {**_ok(201, "Imported"), **_ok(200, "Dry run")}, errors=(400, 401, 403, 413, 415, 422),
                           params=[_query("dry_run", {"type": "boolean"})]),
                     "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                         "type": "object", "required": ["file"], "properties": {"file": {"type": "string", "format": "binary"}}}}}}},
        },
        "/api/v1/units/imports": {"get": _op("Applied imports, newest first", _ok())},
        "/api/v1/units/kinds": {"get": _op("The kinds of unit (names, akim level, allowed parents)", _ok())},
        "/api/v1/units/{unit_id}": {
            "parameters": [_path("unit_id", UNIT)],
            "patch": _op("Rename a unit or change its dates (valid_to abolishes it); a unit never moves", _ok(), body="UnitPatch",
                         errors=(401, 403, 404, 422)),
        },
        "/api/v1/organisers": {
            "get": _op("Akimats and central bodies, with the years they have calendars for", _ok()),
            "post": _op("The akimat of a unit ({unit_id}) or a central body ({kind: central_body, id, name_ru, name_kk})",
                        _ok(201, "Created"), body="OrganiserInput", errors=(401, 403, 404, 409, 422)),
        },
        "/api/v1/central-bodies": {"get": _op("Exempt bodies, central organisers and their reporting dates", _ok(), errors=(400, 401, 403),
                                              params=[today])},
        "/api/v1/organisers/{organiser_id}/calendars/{year}": {
            "parameters": cal,
            "get": _op("The calendar: status, approval milestones, visits (with their meetings), versions", _ok(), errors=(400, 401, 403, 404),
                       params=[today]),
        },
        "/api/v1/organisers/{organiser_id}/calendars/{year}/changes": {
            "parameters": cal,
            "post": _op("One change: draft (edit the plan), approve (with the maslikhat's date), adjust (agreed with the maslikhat, "
                        "with a reason: a new version), submit, pass_on. 409 with the rule's code when it cannot apply",
                        _ok(201, "Applied"), body="CalendarChangeInput", errors=(400, 401, 403, 404, 409, 422)),
        },
        "/api/v1/organisers/{organiser_id}/calendars/{year}/coverage": {
            "parameters": cal,
            "get": _op("The coverage matrix (unit × quarter or half-year: held, planned, missing, not required) and the warnings",
                       _ok(), errors=(400, 401, 403, 404),
                       params=[today, _query("within_days", {"type": "integer", "minimum": 0, "maximum": 366, "default": 30})]),
        },
        "/api/v1/organisers/{organiser_id}/calendars/{year}/proposals": {
            "parameters": cal,
            "get": _op("Visits that would close every gap still closable (operations for a change)", _ok(), errors=(400, 401, 403, 404),
                       params=[today]),
        },
        "/api/v1/organisers/{organiser_id}/calendars/{year}/visits/{visit_id}/meeting": {
            "parameters": [*cal, _path("visit_id", {"type": "string", "minLength": 1, "maxLength": 40, "pattern": "^[^/]+$"})],
            "post": _op("Create the meeting of a planned visit (organiser, unit, level and day from the calendar)", _ok(201, "Created"),
                        body="PlanMeetingInput", errors=(400, 401, 403, 404, 409, 422)),
        },
        "/api/v1/organisers/{organiser_id}/calendars/{year}/calendar.{fmt}": {
            "parameters": [*cal, _path("fmt", {"type": "string", "enum": ["docx", "xlsx"]})],
            "get": _op("The calendar, its coverage matrix and its versions as a document", {"200": {"description": "the document",
                       "content": {t: {} for t in DOCS}}}, errors=(400, 401, 403, 404), params=[_query("lang", LANG), today]),
        },
        "/api/v1/rounds": {"post": _op("Group meetings of one organiser into a round", _ok(201, "Created"), body="RoundInput",
                                       errors=(401, 403, 404, 409, 422), tag="rounds")},
        "/api/v1/rounds/{round_id}": {
            "parameters": [rid],
            "get": _op("A round: meetings, receptions, commission and the 10-day publication clock", _ok(), errors=(401, 403, 404), tag="rounds"),
            "patch": _op("Rename a round or record when it was published (the clock stops there)", _ok(), body="RoundPatch",
                         errors=(400, 401, 403, 404, 422), tag="rounds"),
        },
        "/api/v1/rounds/{round_id}/commission": {
            "parameters": [rid],
            "get": _op("The commission that pools requests, with its check", _ok(), errors=(401, 403, 404), tag="rounds"),
            "put": _op("Replace the commission (errors refuse, warnings are answered)", _ok(), body="CommissionInput",
                       errors=(401, 403, 404, 422), tag="rounds"),
        },
        "/api/v1/receptions/{reception_id}": {
            "parameters": [_path("reception_id", ID)],
            "patch": _op("Change a reception (version as read; its end moves the round's clock); answers the round", _ok(),
                         body="ReceptionPatch", errors=(400, 401, 403, 404, 409, 422, 503), tag="rounds"),
        },
        "/api/v1/meetings/{meeting_id}/round": {"parameters": [mid], "get": _op("The meeting's round (null while it has none)", _ok(),
                                                                                errors=(401, 403, 404), tag="rounds")},
        "/api/v1/meetings/{meeting_id}/receptions": {
            "parameters": [mid],
            "post": _op("Record a personal reception after the meeting; its questions join the problem list (source reception)",
                        _ok(201, "Recorded"), body="ReceptionInput", errors=(401, 403, 404, 422, 503), tag="rounds"),
        },
        "/api/v1/meetings/{meeting_id}/attendance": {
            "parameters": [mid],
            "get": _op("The wide-audience record, its summary (no names) and its check", _ok(), errors=(401, 403, 404), tag="rounds"),
            "put": _op("Replace the wide-audience record", _ok(), body="AttendanceInput", errors=(401, 403, 404, 422), tag="rounds"),
        },
        "/api/v1/meetings/{meeting_id}/announcement": {
            "parameters": [mid],
            "post": _op("Draft the announcement for the official accounts in Russian and Kazakh", _ok(), body="AnnouncementInput",
                        errors=(401, 403, 404, 422), tag="rounds"),
        },
        "/api/v1/meetings/{meeting_id}/planning": {
            "parameters": [mid],
            "patch": _op("Set the meeting's organiser and place unit, or mark it as held outside the calendar", _ok(),
                         body="MeetingPlanning", errors=(400, 401, 403, 404, 409, 422), tag="planning"),
        },
    }


def planning_schemas() -> dict[str, Any]:
    """The request bodies of the planning routes."""
    name = _text(300)
    operation = {"type": "object", "required": ["op"], "additionalProperties": False, "properties": {
        "op": {"type": "string", "enum": ["add", "move", "cancel"]}, "visit_id": _text(40), "planned_on": DAY,
        "place_unit_id": _nullable(UNIT), "note": _text(500)}}
    participant = {"type": "object", "required": ["role", "name"], "additionalProperties": False, "properties": {
        "role": {"type": "string", "enum": list(RECEPTION_ROLES)}, "name": _text(200, minLength=1, pattern=r"\S"), "organisation": _text(300)}}
    question = {"type": "object", "required": ["text"], "additionalProperties": False, "properties": {
        "id": _text(40), "text": _text(MAX_TEXT, minLength=1, pattern=r"\S"), "lang": _nullable({"type": "string", "enum": ["ru", "kk", "mixed"]}),
        "answered_on_spot": {"type": "boolean"}, "citizen": _text(200, description="kept private (secretaries and admins)"),
        "contact": _text(200, description="kept private"), "comment_id": _nullable({**ID, "description": "as read; ignored"})}}
    reception = {"starts_at": DT, "ended_at": _nullable(DT), "place": _text(300), "citizens_received": _nullable({"type": "integer", "minimum": 0, "maximum": 100_000}),
                 "cancelled": {"type": "boolean"}, "participants": {"type": "array", "maxItems": 50, "items": participant},
                 "questions": {"type": "array", "maxItems": 500, "items": question}}
    return {
        "UnitInput": {"type": "object", "required": ["kind"], "additionalProperties": False, "properties": {
            "id": UNIT, "kato": {"type": "string", "pattern": "^[0-9]{9}$"}, "kind": {"type": "string", "enum": list(KIND_IDS)},
            "parent_id": _nullable(UNIT), "name_ru": name, "name_kk": name, "valid_from": _nullable(DAY), "valid_to": _nullable(DAY)}},
        "UnitPatch": {"type": "object", "additionalProperties": False, "properties": {
            "name_ru": name, "name_kk": name, "valid_from": _nullable(DAY), "valid_to": _nullable(DAY)}},
        "OrganiserInput": {"type": "object", "additionalProperties": False, "properties": {
            "kind": {"type": "string", "enum": ["akimat", "central_body"]}, "unit_id": UNIT,
            "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{0,59}$"}, "name_ru": name, "name_kk": name}},
        "CalendarChangeInput": {"type": "object", "required": ["kind"], "additionalProperties": False, "properties": {
            "kind": {"type": "string", "enum": list(CHANGE_KINDS)}, "operations": {"type": "array", "maxItems": 500, "items": operation},
            "reason": _text(MAX_REASON), "maslikhat_agreed_on": _nullable(DAY), "maslikhat_ref": _text(200),
            "last_seq": {"type": "integer", "minimum": 0, "maximum": 1_000_000_000, "description": "the calendar's last_seq as read: a stale one gets 409"}}},
        "PlanMeetingInput": {"type": "object", "additionalProperties": False, "properties": {
            "starts_at": DT, "planned_minutes": {"type": "integer", "minimum": 1, "maximum": 720}, "title": _text(300), "title_kk": _text(300),
            "place": _text(300), "akim_name": _text(200), "announced_at": _nullable(DT),
            "stream_links": {"type": "array", "maxItems": 20, "items": {"type": "string", "format": "uri", "maxLength": 2000}}}},
        "RoundInput": {"type": "object", "required": ["meeting_ids"], "additionalProperties": False, "properties": {
            "meeting_ids": {"type": "array", "minItems": 1, "maxItems": 50, "items": ID}, "title": _text(300)}},
        "RoundPatch": {"type": "object", "additionalProperties": False, "properties": {"title": _text(300, minLength=1, pattern=r"\S"),
                                                                                        "published_at": _nullable(DT)}},
        "CommissionInput": {"type": "object", "required": ["members"], "additionalProperties": False, "properties": {
            "members": {"type": "array", "maxItems": 100, "items": {"type": "object", "required": ["name", "role"], "additionalProperties": False,
                        "properties": {"name": _text(200), "role": {"type": "string", "enum": list(COMMISSION_ROLES)}, "organisation": _text(300)}}}}},
        "AttendanceInput": {"type": "object", "required": ["entries"], "additionalProperties": False, "properties": {
            "entries": {"type": "array", "maxItems": 300, "items": {"type": "object", "required": ["category"], "additionalProperties": False,
                        "properties": {"category": {"type": "string", "enum": list(AUDIENCE_CATEGORIES)}, "organisation": _text(200),
                                       "name": _text(200), "count": {"type": "integer", "minimum": 1, "maximum": 100_000}}}}}},
        "ReceptionInput": {"type": "object", "required": ["starts_at"], "additionalProperties": False, "properties": reception},
        "ReceptionPatch": {"type": "object", "additionalProperties": False, "properties": {
            **reception, "version": {"type": "integer", "minimum": 1, "maximum": 1_000_000_000}}},
        "AnnouncementInput": {"type": "object", "additionalProperties": False, "properties": {
            "template_ru": _text(5000), "template_kk": _text(5000),
            "channels_ru": {"type": "array", "maxItems": 10, "items": _text(300)}, "channels_kk": {"type": "array", "maxItems": 10, "items": _text(300)},
            "questions_until": _nullable(DAY), "akim_ru": _text(200), "akim_kk": _text(200), "place_kk": _text(300),
            "topic_ru": _text(300), "topic_kk": _text(300)}},
        "MeetingPlanning": {"type": "object", "additionalProperties": False, "properties": {
            "organiser_id": _nullable(ORGANISER), "place_unit_id": _nullable(UNIT),
            "off_calendar_reason": _nullable({"type": "string", "enum": list(OFF_CALENDAR_REASONS)})}},
    }
