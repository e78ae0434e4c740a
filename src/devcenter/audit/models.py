from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventType(models.TextChoices):
    PARTNER_REGISTERED = "partner.registered", _("Partner registered")  # a new partner (any kind)
    PARTNER_TYPE_CHANGED = "partner.type_changed", _("Partner type changed")  # a move between types
    PARTNER_UPDATED = "partner.updated", _("Partner details updated")  # names, contact, address
    PARTNER_SUSPENDED = (
        "partner.suspended",
        _("Partner suspended"),
    )  # allowed nothing until restored
    PARTNER_RESTORED = "partner.restored", _("Partner restored")  # suspension lifted
    MEMBER_ADDED = "member.added", _("Member added")  # a user may act for the partner
    MEMBER_REMOVED = "member.removed", _("Member removed")  # that user no longer may
    CARD_REGISTERED = "card.registered", _("Card registered")  # verified by the card verifier
    CARD_FAILED = "card.failed", _("Card verification failed")  # refused by the verifier
    CARD_REMOVED = "card.removed", _("Card removed")  # removed by the partner
    CARD_EXPIRED = "card.expired", _("Card expired")  # applied by `devcenter cards expire`
    ACCOUNT_CREATED = "account.created", _("Platform account created")  # any account kind
    ACCOUNT_DELETED = "account.deleted", _("Platform account deleted")  # e.g. a test account
    APPLICATION_SUBMITTED = (
        "application.submitted",
        _("Application submitted"),
    )  # new or resubmitted
    APPLICATION_IN_REVIEW = "application.in_review", _("Application taken into review")  # by staff
    APPLICATION_IDENTITY_CONFIRMED = (
        "application.identity_confirmed",
        _("Identity confirmed"),
    )  # contact made
    APPLICATION_APPROVED = "application.approved", _("Application approved")  # partner certified
    APPLICATION_REJECTED = "application.rejected", _("Application rejected")  # with a reason
    APPLICATION_NEEDS_INFO = (
        "application.needs_info",
        _("More information requested"),
    )  # what is missing
    APPLICATION_WITHDRAWN = "application.withdrawn", _("Application withdrawn")  # by the applicant
    DOCUMENT_UPLOADED = "document.uploaded", _("Document uploaded")  # registry certificate / form
    DOCUMENT_PURGED = (
        "document.purged",
        _("Document deleted after retention"),
    )  # personal data removed
    APIKEY_CREATED = "apikey.created", _("API key created")  # name and scope, never the secret
    APIKEY_REVOKED = "apikey.revoked", _("API key revoked")


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
