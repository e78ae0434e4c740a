"""The registry API's reference page, read from the same OpenAPI document the API publishes
(`devcenter openapi export` writes it to docs/openapi.json; a test keeps the two equal)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation of the API as the reference page lists it."""

    method: str
    path: str
    operation_id: str
    summary: str
    description: str
    parameters: tuple[tuple[str, str, bool], ...]  # name, where, required
    responses: tuple[tuple[str, str], ...]  # status, description


@dataclass(frozen=True, slots=True)
class ApiReference:
    """The API's title, version and description, and its operations grouped by tag."""

    title: str
    version: str
    description: str
    groups: tuple[tuple[str, tuple[Operation, ...]], ...]


@cache
def api_schema() -> dict[str, Any]:
    """Return the OpenAPI document `devcenter openapi export` commits (built once per process)."""
    from devcenter.api_support.openapi import openapi_document  # loads every router: when asked

    return openapi_document()


def api_reference(schema: dict[str, Any]) -> ApiReference:
    """Return the OpenAPI document arranged for the reference page."""
    groups: dict[str, list[Operation]] = {}
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                op = item[method]
                tag = (op.get("tags") or ["api"])[0]
                groups.setdefault(tag, []).append(_operation(method, path, op))
    info = schema.get("info", {})
    return ApiReference(
        title=info.get("title", ""),
        version=info.get("version", ""),
        description=info.get("description", ""),
        groups=tuple((tag, tuple(ops)) for tag, ops in groups.items()),
    )


def _operation(method: str, path: str, op: dict[str, Any]) -> Operation:
    return Operation(
        method=method.upper(),
        path=path,
        operation_id=op.get("operationId", ""),
        summary=op.get("summary", ""),
        description=op.get("description", ""),
        parameters=tuple(
            (p.get("name", ""), p.get("in", ""), bool(p.get("required")))
            for p in op.get("parameters", [])
        ),
        responses=tuple(
            (status, r.get("description", "")) for status, r in op.get("responses", {}).items()
        ),
    )
