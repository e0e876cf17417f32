"""The OpenAPI 3.1 description of ``/api/v1`` (kept beside the routes; a test checks they match,
and a bounded schemathesis run checks the server keeps to it)."""

from __future__ import annotations

from typing import Any

from tyndau.live.clock import ACTIONS
from tyndau.operator_ui.openapi_national import national_paths, national_schemas
from tyndau.operator_ui.openapi_planning import planning_paths, planning_schemas
from tyndau.live.meeting import MAX_PLACE, MEETING_LEVELS, MAX_PLANNED_MINUTES, MAX_TITLE, MIN_PLANNED_MINUTES
from tyndau.store.meetings import MAX_PRESENTER_MESSAGE

_ERR = {"$ref": "#/components/responses/Error"}
# What any JSON body may earn: not JSON or a bad value (400), too large (413), not JSON at all (415).
BODY_ERRORS = (400, 413, 415)
ID = {"type": "integer", "minimum": 1, "maximum": 999_999_999_999}
LANG = {"type": "string", "enum": ["ru", "kk"]}
MEETINGS = {"type": "string", "pattern": r"^[0-9]{1,12}(,[0-9]{1,12}){0,499}$", "description": "meeting ids, comma-separated"}
ISO_DT = {"type": "string", "format": "date-time"}
NUM = {"type": "number"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    kind = schema.get("type", "string")
    return {**schema, "type": [kind, "null"]} if "enum" not in schema else {**schema, "type": [kind, "null"], "enum": [*schema["enum"], None]}


def _path(name: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": schema or ID}


def _query(name: str, schema: dict[str, Any], *, required: bool = False, description: str = "") -> dict[str, Any]:
    p: dict[str, Any] = {"name": name, "in": "query", "required": required, "schema": schema}
    if description:
        p["description"] = description
    return p


def _op(summary: str, ok: dict[str, Any], *, body: str | dict[str, Any] | None = None, errors: tuple[int, ...] = (401, 403),
        tag: str = "meetings", params: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    codes = sorted(set(errors) | (set(BODY_ERRORS) if body is not None else set()))
    op: dict[str, Any] = {"summary": summary, "tags": [tag], "responses": {**ok, **{str(c): _ERR for c in codes}}}
    if body is not None:
        schema = {"$ref": f"#/components/schemas/{body}"} if isinstance(body, str) else body
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": schema}}}
    if params:
        op["parameters"] = params
    return op


def _json(code: int, schema: str, description: str = "OK") -> dict[str, Any]:
    return {str(code): {"description": description, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}}


def _ok(description: str = "OK") -> dict[str, Any]:
    return {"200": {"description": description}}


def _file(types: list[str]) -> dict[str, Any]:
    return {"200": {"description": "the document", "content": {t: {} for t in types}}}


REPORT_TYPES = ["application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/html", "application/json", "application/zip"]
COMMENT_VERBS = ["pin", "unpin", "answered", "unanswered", "hide", "unhide", "current", "reveal"]


def _paths() -> dict[str, Any]:
    mid = _path("meeting_id")
    feed_query = [
        _query("limit", {"type": "integer", "minimum": 1, "maximum": 10000, "default": 100}),
        _query("after", {"type": "string", "pattern": r"^[0-9]{0,15}$"}, description="the `next` cursor of the previous page"),
        _query("lang", {"type": "string", "maxLength": 10}),
        _query("cluster", {"type": "integer", "minimum": 0, "maximum": 2**53 - 1}),
        _query("order", {"type": "string", "enum": ["oldest", "newest"]}),
        *(_query(n, {"type": "boolean"}) for n in ("is_problem", "hidden", "throttled", "pinned")),
        *(_query(n, {"type": "string"}) for n in ("source", "q", "category")),
    ]
    report_params = [_query("lang", LANG), _query("final", {"type": "boolean"},
                     description="refused (422 final_blocked, with the list) while a problem lacks an executor or a deadline")]
    return {
        "/healthz": {"get": {"summary": "Liveness and store check", "tags": ["ops"], "security": [], "responses": _ok("alive")}},
        "/api/v1/openapi.json": {"get": {"summary": "This document", "tags": ["ops"], "security": [], "responses": _ok("OpenAPI")}},
        "/api/v1/meta": {"get": _op("Akim levels, thresholds and the caller", _ok(), errors=(401,), tag="console")},
        "/api/v1/me": {"get": _op("The caller", _ok(), errors=(401,), tag="console")},
        "/api/v1/audit": {"get": _op("Audit log (admin)", _ok(), errors=(400, 401, 403), tag="ops", params=[_query("meeting_id", ID)])},
        "/api/v1/users": {"get": _op("Users: role, disabled, live sessions (admin)", _ok(), tag="people")},
        "/api/v1/users/{name}/{verb}": {
            "parameters": [_path("name", {"type": "string", "minLength": 1, "maxLength": 100, "pattern": "^[^/]+$"}),
                           _path("verb", {"type": "string", "enum": ["disable", "enable", "end-sessions"]})],
            "post": _op("Disable (ending every session and socket), enable, or log out everywhere (admin)", _ok(), errors=(401, 403, 404), tag="people")},
        "/api/v1/tokens": {"get": _op("API tokens by name, never the secret (admin)", _ok(), tag="people")},
        "/api/v1/tokens/{name}/revoke": {
            "parameters": [_path("name", {"type": "string", "minLength": 1, "maxLength": 100, "pattern": "^[^/]+$"})],
            "post": _op("Revoke every live token of a name; its sockets are closed (admin)", _ok(), errors=(401, 403, 404), tag="people")},
        "/api/v1/meetings": {
            "get": _op("List meetings", _json(200, "MeetingList")),
            "post": _op("Create a meeting", _json(201, "Meeting", "Created"), body="MeetingInput", errors=(401, 403, 422)),
        },
        "/api/v1/meetings/{meeting_id}": {
            "parameters": [mid],
            "get": _op("One meeting", _json(200, "Meeting"), errors=(401, 403, 404)),
            "patch": _op("Edit a meeting", _json(200, "Meeting"), body="MeetingPatch", errors=(401, 403, 404, 422)),
        },
        "/api/v1/meetings/{meeting_id}/clock": {
            "parameters": [mid],
            "get": _op("The clock now", _json(200, "Clock"), errors=(401, 403, 404), tag="clock"),
            "post": _op("Switch phase or undo", _json(200, "Clock"), body="ClockCommand", errors=(401, 403, 404, 409), tag="clock"),
        },
        "/api/v1/meetings/{meeting_id}/presenter-message": {
            "parameters": [mid],
            "post": _op("Message on the presenter screen", _ok(), body="PresenterMessage", errors=(401, 403, 404, 422), tag="clock"),
        },
        "/api/v1/meetings/{meeting_id}/comments": {
            "parameters": [mid],
            "post": {**_op("Submit a comment (generic webhook: bearer token or X-Tyndau-Signature HMAC)",
                           {**_json(201, "CommentAccepted", "Stored"), **_json(200, "CommentAccepted", "Duplicate: stored before")},
                           body={"oneOf": [{"$ref": "#/components/schemas/CommentInput"}, {"$ref": "#/components/schemas/CommentBatch"}]},
                           errors=(401, 403, 404, 422, 503), tag="comments"),
                     "security": [{"bearer": []}, {"hmac": []}]},
            "get": _op("Page through the comments (text redacted of personal data for every role)", _json(200, "CommentPage"),
                       errors=(400, 401, 403, 404), tag="comments", params=feed_query),
        },
        "/api/v1/meetings/{meeting_id}/comments/{comment_id}/{verb}": {
            "parameters": [mid, _path("comment_id"), _path("verb", {"type": "string", "enum": COMMENT_VERBS})],
            "post": _op("Moderate a comment (hide needs {\"reason\"}; current with personal data needs {\"confirm_personal_data\": true}); "
                        "reveal: the original text, author and contact (secretaries and admins; audited)",
                        _ok(), body={"type": "object"}, errors=(401, 403, 404, 409, 422, 503), tag="comments"),
        },
        "/api/v1/meetings/{meeting_id}/floor-questions": {
            "parameters": [mid],
            "post": _op("A question asked in the hall (author and contact kept private)", {"201": {"description": "Stored"}},
                        body="FloorQuestion", errors=(401, 403, 404, 422, 503), tag="comments"),
        },
        "/api/v1/meetings/{meeting_id}/sources": {
            "parameters": [mid],
            "get": _op("The meeting's comment sources and their health", _ok(), errors=(401, 403, 404), tag="sources"),
            "post": _op("Start a source: {kind: youtube|telegram|facebook|replay|instagram_webhook|facebook_webhook, config}",
                        {"201": {"description": "Started"}}, body="SourceInput", errors=(401, 403, 404, 422), tag="sources"),
        },
        "/api/v1/meetings/{meeting_id}/sources/{source_id}/{verb}": {
            "parameters": [mid, _path("source_id"), _path("verb", {"type": "string", "enum": ["stop", "start"]})],
            "post": _op("Stop a source, or start it again from its checkpoint", _ok(), errors=(401, 403, 404), tag="sources"),
        },
        "/api/v1/meetings/{meeting_id}/imports": {
            "parameters": [mid, _query("preview", {"type": "boolean"})],
            "post": {**_op("Import pooled requests (multipart: file=.csv|.xlsx|.live_chat.json, mapping=JSON, sheet)",
                           {"201": {"description": "Imported"}, "200": {"description": "Preview"}}, errors=(400, 401, 403, 404, 413, 415, 422, 503), tag="sources"),
                     "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
                         "file": {"type": "string", "format": "binary"}, "mapping": {"type": "string"}, "sheet": {"type": "string"},
                         "options": {"type": "string", "description": "JSON: {encoding?, delimiter?, header_row?, header_rows?: 1|2, date_order?: dmy|mdy} to correct what was detected"}}}}}}},
        },
        "/api/v1/meetings/{meeting_id}/problems": {
            "parameters": [mid, _query("merged", {"type": "boolean"})],
            "get": _op("Problems of a meeting (draft and reviewed), ranked by mentions", _ok(), errors=(400, 401, 403, 404), tag="review")},
        "/api/v1/problems": {
            "get": _op("Problems of a round: ?meetings=1,2,3", _ok(), errors=(400, 401, 403, 404), tag="review",
                       params=[_query("meetings", MEETINGS, required=True), _query("merged", {"type": "boolean"})])},
        "/api/v1/meetings/{meeting_id}/problems/{problem_id}": {
            "parameters": [mid, _path("problem_id")],
            "get": _op("One problem with every comment in it", _ok(), errors=(401, 403, 404), tag="review")},
        "/api/v1/meetings/{meeting_id}/review/{verb}": {
            "parameters": [mid, _path("verb", {"type": "string", "enum": ["edit", "merge", "split", "move", "not_problem", "classify", "accept", "dismiss", "undo"]})],
            "post": _op("A review decision. edit: {problem_id, version, fields}; merge: {target_id, source_ids}; split: {problem_id, comment_ids, title_ru?}; "
                        "move: {to_problem_id, comment_ids}; not_problem: {comment_ids}; classify: {comment_ids, category}; "
                        "accept: {problem_ids, accepted?} (several at once); dismiss: {problem_ids} (every comment of those problems is not a problem); "
                        "undo: {} (answers what it undid)", _ok(),
                        body={"type": "object"}, errors=(401, 403, 404, 409, 422), tag="review")},
        "/api/v1/meetings/{meeting_id}/report.{fmt}": {
            "parameters": [mid, _path("fmt", {"type": "string", "enum": ["docx", "xlsx", "html", "json", "zip"]}), *report_params],
            "get": _op("The 10-day publication package (zip = CSV tables for the open-data portal; HTML as a download). final=true: accepted problems only "
                       "(drafts are left out); 422 final_blocked (with the list) while an accepted problem lacks an executor or a deadline, or 422 nothing_accepted",
                       _file(REPORT_TYPES), errors=(400, 401, 403, 404, 422), tag="review")},
        "/api/v1/report.{fmt}": {
            "parameters": [_path("fmt", {"type": "string", "enum": ["docx", "xlsx", "html", "json", "zip"]}), _query("meetings", MEETINGS, required=True), *report_params],
            "get": _op("The 10-day publication package of a round of meetings", _file(REPORT_TYPES), errors=(400, 401, 403, 404, 422), tag="review")},
        "/api/v1/meetings/{meeting_id}/review-queue": {
            "parameters": [mid, _query("limit", {"type": "integer", "minimum": 1, "maximum": 2000, "default": 200})],
            "get": _op("Comments the NLP was unsure about, with counters (triage)", _ok(), errors=(400, 401, 403, 404), tag="review")},
        "/api/v1/quarterly.{fmt}": {
            "parameters": [_path("fmt", {"type": "string", "enum": ["docx", "xlsx", "json"]}), _query("meetings", MEETINGS, required=True),
                           _query("year", {"type": "integer", "minimum": 2000, "maximum": 2100}, required=True),
                           _query("quarter", {"type": "integer", "minimum": 1, "maximum": 4}, required=True),
                           _query("lang", LANG), _query("final", {"type": "boolean"})],
            "get": _op("Quarterly progress report (status at the start of the quarter vs now)", _file(REPORT_TYPES[:2] + ["application/json"]),
                       errors=(400, 401, 403, 404), tag="review")},
        "/api/v1/dashboard": {"get": _op("Dashboard figures and SVG charts (?meetings=...)", _ok(), errors=(400, 401, 403, 404), tag="review",
                                         params=[_query("meetings", MEETINGS), _query("lang", LANG)])},
        "/api/v1/vocabulary": {"get": _op("Categories and departments", _ok(), errors=(401,), tag="review")},
        "/api/v1/meetings/{meeting_id}/timing": {"parameters": [mid], "get": _op("Timing record", _json(200, "Timing"), errors=(401, 403, 404), tag="clock")},
        "/api/v1/meetings/{meeting_id}/timing.json": {"parameters": [mid], "get": _op("Timing record as a JSON download", _json(200, "Timing"), errors=(401, 403, 404), tag="clock")},
        "/api/v1/meetings/{meeting_id}/timing.csv": {"parameters": [mid, _query("lang", LANG)],
                                                     "get": _op("Timing record as CSV for a spreadsheet, headers and phases in the language (;-separated, decimal comma)",
                                                                {"200": {"description": "CSV", "content": {"text/csv": {}}}}, errors=(400, 401, 403, 404), tag="clock")},
        "/api/v1/akim-name": {"post": _op("Set the akim's name once for the meetings of a round: {meeting_ids, akim_name}", _ok(),
                                          body={"type": "object"}, errors=(400, 401, 403, 404, 415, 422), tag="meetings")},
    }


