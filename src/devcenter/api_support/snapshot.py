"""Tell an API writer which audit sequence its change is in, so it can read its own write.

A successful write under /api/v1/ answers with the header `Devcenter-Snapshot: N`, the newest
audit sequence after the change committed. Passing `"min_snapshot": N` to
`POST /api/v1/decisions` then waits until the decision plane has seen the change.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from devcenter.audit.selectors import audit_current_sequence

HEADER = "Devcenter-Snapshot"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
API_PREFIX = "/api/v1/"


class SnapshotHeaderMiddleware:
    """Add `Devcenter-Snapshot` to successful API writes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.method in WRITE_METHODS
            and request.path.startswith(API_PREFIX)
            and response.status_code < 400
        ):
            response[HEADER] = str(audit_current_sequence())
        return response
