"""The OpenAPI paths and schemas of the national side (roll-up, central-level list, compliance, summary).

Kept beside :mod:`tyndau.operator_ui.openapi` (which merges them), in the shape of
:mod:`tyndau.operator_ui.openapi_planning`; the limits come from the modules that enforce them.
"""

from __future__ import annotations

from typing import Any

from tyndau.actions.central import MAX_AMOUNT
from tyndau.operator_ui.openapi_planning import DAY, DOCS, ID, LANG, ORGANISER, UNIT, YEAR, _ok, _op, _query
from tyndau.store.central import ANALYSIS, MAX_PROPOSAL

QUARTER = {"type": "integer", "minimum": 1, "maximum": 4}


def _file(types: list[str]) -> dict[str, Any]:
    return {"200": {"description": "the document", "content": {t: {} for t in types}}}


def national_paths() -> dict[str, Any]:
    """The national routes."""
    unit = _query("unit", UNIT, "a unit (default: the caller's scope; for national users the nation)")
    period = [unit, _query("year", YEAR), _query("quarter", QUARTER), _query("from", DAY), _query("to", DAY)]
    today = _query("today", DAY, "as of this day (default: today in Almaty)")
    quarter = [unit, _query("year", YEAR), _query("quarter", QUARTER), today]
    errors = (400, 401, 403, 404)
    return {
        "/api/v1/rollup": {"get": _op("The roll-up of a unit (or the nation) for a period: totals, child units, categories, executors, "
                                      "competences, quarters; meetings planned and held", _ok(), errors=errors, tag="national", params=period)},
        "/api/v1/rollup/quarterly.{fmt}": {
            "parameters": [{"name": "fmt", "in": "path", "required": True, "schema": {"type": "string", "enum": ["docx", "xlsx", "json"]}}],
            "get": _op("The quarterly progress report of a unit: its own meetings, or consolidated over everything below it",
                       _file([*DOCS, "application/json"]), errors=(*errors, 413), tag="national",
                       params=[unit, _query("year", YEAR), _query("quarter", QUARTER), _query("lang", LANG),
                               _query("consolidated", {"type": "boolean"}), _query("final", {"type": "boolean"})]),
        },
        "/api/v1/central-list": {"get": _op("Problems needing the central level, with the analysis' counts and sums and the 15 February / "
                                            "15 August dates (a central body sees its own competence)", _ok(), errors=errors, tag="national",
                                            params=[*period, today, _query("analysis", {"type": "string", "enum": list(ANALYSIS)})])},
        "/api/v1/central-list/{item_id}": {
            "parameters": [{"name": "item_id", "in": "path", "required": True, "schema": ID}],
            "patch": _op("Update an item's analysis (a central body: its own items; version 0 for a first analysis)", _ok(),
                         body="CentralItemPatch", errors=(401, 403, 404, 409, 422), tag="national"),
        },
        "/api/v1/compliance": {"get": _op("Who is late now and by how much: coverage, announcements, the ¼ rule, the 10-day package, "
                                          "the quarterly progress report", _ok(), errors=errors, tag="national", params=quarter)},
        "/api/v1/compliance.{fmt}": {
            "parameters": [{"name": "fmt", "in": "path", "required": True, "schema": {"type": "string", "enum": ["csv", "xlsx"]}}],
            "get": _op("The compliance monitor as CSV or XLSX", _file(["text/csv", DOCS[1]]), errors=errors, tag="national",
                       params=[*quarter, _query("lang", LANG)]),
        },
        "/api/v1/progress-reports": {"post": _op("Record that an organiser handed in its quarterly progress report", _ok(201, "Recorded"),
                                                 body="ProgressReportInput", errors=(401, 403, 404, 409, 422), tag="national")},
        "/api/v1/national-summary.{fmt}": {
            "parameters": [{"name": "fmt", "in": "path", "required": True, "schema": {"type": "string", "enum": ["docx", "xlsx", "json"]}}],
            "get": _op("The national summary in the shape of the government's review (national users)", _file([*DOCS, "application/json"]),
                       errors=(400, 401, 403, 404), tag="national", params=[_query("year", YEAR), _query("lang", LANG)]),
        },
    }


def national_schemas() -> dict[str, Any]:
    """The national request bodies."""
    return {
        "CentralItemPatch": {"type": "object", "additionalProperties": False, "required": ["version"], "properties": {
            "version": {"type": "integer", "minimum": 0, "maximum": 10**9},
            "analysis": {"type": "string", "enum": list(ANALYSIS)},
            "amount": {"type": ["integer", "null"], "minimum": 0, "maximum": MAX_AMOUNT},
            "proposal": {"type": "string", "maxLength": MAX_PROPOSAL},
            "body_id": {**ORGANISER, "type": ["string", "null"]},
            "selected": {"type": "boolean"}}},
        "ProgressReportInput": {"type": "object", "additionalProperties": False, "required": ["organiser_id", "year", "quarter"], "properties": {
            "organiser_id": ORGANISER, "year": YEAR, "quarter": QUARTER, "submitted_at": {"type": "string", "format": "date-time"}}},
    }
