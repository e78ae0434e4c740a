from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyRecord(models.Model):
    """The first answer to a POST sent with an `Idempotency-Key`, kept for replays.

    Invariants: one record per (owner, key); `request_hash` is the SHA-256 of the method,
    the path and the canonical body, so the same key with another request is refused;
    `status` is None while the first request is still running (a concurrent duplicate is then
    refused as in progress) and at most 60 seconds: an older claim without an answer was left
    by a request that died, and the next request with the key takes it over; a finished record
    stores the status and JSON body replayed to every later identical request. Records older
    than 24 hours may be purged (`devcenter.api_support.idempotency.idempotency_purge`).
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="idempotency_records",
    )
    key = models.CharField(_("idempotency key"), max_length=255)
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=500)
    request_hash = models.CharField(_("request SHA-256"), max_length=64)
    # None while the first request runs.
    status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    response_body = models.TextField(_("response body"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="idempotency_owner_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}] -> {self.status}"
