"""Route classes: how large a body each route accepts, and which refuse an anonymous upload.

The limits come from ``settings.DEVCENTER_BODY_LIMITS`` (README.md, "Request size limits").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class RouteClass(StrEnum):
    """What a request is, for its body limit."""

    DECISIONS = "decisions"  # the decision plane's batch questions
    UPLOAD = "upload"  # certification documents: two files and the form around them
    POLICY_FILE = "policy_file"  # a policy file for the staff console's diff page
    JSON_API = "json_api"  # every other /api/v1/ route
    DEFAULT = "default"  # pages, forms, the admin, log-in and sign-up


_DECISIONS = frozenset({"/api/v1/decisions", "/api/v1/_bench/bare"})
_API_PREFIX = "/api/v1/"
_POLICY_FILE = "/admin/policy/diff/"  # the staff console's policy diff page (one TOML file)
# The routes that take files (multipart): certification documents (API and portal) and
# registration images.
_UPLOADS = re.compile(
    r"^/(?:"
    r"api/v1/applications"
    r"|api/v1/partners/[^/]+/applications"
    r"|api/v1/applications/[^/]+/resubmit"
    r"|api/v1/registrations/[^/]+/images"  # logos, icons, screenshots (DEVCENTER_IMAGE_MAX_BYTES)
    r"|partners/new/certification/"
    r"|partners/[^/]+/certification/"
    r"|partners/[^/]+/certification/[^/]+/resubmit/"
    r")$"
)


@dataclass(frozen=True, slots=True)
class Route:
    """A request's class, its body limit and whether it needs credentials before its body."""

    kind: RouteClass
    limit: int
    credentials_first: bool


def classify(method: str, path: str, limits: Mapping[str, int]) -> Route:
    """Return the class of a request from its method and path (no app is asked)."""
    if path in _DECISIONS:
        kind = RouteClass.DECISIONS
    elif method == "POST" and _UPLOADS.match(path):
        return Route(RouteClass.UPLOAD, limits[RouteClass.UPLOAD], credentials_first=True)
    elif method == "POST" and path == _POLICY_FILE:
        return Route(RouteClass.POLICY_FILE, limits[RouteClass.POLICY_FILE], credentials_first=True)
    elif path.startswith(_API_PREFIX):
        kind = RouteClass.JSON_API
    else:
        kind = RouteClass.DEFAULT
    return Route(kind, limits[kind], credentials_first=False)
