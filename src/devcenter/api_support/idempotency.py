"""`Idempotency-Key` on POST: the same key and request replay the first answer (Stripe's model).

`@idempotent` wraps a ninja operation at two levels: around the handler (after auth and input
validation, so the owner and the parsed body are known) it claims the key or answers from the
stored record; around the operation's `run` (after ninja has rendered the response) it stores
the status and body. A key is scoped to its owner (the calling user). Without the header a POST
runs as usual.

The claim is a lease: a claim that has no answer after `CLAIM_LEASE` (60 s) belongs to a
request that died (a crashed or killed worker) and the next request with the key takes it over.
The claim is committed on its own, before the handler, rather than inside the handler's
transaction, because a concurrent duplicate must see it (and get `idempotency_key_in_progress`
at once instead of holding a connection until the first commits), because it must not lengthen
the write transactions that hold the audit chain's lock, and because services own their
transactions (some commit a refusal's audit row). Requests are bounded far below the lease
(body limits, no long-running handlers), so a live request is not taken over.

Refusals of the caller (authentication, scope, staff and MFA checks) happen in the auth step,
before the handler, so they never claim a key and are never replayed.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, RawPostDataException
from django.http.response import HttpResponseBase
from django.utils import timezone
from ninja.utils import contribute_operation_callback

from devcenter.api_support.auth import user_of
from devcenter.api_support.errors import ApiConflictError, ApiErrorCode, api_error
from devcenter.api_support.models import IdempotencyRecord
from devcenter.errors import InvalidError

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_MAX_LENGTH = 255
# 1 to 255 printable ASCII characters, spaces only inside (the same rule as the schema's).
KEY_PATTERN = r"^[!-~](?:[ -~]{0,253}[!-~])?$"
RETENTION = timedelta(hours=24)
CLAIM_LEASE = timedelta(seconds=60)
_RECORD_ATTR = "_idempotency_record"
OPENAPI_PARAMETER = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "description": "Send the same key again with the same request to get the first answer "
    "back (header `Idempotent-Replayed: true`) instead of doing it twice; the same key with "
    "another request is a 409 `idempotency_key_reused`. Keys are kept 24 hours per user.",
    "schema": {
        "type": "string",
        "minLength": 1,
        "maxLength": KEY_MAX_LENGTH,
        "pattern": KEY_PATTERN,
    },
}


def idempotent(handler: Callable[..., Any]) -> Callable[..., Any]:
    """Make a POST handler honour `Idempotency-Key` (put it below the router decorator)."""

    @wraps(handler)
    def claim_then_run(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(HEADER)
        if key is None:
            return handler(request, *args, **kwargs)
        record, replay = _claim(request, _checked(key))
        if replay is not None:
            return replay
        setattr(request, _RECORD_ATTR, record)
        return handler(request, *args, **kwargs)

    contribute_operation_callback(claim_then_run, _store_after_run)
    return claim_then_run


def _store_after_run(operation: Any) -> None:
    """Wrap the operation's `run` so its answer is stored, and document the header."""
    # Registered like ninja's `decorate_view`, so the wrap survives the clone made at mount.
    operation.run = _storing(operation.run)
    operation._run_decorators = [*getattr(operation, "_run_decorators", []), _storing]
    extra = dict(operation.openapi_extra or {})
    extra["parameters"] = [*extra.get("parameters", []), OPENAPI_PARAMETER]
    operation.openapi_extra = extra


def _storing(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(run)
    def run_and_store(request: HttpRequest, **kw: Any) -> HttpResponseBase:
        response = run(request, **kw)
        record = getattr(request, _RECORD_ATTR, None)
        if record is not None:
            _finish(record, response)
        return response

    return run_and_store


def _checked(key: str) -> str:
    if re.fullmatch(KEY_PATTERN, key) is None:
        raise api_error(InvalidError, ApiErrorCode.INVALID_FIELD, field="Idempotency-Key")
    return key


def request_fingerprint(request: HttpRequest) -> str:
    """Return the SHA-256 of the method, path and canonical body of `request`.

    Multipart bodies are compared by their fields and the SHA-256 of each file, since the
    boundary differs between two sends of the same form; JSON bodies by their parsed value.
    """
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    try:
        body = request.body
    except RawPostDataException:  # multipart already parsed into POST and FILES
        digest.update(_form_canonical(request))
    else:
        digest.update(_json_canonical(body))
    return digest.hexdigest()


def _form_canonical(request: HttpRequest) -> bytes:
    files = {}
    for name in sorted(request.FILES):
        hashes = []
        for upload in request.FILES.getlist(name):
            file_digest = hashlib.sha256()
            for chunk in upload.chunks():
                file_digest.update(chunk)
            upload.seek(0)
            hashes.append(file_digest.hexdigest())
        files[name] = hashes
    fields = {name: request.POST.getlist(name) for name in sorted(request.POST)}
    return json.dumps({"fields": fields, "files": files}, sort_keys=True).encode()


def _json_canonical(body: bytes) -> bytes:
    try:
        return json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        return body


def _claim(request: HttpRequest, key: str) -> tuple[IdempotencyRecord | None, HttpResponse | None]:
    """Claim `key` for this request, or return the stored answer to replay."""
    owner = user_of(request)
    fingerprint = request_fingerprint(request)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    owner=owner,
                    key=key,
                    method=request.method or "POST",
                    path=request.path[:500],
                    request_hash=fingerprint,
                )
            return record, None
        except IntegrityError:
            existing = IdempotencyRecord.objects.filter(owner=owner, key=key).first()
            if existing is None:
                continue  # finished and purged in between: claim again
            if _release_if_stale(existing, now=timezone.now()):
                continue
            return None, _answer_from(existing, fingerprint)
    raise api_error(ApiConflictError, ApiErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS)


def _release_if_stale(record: IdempotencyRecord, *, now: datetime) -> bool:
    """Delete `record` if it expired (24 h) or its claim's lease ran out; return whether it did.

    The delete is conditional on what was read, so two retries cannot both take the key over
    and a claim that was just finished is kept.
    """
    if record.created_at < now - RETENTION:
        stale = IdempotencyRecord.objects.filter(pk=record.pk)
    elif record.status is None and record.created_at < now - CLAIM_LEASE:
        stale = IdempotencyRecord.objects.filter(pk=record.pk, status__isnull=True)
    else:
        return False
    stale.delete()
    return True


def _answer_from(record: IdempotencyRecord, fingerprint: str) -> HttpResponse:
    if record.request_hash != fingerprint:
        raise api_error(ApiConflictError, ApiErrorCode.IDEMPOTENCY_KEY_REUSED)
    if record.status is None:
        raise api_error(ApiConflictError, ApiErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS)
    response = HttpResponse(
        record.response_body, status=record.status, content_type="application/json"
    )
    response[REPLAYED_HEADER] = "true"
    return response


def _finish(record: IdempotencyRecord, response: HttpResponseBase) -> None:
    """Store the answer for replays; forget the key after a server error so it can retry."""
    # Filtered on the claim still being open: a request that outlived its lease and was taken
    # over must not overwrite (or delete) the newer request's record.
    claim = IdempotencyRecord.objects.filter(pk=record.pk, status__isnull=True)
    if response.status_code >= 500 or not isinstance(response, HttpResponse):
        claim.delete()
        return
    claim.update(status=response.status_code, response_body=response.content.decode("utf-8"))


def idempotency_purge(*, now: datetime) -> int:
    """Delete the records older than 24 hours before `now`; return how many went."""
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=now - RETENTION).delete()
    return deleted
