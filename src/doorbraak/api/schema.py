"""The OpenAPI document tells the truth about errors: every operation can answer with an
application/problem+json body (RFC 9457, see ``problems.py``), and the document says so once,
here, instead of a copy on every view.

``document_problems`` is a drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS
``POSTPROCESSING_HOOKS``). It adds the ``Problem`` component and, where a view does not
document them itself:

- 401 (not logged in), 403 (no access: capability, covenant or second factor) and 429 (too many
  requests) on every operation;
- 404 on every operation with a path parameter or a request body that refers to other objects
  by id (``*_id``, ``*_ids``): the object does not exist or is not visible to the caller;
- 400 on every operation that takes a request body or parameters (invalid input, with
  ``invalidParams`` naming each field; also an id too large for the database).

It also bounds integer path parameters (object ids) to what an id can be: 1 up to ``MAX_ID``.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.permissions import AllowAny

from doorbraak.limits import MAX_ID

from .problems import TITLES

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An error (RFC 9457 problem details, NL API design rules).",
    "properties": {
        "type": {"type": "string", "format": "uri", "description": "Kind of problem."},
        "title": {"type": "string", "description": "Short description of the kind of problem."},
        "status": {"type": "integer", "description": "The HTTP status code."},
        "detail": {"type": "string", "description": "What went wrong in this request."},
        "instance": {"type": "string", "description": "The path of the request."},
        "invalidParams": {
            "type": "array",
            "description": "Each invalid field of the input (400 only).",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "code": {"type": "string"},
                    "reason": {"type": "string"},
                },
                "required": ["name", "code", "reason"],
            },
        },
    },
    "required": ["type", "title", "status", "detail", "instance"],
}

WRITE_METHODS = {"post", "put", "patch"}
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def _problem(status: int) -> dict[str, Any]:
    return {
        "description": str(TITLES[status]),
        "content": {"application/problem+json": {"schema": PROBLEM_REF}},
    }


def _body_properties(result: dict[str, Any], operation: dict[str, Any]) -> set[str]:
    """The property names of the operation's JSON request body (its component's)."""
    content = operation.get("requestBody", {}).get("content", {})
    schema = next(iter(content.values()), {}).get("schema", {})
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        schema = result.get("components", {}).get("schemas", {}).get(ref.rsplit("/", 1)[1], {})
    return set(schema.get("properties", {}))


def problem_statuses(
    path: str, method: str, operation: dict[str, Any], body: Collection[str] = ()
) -> list[int]:
    """The problem responses an operation can give, in status order."""
    statuses = {401, 403, 429}
    if "{" in path or any(name.endswith(("_id", "_ids")) for name in body):
        statuses.add(404)
    if method in WRITE_METHODS or operation.get("requestBody") or operation.get("parameters"):
        statuses.add(400)
    return sorted(statuses)


def document_problems(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in HTTP_METHODS:
                continue
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter.get("in") == "path" and schema.get("type") == "integer":
                    schema.setdefault("minimum", 1)
                    schema.setdefault("maximum", MAX_ID)
            responses = operation.setdefault("responses", {})
            body = _body_properties(result, operation)
            for status in problem_statuses(path, method, operation, body):
                responses.setdefault(str(status), _problem(status))
            operation["responses"] = dict(sorted(responses.items()))
    return result


class PublicSchemaView(SpectacularJSONAPIView):
    """The OpenAPI document at the standard location (NL API design rule "publish the OAS
    document at a standard location"), for anyone: it describes the API, it holds no data.
    /api/schema/ stays as it was, for logged-in users."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
