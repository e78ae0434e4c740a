from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

# Re-exported: code inside the app (and tests) may keep importing them from here.
from devcenter.audit.choices import AuditEventType as AuditEventType
from devcenter.audit.choices import AuditTarget as AuditTarget


class CatalogueField(models.CharField):  # type: ignore[type-arg]
    """A code from one of the audit catalogues (`AuditEventType`, `AuditTarget`).

    The catalogues only grow (a new capability adds its event types), and the admin and forms
    show their labels through `choices`; but choices change no column, so they are left out of
    the migrations (`deconstruct`). Before, every new member rewrote the whole list in a new
    migration (0005–0010). `audit_record` refuses a value outside the catalogues.
    """

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        name, _path, args, kwargs = super().deconstruct()
        kwargs.pop("choices", None)
        return name, "django.db.models.CharField", args, kwargs


class AuditEvent(models.Model):
    """One append-only, hash-chained event.

    Invariants: `sequence` runs 1, 2, 3, … with no gap; `prev_hash` is the previous event's
    `hash` (64 zeros for the first); `hash` is the SHA-256 of the canonical JSON of
    (sequence, occurred_at, actor, event_type, target_type, target_id, partner, old, new,
    prev_hash). Rows are written only by `devcenter.audit.services`: on PostgreSQL by
    `audit_link_pending`, which moves committed `PendingAuditEvent`s here right after their
    transaction commits; on SQLite by `audit_record` itself, inside that transaction. They are
    never updated or deleted (PostgreSQL enforces this with a trigger).
    """

    sequence = models.BigIntegerField(_("sequence"), unique=True)
    occurred_at = models.DateTimeField(_("occurred at"))
    actor = models.CharField(_("actor"), max_length=200)  # "user:<id>", "apikey:<name>", "system"
    event_type = CatalogueField(_("event type"), max_length=50, choices=AuditEventType.choices)
    target_type = CatalogueField(_("target type"), max_length=50, choices=AuditTarget.choices)
    target_id = models.CharField(_("target id"), max_length=64)  # the target's public id
    partner = models.CharField(
        _("partner"), max_length=64, blank=True, db_index=True
    )  # ptn_… affected; "" for an event that concerns no partner (an API key)
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


class PendingAuditEvent(models.Model):
    """An event recorded by a transaction on PostgreSQL, waiting for its place in the chain.

    `audit_record` inserts it inside the transaction of the change it describes (so a
    rollback takes it away); once that transaction has committed, `audit_link_pending` deletes
    it from here and appends it, linked, to `AuditEvent`, under the chain's lock. A row stays
    here only between those two steps (or until the next link, if its writer died in between);
    it is never updated (a trigger refuses it on PostgreSQL).
    """

    occurred_at = models.DateTimeField(_("occurred at"))
    actor = models.CharField(_("actor"), max_length=200)
    event_type = CatalogueField(_("event type"), max_length=50, choices=AuditEventType.choices)
    target_type = CatalogueField(_("target type"), max_length=50, choices=AuditTarget.choices)
    target_id = models.CharField(_("target id"), max_length=64)
    partner = models.CharField(_("partner"), max_length=64, blank=True)
    old = models.JSONField(_("old"), null=True, blank=True)
    new = models.JSONField(_("new"), null=True, blank=True)

    class Meta:
        verbose_name = _("pending audit event")
        verbose_name_plural = _("pending audit events")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"pending {self.event_type} {self.target_type}:{self.target_id}"
