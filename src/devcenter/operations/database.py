"""Django's routes while the database is away: 503 `database_unavailable`, logged once.

`DatabaseUnavailableMiddleware` (high in `MIDDLEWARE`) turns a request that failed because the
database does not answer into 503: JSON `{"code": "database_unavailable", "message"}` under
/api/v1/, a short page elsewhere, with `Retry-After`. It finds out with one `SELECT 1` when a
response is a 500 (or a view raised a database error); while the database stays away it answers
every request at once without trying it, and tries again at most once per `RECHECK_SECONDS`. The
log says that the database is down once per `LOG_INTERVAL_SECONDS` and when it is back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger("devcenter.operations")

RECHECK_SECONDS = 1.0
LOG_INTERVAL_SECONDS = 30.0
API_PREFIX = "/api/v1/"
CODE = "database_unavailable"
MESSAGES = {
    "ja": "データベースに接続できません。少し待って再試行してください。",
    "en": "The database is not answering; retry shortly.",
}
_PAGE = (
    "<!doctype html><html lang=ja><meta charset=utf-8><title>503</title>"
    f"<p>{MESSAGES['ja']}</p><p lang=en>{MESSAGES['en']}</p></html>"
)


def database_answers() -> bool:
    """Return whether the default database answers `SELECT 1` now (closing a broken link).

    Only a connection failure counts: an error the database answered with (an aborted
    transaction, say) means it is there.
    """
    from django.db import InterfaceError, OperationalError, connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except (OperationalError, InterfaceError):
        if not connection.in_atomic_block:
            connection.close()
        return False
    except Exception:  # noqa: BLE001 (anything else: let the request fail on its own)
        return True
    return True


class DatabaseWatch:
    """Whether the database was found away, and when to look again (one per process)."""

    def __init__(self) -> None:
        self.down = False
        self.down_since = 0.0
        self.errors = 0
        self._checked_at = 0.0
        self._logged_at = float("-inf")
        self._lock = threading.Lock()

    def suspect(self) -> None:
        """Another part of the process found the database away: look before the next request."""
        if not self.down:
            self.down, self.down_since, self._checked_at = True, time.monotonic(), 0.0

    def known_down(self) -> bool:
        """Return True while the database is down and not due for another look (else look)."""
        if not self.down:
            return False
        with self._lock:
            if time.monotonic() - self._checked_at < RECHECK_SECONDS:
                return True
            return not self.check()

    def check(self) -> bool:
        """Try the database now; record and log the outcome; return whether it answers."""
        now = time.monotonic()
        self._checked_at = now
        if database_answers():
            if self.down:
                logger.warning("database answers again after %.1f s", now - self.down_since)
            self.down = False
            return True
        self.errors += 1
        _count_error()
        if not self.down:
            self.down, self.down_since = True, now
        if now - self._logged_at >= LOG_INTERVAL_SECONDS:
            self._logged_at = now
            logger.error(
                "database unreachable for %.0f s; Django's routes answer 503 %s",
                now - self.down_since,
                CODE,
            )
        return False


WATCH = DatabaseWatch()


class DatabaseUnavailableMiddleware:
    """Answer 503 `database_unavailable` instead of a 500 when the database does not answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if WATCH.known_down():
            return unavailable(request)
        response = self.get_response(request)
        if response.status_code == 500 and not WATCH.check():
            return unavailable(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A view's database error while the database is away: 503, and no traceback."""
        from django.db import InterfaceError, OperationalError

        if isinstance(exception, OperationalError | InterfaceError) and not WATCH.check():
            return unavailable(request)
        return None


def unavailable(request: HttpRequest) -> HttpResponse:
    """Return the 503 answer in the request's language (JSON under /api/v1/)."""
    asked = request.headers.get("Accept-Language", "").split(",", 1)[0].strip().lower()
    lang = "en" if asked.startswith("en") else "ja"
    response: HttpResponse
    if request.path.startswith(API_PREFIX):
        response = JsonResponse(
            {"code": CODE, "message": MESSAGES[lang]},
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = HttpResponse(_PAGE, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = "1"
    response["Cache-Control"] = "no-store"
    response["Content-Language"] = lang
    # Logged once per interval by the watch, not by Django once per request.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def _count_error() -> None:
    from devcenter.operations.metrics import series

    series().database_errors.labels("django").inc()
