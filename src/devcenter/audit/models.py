from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# Re-exported: code inside the app (and tests) may keep importing it from here.
from devcenter.audit.choices import AuditEventType as AuditEventType


class AuditEvent(models.Model):
    """One append-only, hash-chained event.

    Invariants: `sequence` runs 1, 2, 3, … with no gap; `prev_hash` is the previous event's
    `hash` (64 zeros for the first); `hash` is the SHA-256 of the canonical JSON of
    (sequence, occurred_at, actor, event_type, target_type, target_id, partner, old, new,
    prev_hash). Rows are written only by `devcenter.audit.services.audit_record`, inside the
    transaction of the change they describe, and never updated or deleted (PostgreSQL
    enforces this with a trigger).
    """

    sequence = models.BigIntegerField(_("sequence"), unique=True)
    occurred_at = models.DateTimeField(_("occurred at"))
    actor = models.CharField(_("actor"), max_length=200)  # "user:<id>", "apikey:<name>", "system"
    event_type = models.CharField(_("event type"), max_length=50, choices=AuditEventType.choices)
    target_type = models.CharField(_("target type"), max_length=50)  # partner, card, account, …
    target_id = models.CharField(_("target id"), max_length=64)  # the target's public id
    partner = models.CharField(
        _("partner"), max_length=64, blank=True, db_index=True
    )  # ptn_… affected
    old = models.JSONField(_("old"), null=True, blank=True)
    new = models.JSONField(_("new"), null=True, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["sequence"]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.event_type} {self.target_type}:{self.target_id}"
