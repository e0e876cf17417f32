"""The OpenAPI document is generated from the mounted routes: 3.1 (JSON Schema 2020-12, no 3.0
``nullable``), every reference resolves, and what it says about logins follows the route table."""

from __future__ import annotations

import json
from typing import Any, Iterator

import jsonschema_rs

from tyndau.operator_ui.keys import ROUTES, SERVICES
from tyndau.permissions import ROLES, TABLE


def _walk(node: Any, path: str = "") -> Iterator[tuple[str, str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield path, key, value
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{path}/{i}")


def _resolve(spec: dict[str, Any], ref: str) -> Any:
    node: Any = spec
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


async def test_the_document_is_openapi_3_1_with_json_schema_2020_12(client):
    spec = await (await client.get("/api/v1/openapi.json")).json()
    assert spec["openapi"] == "3.1.0"
    assert [p for p, key, _ in _walk(spec) if key == "nullable"] == [], "3.0's nullable is not 3.1: use type [..., 'null']"
    for _, key, value in _walk(spec):
        if key == "$ref":
            assert _resolve(spec, value) is not None, value
    for name, schema in spec["components"]["schemas"].items():
        document = {**schema, "$defs": spec["components"]["schemas"]}
        text = json.dumps(document).replace("#/components/schemas/", "#/$defs/")
        jsonschema_rs.Draft202012Validator(json.loads(text))  # raises unless it is a valid 2020-12 schema
        assert name


async def test_logins_and_refusals_documented_follow_the_route_table(client):
    spec = await (await client.get("/api/v1/openapi.json")).json()
    actions = client.app[SERVICES].actions
    for route in client.app[ROUTES]:
        op = spec["paths"][route.doc_path][route.method.lower()]
        capability = route.capability or (actions[route.action].capability if route.action else None)
        if capability is None:  # public, or the handler checks its own credential (and says which)
            assert op["security"] == route.openapi.get("security", []), route.path
            continue
        assert "security" not in op and "401" in op["responses"], route.path
        if TABLE[capability].roles != set(ROLES):
            assert "403" in op["responses"], (route.method, route.path, capability)