def _schemas() -> dict[str, Any]:
    meeting_fields = {
        "title": {"type": "string", "minLength": 1, "maxLength": MAX_TITLE, "pattern": r"\S"},
        "title_kk": {"type": "string", "maxLength": MAX_TITLE, "description": "the title in Kazakh (the Kazakh presenter screen and package)"},
        "akim_level": {"type": "string", "enum": list(MEETING_LEVELS), "description": "the akim's level, or central for a central body's first head"},
        "place": {"type": "string", "maxLength": MAX_PLACE},
        "starts_at": ISO_DT,
        "planned_minutes": {"type": "integer", "minimum": MIN_PLANNED_MINUTES, "maximum": MAX_PLANNED_MINUTES},
        "announced_at": _nullable(ISO_DT),
        "stream_links": {"type": "array", "maxItems": 20, "items": {"type": "string", "format": "uri", "maxLength": 2000}},
        "akim_name": {"type": "string", "maxLength": 200},
        "attendance": _nullable({"type": "integer", "minimum": 0, "maximum": 100_000_000}),
        "online_reach": _nullable({"type": "integer", "minimum": 0, "maximum": 100_000_000}),
    }
    meeting_out = {**meeting_fields, "title": {"type": "string"}, "place": {"type": "string"}, "akim_name": {"type": "string"},
                   "stream_links": {"type": "array", "items": {"type": "string"}}}
    comment_input = {"type": "object", "required": ["source", "text", "created_at"], "additionalProperties": False, "properties": {
        "source": {"type": "string", "minLength": 1, "maxLength": 60}, "external_id": {"type": "string", "maxLength": 200},
        "author": {"type": "string", "maxLength": 300}, "text": {"type": "string", "minLength": 1, "maxLength": 100_000, "pattern": r"\S"},
        "created_at": ISO_DT, "lang": {"type": "string", "maxLength": 10}}}
    return {
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
            "code": {"type": "string"}, "message": {"type": "string"}, "fields": {"type": "object", "additionalProperties": {"type": "string"}}}}}},
        "MeetingInput": {"type": "object", "required": ["title", "akim_level", "planned_minutes", "starts_at"], "properties": meeting_fields, "additionalProperties": False},
        "MeetingPatch": {"type": "object", "properties": {**meeting_fields, "amend_reason": {"type": "string", "maxLength": 500,
                         "description": "after the meeting ended, a change of planned_minutes, starts_at, akim_level or announced_at needs a reason (else 409 plan_locked) and is kept as an amendment"}},
                         "additionalProperties": False},
        "Meeting": {"type": "object", "required": ["id", "title", "akim_level", "planned_minutes", "starts_at"], "properties": {
            "id": {"type": "integer"}, **meeting_out, "created_at": ISO_DT, "presenter_message": {"type": "string"},
            "presenter_message_at": _nullable(ISO_DT),
            "announcement": {"type": "object", "properties": {"notice_days": {"type": "integer"}, "deadline": {"type": "string", "format": "date"},
                                                             "announced_on": _nullable({"type": "string", "format": "date"}),
                                                             "days_ahead": _nullable({"type": "integer"}), "met": _nullable({"type": "boolean"})}}}},
        "MeetingList": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Meeting"}}}},
        "ClockCommand": {"type": "object", "required": ["action"], "properties": {
            "action": {"type": "string", "enum": list(ACTIONS)},
            "version": {"type": "integer", "minimum": 0, "maximum": 2**53, "description": "the clock version the client saw; stale versions get 409"},
            "command_id": {"type": "string", "minLength": 1, "maxLength": 64, "description": "idempotency key: a repeated command is applied once"}}},
        "PresenterMessage": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "maxLength": MAX_PRESENTER_MESSAGE}}},
        "Clock": {"type": "object", "required": ["phase", "presentation_seconds", "qa_seconds", "pause_seconds", "cap_seconds", "over_cap_seconds", "planned_seconds", "version"],
                  "properties": {
                      "meeting_id": {"type": "integer"},
                      "phase": {"type": "string", "enum": ["not_started", "presentation", "qa", "pause", "ended"]},
                      "paused_phase": _nullable({"type": "string"}), "version": {"type": "integer"},
                      "phase_started_at": _nullable(ISO_DT), "server_time": ISO_DT,
                      **{k: NUM for k in ("presentation_seconds", "qa_seconds", "pause_seconds", "cap_seconds", "warning_seconds", "over_cap_seconds", "planned_seconds")},
                      "cap_state": {"type": "string", "enum": ["calm", "warning", "over"]},
                      "started_at": _nullable(ISO_DT), "ended_at": _nullable(ISO_DT), "planned_end_at": ISO_DT,
                      "remaining_seconds": _nullable(NUM), "running_over": {"type": "boolean"},
                      "qa_share": _nullable(NUM), "restarts": {"type": "array", "items": {"type": "object"}}}},
        "CommentInput": comment_input,
        "CommentBatch": {"type": "object", "required": ["items"], "additionalProperties": False, "properties": {
            "items": {"type": "array", "minItems": 1, "maxItems": 1000, "items": comment_input}}},
        "CommentAccepted": {"type": "object", "properties": {"id": _nullable({"type": "integer"}), "duplicate": {"type": "boolean"},
                                                             "items": {"type": "array", "items": {"type": "object"}}}},
        "FloorQuestion": {"type": "object", "required": ["text"], "properties": {
            "text": {"type": "string", "minLength": 1, "maxLength": 5000, "pattern": r"\S"}, "author": _nullable({"type": "string", "maxLength": 200}),
            "contact": _nullable({"type": "string", "maxLength": 200})}},
        "Comment": {"type": "object", "required": ["id", "source", "external_id", "author", "text", "created_at", "received_at"], "properties": {
            "id": {"type": "integer"}, "source": {"type": "string"}, "external_id": _nullable({"type": "string"}),
            "author": {"type": "string"}, "text": {"type": "string", "description": "as received, with personal data replaced by placeholders"},
            "display": {"type": "string", "description": "control, zero-width and bidi characters removed, personal data redacted; clipped"},
            "personal_data": {"type": "array", "items": {"type": "string"}, "description": "the kinds of personal data hidden (iin, phone, ...)"},
            "created_at": ISO_DT, "received_at": ISO_DT, "lang": _nullable({"type": "string"}), "kind": {"type": "string"},
            "hidden": {"type": "boolean"}, "throttled": {"type": "boolean"}, "flags": {"type": "array", "items": {"type": "string"}}}},
        "CommentPage": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Comment"}},
                                                         "next": _nullable({"type": "string"})}},
        "SourceInput": {"type": "object", "required": ["kind"], "properties": {
            "kind": {"type": "string", "enum": ["youtube", "telegram", "facebook", "replay", "instagram_webhook", "facebook_webhook"]},
            "config": {"type": "object", "description": "youtube: {url}; telegram: {token, chat_id, channel_post_id?, channel_id?, mode?: polling|webhook}; facebook: {video_id, token}; "
                                                        "replay: {path (a file in the data directory), speed}; *_webhook: {object_id}"}}},
        "Timing": {"type": "object", "required": ["segments", "totals", "rule_held"], "properties": {
            "segments": {"type": "array", "items": {"type": "object", "properties": {"phase": {"type": "string"}, "started_at": ISO_DT,
                                                                                     "ended_at": _nullable(ISO_DT), "seconds": NUM, "restarted": {"type": "boolean"}}}},
            "totals": {"type": "object"}, "presentation_share_of_planned": NUM, "qa_share": _nullable(NUM), "rule_held": {"type": "boolean"}}},
    }


def spec() -> dict[str, Any]:
    """Build the document (small enough to build per request)."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Tyndau API", "version": "1", "description": "Meetings, the clock, comments, review and publication of akims' public meetings. "
                 "Errors are JSON: {\"error\": {\"code\", \"message\", \"fields\"?}}. Every citizen text is redacted of personal data; "
                 "secretaries and admins may reveal one comment's original (audited)."},
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}, {"cookie": []}],
        "paths": {**_paths(), **planning_paths(), **national_paths()},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"},
                                "hmac": {"type": "apiKey", "in": "header", "name": "X-Tyndau-Signature", "description": "sha256=<hex HMAC-SHA256 of '<X-Tyndau-Timestamp>.<meeting id>.' + the raw body, with webhook_secret>; X-Tyndau-Timestamp (unix seconds, within 300 s) is required too. Signed comments are stored under source webhook:<source>."}, "cookie": {"type": "apiKey", "in": "cookie", "name": "tyndau_session"}},
            "responses": {"Error": {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}},
            "schemas": {**_schemas(), **planning_schemas(), **national_schemas()},
        },
    }
