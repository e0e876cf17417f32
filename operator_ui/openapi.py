"""The OpenAPI 3.1 document of ``/api/v1``, generated from the mounted routes and the actions'
schemas (a test checks every route is in it; a bounded schemathesis run checks the server keeps to it).

Request bodies are the actions' payload models less the parameters the path gives; query
parameters are the routes' query models; errors follow from what a route does (a login: 401, a
capability not everyone holds or a state change: 403, a path parameter: 404, a JSON body: 400,
413, 415, a payload with checked fields: 422) plus what the route declares.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from tyndau.actions import Action
from tyndau.actions.schema import Says, nested_model
from tyndau.operator_ui.api_shapes import Error
from tyndau.operator_ui.routes import MAX_PATH_ID, Reply, Route
from tyndau.permissions import ROLES, TABLE

REF = "#/components/schemas/{model}"
ID = {"type": "integer", "minimum": 1, "maximum": MAX_PATH_ID}
BODY_ERRORS = (400, 413, 415)
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
DESCRIPTION = (
    "Meetings, the clock, comments, review and publication of akims' public meetings. "
    "Errors are JSON: {\"error\": {\"code\", \"message\", \"fields\"?}}. Every citizen text is redacted of personal data; "
    "secretaries and admins may reveal one comment's original (audited). Who may call what: GET /api/v1/meta (permissions)."
)
SECURITY_SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer"},
    "hmac": {"type": "apiKey", "in": "header", "name": "X-Tyndau-Signature", "description": (
        "sha256=<hex HMAC-SHA256 of '<X-Tyndau-Timestamp>.<meeting id>.' + the raw body, with webhook_secret>; X-Tyndau-Timestamp "
        "(unix seconds, within 300 s) is required too. Signed comments are stored under source webhook:<source>.")},
    "cookie": {"type": "apiKey", "in": "cookie", "name": "tyndau_session"},
}


def spec(routes: Sequence[Route], actions: Mapping[str, Action]) -> dict[str, Any]:
    """The document for these routes (small enough to build per request)."""
    bodies = [_body_models(r, actions) for r in routes]
    models: list[type[BaseModel]] = [Error, *(m for ms in bodies for m in ms),
                                     *(rep.model for r in routes for rep in r.replies.values() if rep.model is not None)]
    unique = list(dict.fromkeys(models))
    _, defs = models_json_schema([(m, "validation") for m in unique], ref_template=REF)
    schemas = {name: _tidy(schema) for name, schema in defs.get("$defs", {}).items()}
    missing = [m.__name__ for m in unique if m.__name__ not in schemas]
    assert not missing, f"two schemas share a name: {missing}"
    paths: dict[str, dict[str, Any]] = {}
    for route, body in zip(routes, bodies):
        paths.setdefault(route.doc_path, {})[route.method.lower()] = _operation(route, body, actions, schemas)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Tyndau API", "version": "1", "description": DESCRIPTION},
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}, {"cookie": []}],
        "paths": paths,
        "components": {
            "securitySchemes": SECURITY_SCHEMES,
            "responses": {"Error": {"description": "Error", "content": {"application/json": {"schema": {"$ref": REF.format(model="Error")}}}}},
            "schemas": schemas,
        },
    }


def _body_models(route: Route, actions: Mapping[str, Action]) -> tuple[type[BaseModel], ...]:
    if route.action is not None:
        return (actions[route.action].payload,)
    return route.body if isinstance(route.body, tuple) else (route.body,) if route.body is not None else ()


def _capability(route: Route, actions: Mapping[str, Action]) -> str | None:
    if route.capability is not None:
        return route.capability
    return actions[route.action].capability if route.action is not None else None


def _operation(route: Route, body: tuple[type[BaseModel], ...], actions: Mapping[str, Action], schemas: dict[str, Any]) -> dict[str, Any]:
    capability = _capability(route, actions)
    summary = route.summary or (actions[route.action].summary if route.action else (route.handler.__doc__ or "").strip().splitlines()[0])
    errors = set(route.errors)
    if capability is not None:
        errors.add(401)
        if TABLE[capability].roles != set(ROLES) or route.method in UNSAFE:
            errors.add(403)
    path_params = route.path_params()
    if path_params:
        errors.add(404)
    if route.query is not None and route.query.model_fields:
        errors.add(400)
    op: dict[str, Any] = {"summary": summary, "tags": [route.tag]}
    if capability is None:
        op["security"] = []
    parameters = [_path_param(name, regex) for name, regex in path_params]
    if route.query is not None:
        parameters += _query_params(route.query)
    if parameters:
        op["parameters"] = parameters
    if body:
        errors.update(BODY_ERRORS)
        if any(_may_be_invalid(m) for m in body):
            errors.add(422)
        refs = [_body_ref(m, [n for n, _ in path_params], schemas) for m in body]
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": refs[0] if len(refs) == 1 else {"oneOf": refs}}}}
    op["responses"] = {**{str(code): _reply(reply) for code, reply in sorted(route.replies.items())},
                       **{str(code): {"$ref": "#/components/responses/Error"} for code in sorted(errors)}}
    op.update(route.openapi)
    if "requestBody" in route.openapi:
        op["responses"].update({str(c): {"$ref": "#/components/responses/Error"} for c in BODY_ERRORS})
    return op


def _reply(reply: Reply) -> dict[str, Any]:
    out: dict[str, Any] = {"description": reply.description}
    if reply.model is not None:
        out["content"] = {"application/json": {"schema": {"$ref": REF.format(model=reply.model.__name__)}}}
    elif reply.media:
        out["content"] = {media: {} for media in reply.media}
    return out


def _path_param(name: str, regex: str | None) -> dict[str, Any]:
    if regex is None or regex == r"\d+":
        schema: dict[str, Any] = dict(ID) if name.endswith("_id") else {"type": "string", "minLength": 1}
    elif all(part.replace("_", "").replace("-", "").isalnum() for part in regex.split("|")):
        schema = {"type": "string", "enum": regex.split("|")}
    else:
        schema = {"type": "string", "pattern": f"^{regex}$"}
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _query_params(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = _tidy(model.model_json_schema(ref_template=REF))
    out = []
    for name, info in model.model_fields.items():
        prop = dict(schema.get("properties", {}).get(name, {}))
        description = prop.pop("description", None) or info.description
        param: dict[str, Any] = {"name": name, "in": "query", "required": info.is_required(), "schema": prop}
        if description:
            param["description"] = description
        out.append(param)
    return out


def _body_ref(model: type[BaseModel], from_path: Iterable[str], schemas: dict[str, Any]) -> dict[str, Any]:
    """The component of ``model`` without the fields the path gives (a variant component when it differs)."""
    drop = [n for n in from_path if n in model.model_fields]
    name = model.__name__
    if drop:
        base = schemas[name]
        variant = {**base, "properties": {k: v for k, v in base.get("properties", {}).items() if k not in drop}}
        required = [r for r in base.get("required", []) if r not in drop]
        if required:
            variant["required"] = required
        else:
            variant.pop("required", None)
        schemas[name] = variant  # every HTTP route of this model takes these ids from its path
    return {"$ref": REF.format(model=name)}


def _may_be_invalid(model: type[BaseModel]) -> bool:
    """Whether some field of ``model`` (or of a model inside it) is refused with a 422, not a 4xx of its own."""
    for info in model.model_fields.values():
        says = next((m for m in info.metadata if isinstance(m, Says)), None)
        nested = nested_model(info.annotation)
        if says is None or says.status == 422 or (nested is not None and _may_be_invalid(nested)):
            return True
    return False


def _tidy(schema: Any, *, in_properties: bool = False) -> Any:
    """Drop pydantic's generated titles and ``default: null`` on fields that may not be null."""
    if isinstance(schema, list):
        return [_tidy(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if in_properties:
        return {key: _tidy(value) for key, value in schema.items()}
    out = {}
    for key, value in schema.items():
        if key == "title" and isinstance(value, str):
            continue
        if key == "default" and value is None and not _nullable(schema):
            continue
        out[key] = _tidy(value, in_properties=key in ("properties", "$defs", "patternProperties"))
    return out


def _nullable(schema: Mapping[str, Any]) -> bool:
    kinds = schema.get("type")
    if kinds == "null" or (isinstance(kinds, list) and "null" in kinds):
        return True
    return any(isinstance(s, Mapping) and s.get("type") == "null" for s in schema.get("anyOf", []) or [])
