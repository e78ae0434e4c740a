"""The committed OpenAPI document: the ninja operations plus the decision plane's three paths.

The decision plane (`devcenter.decision_plane`) answers `/api/v1/health`, `/api/v1/policy` and
`/api/v1/decisions` before Django sees them, so ninja knows nothing of them; they are described
here by hand (`DECISION_PLANE_PATHS`, details in docs/decisions.md) and merged into the
exported document. `devcenter openapi export` writes it to docs/openapi.json with sorted keys,
and a test fails when the committed file drifts from the code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings

from devcenter.api_support.errors import ErrorOut

PATH_PREFIX = "/api/v1/"
DEFAULT_OUTPUT = Path("docs") / "openapi.json"
EXPORT_COMMAND = "devcenter openapi export"
DECISION_PLANE_TAG = "decision-plane"

# Every operation may answer these (auth, scope/CSRF, unknown id, invalid input).
COMMON_ERROR_STATUSES = (401, 403, 404, 422)


def errors(*extra: int) -> dict[int, type[ErrorOut]]:
    """Return the error responses of an operation: the common ones plus `extra` statuses."""
    return dict.fromkeys(sorted({*COMMON_ERROR_STATUSES, *extra}), ErrorOut)


def _error_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PlaneError"}}},
    }


_PLANE_ERROR = {
    "type": "object",
    "title": "PlaneError",
    "required": ["code", "message"],
    "properties": {
        "code": {"type": "string"},
        "message": {"type": "string"},
        "field": {"type": "string"},
        "index": {"type": "integer"},
    },
}
_PLANE_DECISION = {
    "type": "object",
    "title": "PlaneDecision",
    "description": "A decision of the policy core (see docs/decisions.md); a registry question "
    "also carries the snapshot sequence it was answered at, and a decision the decision log "
    "sampled its `decision_id` (only those: see docs/api.md, Decision log).",
    "required": ["allowed", "code", "reason", "unlockable", "unlock", "policy_version"],
    "properties": {
        "allowed": {"type": "boolean"},
        "code": {"type": "string"},
        "reason": {
            "type": "object",
            "required": ["ja", "en"],
            "properties": {"ja": {"type": "string"}, "en": {"type": "string"}},
        },
        "unlockable": {"type": "boolean"},
        "unlock": {
            "type": "array",
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["step", "to"],
                    "properties": {"step": {"type": "string"}, "to": {"type": "string"}},
                },
            },
        },
        "policy_version": {"type": "string"},
        "snapshot": {"type": "integer"},
        "decision_id": {"type": "string"},
    },
}
_PLANE_QUESTION = {
    "type": "object",
    "title": "PlaneQuestion",
    "description": "One question; its fields depend on `kind` (docs/decisions.md): service "
    "(`service`, `partner_type` or `partner`), account (`account`, `partner_type` or "
    "`partner`), transition (`from`, `to`, `facts`), action (`action`, `actor`, `target`, "
    "`attributes`), registration (`registration` or `client_id`).",
    "required": ["kind"],
    "properties": {
        "kind": {
            "type": "string",
            "enum": ["service", "account", "transition", "action", "registration"],
        }
    },
    "additionalProperties": True,
}

DECISION_PLANE_PATHS: dict[str, Any] = {
    "/api/v1/health": {
        "get": {
            "operationId": "health",
            "summary": "Liveness (answered by the decision plane)",
            "tags": [DECISION_PLANE_TAG],
            "security": [],
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["status"],
                                "properties": {"status": {"type": "string", "enum": ["ok"]}},
                            }
                        }
                    },
                }
            },
        }
    },
    "/api/v1/policy": {
        "get": {
            "operationId": "policy",
            "summary": "The active policy: types, services, accounts, matrices, moves, actions",
            "tags": [DECISION_PLANE_TAG],
            "security": [],
            "responses": {
                "200": {
                    "description": "The policy as `Policy.describe()` returns it",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        }
    },
    "/api/v1/decisions": {
        "post": {
            "operationId": "decisions",
            "summary": "Batched decisions (answered by the decision plane, from memory)",
            "description": "Needs an API key with scope `decisions`. Up to 10,000 requests per "
            "call; answers in the same order. With `min_snapshot` the answer waits until the "
            "registry snapshot has reached that audit sequence (503 after a bounded wait).",
            "tags": [DECISION_PLANE_TAG],
            "security": [{"ApiKeyBearer": []}],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["requests"],
                            "properties": {
                                "requests": {
                                    "type": "array",
                                    "maxItems": 10000,
                                    "items": {"$ref": "#/components/schemas/PlaneQuestion"},
                                },
                                "min_snapshot": {"type": "integer", "minimum": 0},
                            },
                        }
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "One decision per request, in order",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["decisions"],
                                "properties": {
                                    "decisions": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/PlaneDecision"},
                                    },
                                    "snapshot": {"type": "integer"},
                                },
                            }
                        }
                    },
                },
                "401": _error_response("`unauthorized`: no, unknown or revoked key"),
                "403": _error_response("`insufficient_scope`: the key lacks scope decisions"),
                "405": _error_response("`method_not_allowed`"),
                "413": _error_response("`payload_too_large`"),
                "422": _error_response("`malformed_json`, `invalid_request`, `unknown_code`"),
                "503": _error_response("the snapshot did not reach `min_snapshot` in time"),
            },
        }
    },
}
DECISION_PLANE_SCHEMAS = {
    "PlaneError": _PLANE_ERROR,
    "PlaneDecision": _PLANE_DECISION,
    "PlaneQuestion": _PLANE_QUESTION,
}


def openapi_document() -> dict[str, Any]:
    """Return the whole API's OpenAPI document as a plain dict."""
    from devcenter.api import api

    document: dict[str, Any] = json.loads(
        json.dumps(api.get_openapi_schema(path_prefix=PATH_PREFIX))
    )
    document["paths"] = {**DECISION_PLANE_PATHS, **document["paths"]}
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(DECISION_PLANE_SCHEMAS)
    document["servers"] = [{"url": "/"}]
    return document


def openapi_text() -> str:
    """Return the document as the stable text committed in docs/openapi.json."""
    return json.dumps(openapi_document(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def committed_path() -> Path:
    return Path(settings.BASE_DIR) / DEFAULT_OUTPUT
