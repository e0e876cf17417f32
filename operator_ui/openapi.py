"""The OpenAPI 3.1 description of ``/api/v1`` (kept beside the routes; a test checks they match)."""

from __future__ import annotations

from typing import Any

from tyndau.live.clock import ACTIONS
from tyndau.live.meeting import AKIM_LEVELS, MAX_PLANNED_MINUTES, MIN_PLANNED_MINUTES

_ERR = {"$ref": "#/components/responses/Error"}


def _op(summary: str, ok: dict[str, Any], *, body: str | None = None, errors: tuple[int, ...] = (401, 403), tag: str = "meetings") -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "tags": [tag], "responses": {**ok, **{str(c): _ERR for c in errors}}}
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{body}"}}}}
    return op


def _json(code: int, schema: str, description: str = "OK") -> dict[str, Any]:
    return {str(code): {"description": description, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}}


def spec() -> dict[str, Any]:
    """Build the document (small enough to build per request)."""
    mid = {"name": "meeting_id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
    iso_dt = {"type": "string", "format": "date-time"}
    num = {"type": "number"}
    paths: dict[str, Any] = {
        "/healthz": {"get": {"summary": "Liveness and store check", "tags": ["ops"], "security": [], "responses": {"200": {"description": "alive"}}}},
        "/api/v1/openapi.json": {"get": {"summary": "This document", "tags": ["ops"], "security": [], "responses": {"200": {"description": "OpenAPI"}}}},
        "/api/v1/meta": {"get": _op("Akim levels, thresholds and the caller", {"200": {"description": "OK"}}, errors=(401,), tag="console")},
        "/api/v1/me": {"get": _op("The caller", {"200": {"description": "OK"}}, errors=(401,), tag="console")},
        "/api/v1/audit": {"get": _op("Audit log (admin)", {"200": {"description": "OK"}}, tag="ops")},
        "/api/v1/nlp/status": {"get": _op("Language analysis: loading (with its real percentage), ready, failed or off",
                                          {"200": {"description": "state, percent, stage, pending, labelled, error"}},
                                          errors=(401,), tag="ops")},
        "/api/v1/meetings": {
            "get": _op("List meetings", _json(200, "MeetingList")),
            "post": _op("Create a meeting", _json(201, "Meeting", "Created"), body="MeetingInput", errors=(400, 401, 403, 413, 415, 422)),
        },
        "/api/v1/meetings/{meeting_id}": {
            "parameters": [mid],
            "get": _op("One meeting", _json(200, "Meeting"), errors=(401, 403, 404)),
            "patch": _op("Edit a meeting", _json(200, "Meeting"), body="MeetingPatch", errors=(400, 401, 403, 404, 422)),
        },
        "/api/v1/meetings/{meeting_id}/clock": {
            "parameters": [mid],
            "get": _op("The clock now", _json(200, "Clock"), errors=(401, 403, 404), tag="clock"),
            "post": _op("Switch phase or undo", _json(200, "Clock"), body="ClockCommand", errors=(400, 401, 403, 404, 409), tag="clock"),
        },
        "/api/v1/meetings/{meeting_id}/presenter-message": {
            "parameters": [mid],
            "post": _op("Message on the presenter screen", {"200": {"description": "OK"}}, body="PresenterMessage", errors=(400, 401, 403, 404, 422), tag="clock"),
        },
        "/api/v1/meetings/{meeting_id}/comments": {
            "parameters": [mid],
            "post": {**_op("Submit a comment (generic webhook: bearer token or X-Tyndau-Signature HMAC)",
                           {**_json(201, "CommentAccepted", "Stored"), **_json(200, "CommentAccepted", "Duplicate: stored before")},
                           body="CommentInput", errors=(400, 401, 403, 404, 413, 422, 503), tag="comments"),
                     "security": [{"bearer": []}, {"hmac": []}]},
            "get": {**_op("Page through the comments", _json(200, "CommentPage"), errors=(400, 401, 404), tag="comments"),
                    "parameters": [
                        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 100}},
                        {"name": "after", "in": "query", "schema": {"type": "string"}, "description": "the `next` cursor of the previous page"},
                        *({"name": n, "in": "query", "schema": {"type": "string"}} for n in ("source", "lang", "q", "category", "cluster", "is_problem", "hidden", "throttled", "pinned", "order")),
                    ]},
        },
        "/api/v1/meetings/{meeting_id}/comments/{comment_id}/{verb}": {
            "parameters": [mid, {"name": "comment_id", "in": "path", "required": True, "schema": {"type": "integer"}},
                           {"name": "verb", "in": "path", "required": True, "schema": {"type": "string", "enum": ["pin", "unpin", "answered", "unanswered", "hide", "unhide", "current"]}}],
            "post": _op("Moderate a comment (hide needs {\"reason\"})", {"200": {"description": "OK"}}, errors=(400, 401, 403, 404, 409, 422), tag="comments"),
        },
        "/api/v1/meetings/{meeting_id}/floor-questions": {
            "parameters": [mid],
            "post": _op("A question asked in the hall (author and contact kept private)", {"201": {"description": "Stored"}}, errors=(400, 401, 403, 404, 422), tag="comments"),
        },
        "/api/v1/meetings/{meeting_id}/sources": {
            "parameters": [mid],
            "get": _op("The meeting's comment sources and their health", {"200": {"description": "OK"}}, errors=(401, 404), tag="sources"),
            "post": _op("Start a source: {kind: youtube|telegram|facebook|replay|instagram_webhook|facebook_webhook, config}",
                        {"201": {"description": "Started"}}, body="SourceInput", errors=(400, 401, 403, 404, 422), tag="sources"),
        },
        "/api/v1/meetings/{meeting_id}/sources/{source_id}/{verb}": {
            "parameters": [mid, {"name": "source_id", "in": "path", "required": True, "schema": {"type": "integer"}},
                           {"name": "verb", "in": "path", "required": True, "schema": {"type": "string", "enum": ["stop", "start"]}}],
            "post": _op("Stop a source, or start it again from its checkpoint", {"200": {"description": "OK"}}, errors=(401, 403, 404), tag="sources"),
        },
        "/api/v1/meetings/{meeting_id}/imports": {
            "parameters": [mid, {"name": "preview", "in": "query", "schema": {"type": "boolean"}}],
            "post": {**_op("Import pooled requests (multipart: file=.csv|.xlsx|.live_chat.json, mapping=JSON, sheet)",
                           {"201": {"description": "Imported"}, "200": {"description": "Preview"}}, errors=(401, 403, 404, 413, 415, 422), tag="sources"),
                     "requestBody": {"content": {"multipart/form-data": {"schema": {"type": "object", "properties": {
                         "file": {"type": "string", "format": "binary"}, "mapping": {"type": "string"}, "sheet": {"type": "string"}}}}}}},
        },
        "/api/v1/meetings/{meeting_id}/problems": {
            "parameters": [mid], "get": _op("Problems of a meeting (draft and reviewed), ranked by mentions", {"200": {"description": "OK"}}, errors=(401, 404), tag="review")},
        "/api/v1/problems": {
            "get": {**_op("Problems of a round: ?meetings=1,2,3", {"200": {"description": "OK"}}, errors=(400, 401, 404), tag="review"),
                    "parameters": [{"name": "meetings", "in": "query", "required": True, "schema": {"type": "string"}}]}},
        "/api/v1/meetings/{meeting_id}/problems/{problem_id}": {
            "parameters": [mid, {"name": "problem_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "get": _op("One problem with every comment in it", {"200": {"description": "OK"}}, errors=(401, 404), tag="review")},
        "/api/v1/meetings/{meeting_id}/review/{verb}": {
            "parameters": [mid, {"name": "verb", "in": "path", "required": True, "schema": {"type": "string", "enum": ["edit", "merge", "split", "move", "not_problem", "classify", "undo"]}}],
            "post": _op("A review decision. edit: {problem_id, version, fields}; merge: {target_id, source_ids}; split: {problem_id, comment_ids, title_ru?}; "
                        "move: {to_problem_id, comment_ids}; not_problem: {comment_ids}; classify: {comment_ids, category}; undo: {}", {"200": {"description": "OK"}}, errors=(400, 401, 403, 404, 409, 422), tag="review")},
        "/api/v1/meetings/{meeting_id}/report.{fmt}": {
            "parameters": [mid, {"name": "fmt", "in": "path", "required": True, "schema": {"type": "string", "enum": ["docx", "xlsx", "html", "json", "zip"]}},
                           {"name": "lang", "in": "query", "schema": {"type": "string", "enum": ["ru", "kk"]}},
                           {"name": "final", "in": "query", "schema": {"type": "boolean"}, "description": "refused (422 final_blocked, with the list) while a problem lacks an executor or a deadline"}],
            "get": _op("The 10-day publication package (zip = CSV tables for the open-data portal)", {"200": {"description": "the document"}}, errors=(401, 403, 404, 422), tag="review")},
        "/api/v1/report.{fmt}": {
            "parameters": [{"name": "fmt", "in": "path", "required": True, "schema": {"type": "string", "enum": ["docx", "xlsx", "html", "json", "zip"]}},
                           {"name": "meetings", "in": "query", "required": True, "schema": {"type": "string"}},
                           {"name": "lang", "in": "query", "schema": {"type": "string"}}, {"name": "final", "in": "query", "schema": {"type": "boolean"}}],
            "get": _op("The 10-day publication package of a round of meetings", {"200": {"description": "the document"}}, errors=(400, 401, 403, 404, 422), tag="review")},
        "/api/v1/meetings/{meeting_id}/review-queue": {
            "parameters": [mid], "get": _op("Comments the NLP was unsure about, with counters (triage)", {"200": {"description": "OK"}}, errors=(401, 403, 404), tag="review")},
        "/api/v1/quarterly.{fmt}": {
            "parameters": [{"name": "fmt", "in": "path", "required": True, "schema": {"type": "string", "enum": ["docx", "xlsx", "json"]}},
                           *({"name": n, "in": "query", "required": n != "lang", "schema": {"type": "string"}} for n in ("meetings", "year", "quarter", "lang"))],
            "get": _op("Quarterly progress report (status at the start of the quarter vs now)", {"200": {"description": "the document"}}, errors=(400, 401, 403, 404), tag="review")},
        "/api/v1/dashboard": {"get": _op("Dashboard figures and SVG charts (?meetings=...)", {"200": {"description": "OK"}}, errors=(401, 403), tag="review")},
        "/api/v1/vocabulary": {"get": _op("Categories and departments", {"200": {"description": "OK"}}, errors=(401,), tag="review")},
        "/api/v1/meetings/{meeting_id}/timing": {"parameters": [mid], "get": _op("Timing record", _json(200, "Timing"), errors=(401, 404), tag="clock")},
        "/api/v1/meetings/{meeting_id}/timing.json": {"parameters": [mid], "get": _op("Timing record as a JSON download", _json(200, "Timing"), errors=(401, 404), tag="clock")},
        "/api/v1/meetings/{meeting_id}/timing.csv": {"parameters": [mid], "get": _op("Timing record as CSV", {"200": {"description": "CSV", "content": {"text/csv": {}}}}, errors=(401, 404), tag="clock")},
    }
    meeting_fields = {
        "title": {"type": "string", "maxLength": 300},
        "akim_level": {"type": "string", "enum": list(AKIM_LEVELS)},
        "place": {"type": "string", "maxLength": 300},
        "starts_at": iso_dt,
        "planned_minutes": {"type": "integer", "minimum": MIN_PLANNED_MINUTES, "maximum": MAX_PLANNED_MINUTES},
        "announced_at": {**iso_dt, "nullable": True},
        "stream_links": {"type": "array", "items": {"type": "string", "format": "uri"}},
        "akim_name": {"type": "string", "maxLength": 200},
        "attendance": {"type": "integer", "minimum": 0, "nullable": True},
        "online_reach": {"type": "integer", "minimum": 0, "nullable": True},
    }
    schemas = {
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
            "code": {"type": "string"}, "message": {"type": "string"}, "fields": {"type": "object", "additionalProperties": {"type": "string"}}}}}},
        "MeetingInput": {"type": "object", "required": ["title", "akim_level", "planned_minutes", "starts_at"], "properties": meeting_fields, "additionalProperties": False},
        "MeetingPatch": {"type": "object", "properties": meeting_fields, "additionalProperties": False},
        "Meeting": {"type": "object", "required": ["id", "title", "akim_level", "planned_minutes", "starts_at"], "properties": {
            "id": {"type": "integer"}, **meeting_fields, "created_at": iso_dt, "presenter_message": {"type": "string"},
            "announcement": {"type": "object", "properties": {"notice_days": {"type": "integer"}, "deadline": {"type": "string", "format": "date"},
                                                             "days_ahead": {"type": "integer", "nullable": True}, "met": {"type": "boolean", "nullable": True}}}}},
        "MeetingList": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Meeting"}}}},
        "ClockCommand": {"type": "object", "required": ["action"], "properties": {
            "action": {"type": "string", "enum": list(ACTIONS)},
            "version": {"type": "integer", "minimum": 0, "description": "the clock version the client saw; stale versions get 409"},
            "command_id": {"type": "string", "maxLength": 64, "description": "idempotency key: a repeated command is applied once"}}},
        "PresenterMessage": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "maxLength": 200}}},
        "Clock": {"type": "object", "required": ["phase", "presentation_seconds", "qa_seconds", "pause_seconds", "cap_seconds", "over_cap_seconds", "planned_seconds", "version"],
                  "properties": {
                      "meeting_id": {"type": "integer"},
                      "phase": {"type": "string", "enum": ["not_started", "presentation", "qa", "pause", "ended"]},
                      "paused_phase": {"type": "string", "nullable": True}, "version": {"type": "integer"},
                      "phase_started_at": {**iso_dt, "nullable": True}, "server_time": iso_dt,
                      **{k: num for k in ("presentation_seconds", "qa_seconds", "pause_seconds", "cap_seconds", "warning_seconds", "over_cap_seconds", "planned_seconds")},
                      "cap_state": {"type": "string", "enum": ["calm", "warning", "over"]},
                      "started_at": {**iso_dt, "nullable": True}, "ended_at": {**iso_dt, "nullable": True}, "planned_end_at": iso_dt,
                      "remaining_seconds": {"type": "number", "nullable": True}, "running_over": {"type": "boolean"},
                      "qa_share": {"type": "number", "nullable": True}, "restarts": {"type": "array", "items": {"type": "object"}}}},
        "CommentInput": {"type": "object", "required": ["source", "text", "created_at"], "properties": {
            "source": {"type": "string", "maxLength": 60}, "external_id": {"type": "string", "maxLength": 200},
            "author": {"type": "string", "maxLength": 300}, "text": {"type": "string"}, "created_at": iso_dt,
            "lang": {"type": "string"}}, "description": "or {\"items\": [CommentInput, ...]} (up to 1000)"},
        "CommentAccepted": {"type": "object", "properties": {"id": {"type": "integer"}, "duplicate": {"type": "boolean"}}},
        "Comment": {"type": "object", "required": ["id", "source", "external_id", "author", "text", "created_at", "received_at"], "properties": {
            "id": {"type": "integer"}, "source": {"type": "string"}, "external_id": {"type": "string", "nullable": True},
            "author": {"type": "string"}, "text": {"type": "string", "description": "as received"},
            "display": {"type": "string", "description": "control, zero-width and bidi characters removed; clipped"},
            "created_at": iso_dt, "received_at": iso_dt, "lang": {"type": "string", "nullable": True}, "kind": {"type": "string"},
            "hidden": {"type": "boolean"}, "throttled": {"type": "boolean"}, "flags": {"type": "array", "items": {"type": "string"}}}},
        "CommentPage": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Comment"}},
                                                         "next": {"type": "string", "nullable": True}}},
        "SourceInput": {"type": "object", "required": ["kind", "config"], "properties": {
            "kind": {"type": "string", "enum": ["youtube", "telegram", "facebook", "replay", "instagram_webhook", "facebook_webhook"]},
            "config": {"type": "object", "description": "youtube: {url}; telegram: {token, chat_id, channel_post_id?}; facebook: {video_id, token}; replay: {path, speed}; *_webhook: {object_id}"}}},
        "Timing": {"type": "object", "required": ["segments", "totals", "rule_held"], "properties": {
            "segments": {"type": "array", "items": {"type": "object", "properties": {"phase": {"type": "string"}, "started_at": iso_dt, "ended_at": {**iso_dt, "nullable": True}, "seconds": num, "restarted": {"type": "boolean"}}}},
            "totals": {"type": "object"}, "presentation_share_of_planned": num, "rule_held": {"type": "boolean"}}},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Tyndau API", "version": "1", "description": "Meeting clock, meetings and (later) comments of akims' public meetings. Errors are JSON: {\"error\": {\"code\", \"message\", \"fields\"?}}."},
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}, {"cookie": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"},
                                "hmac": {"type": "apiKey", "in": "header", "name": "X-Tyndau-Signature", "description": "sha256=<hex HMAC-SHA256 of the raw body with webhook_secret>"}, "cookie": {"type": "apiKey", "in": "cookie", "name": "tyndau_session"}},
            "responses": {"Error": {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}},
            "schemas": schemas,
        },
    }
