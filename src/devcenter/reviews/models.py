from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from devcenter.reviews.choices import ApplicationKind, ApplicationStatus, DocumentKind

__all__ = [
    "ApplicationKind",
    "ApplicationStatus",
    "CertificationApplication",
    "Document",
    "DocumentKind",
]


class CertificationApplication(models.Model):
    """An application to become a corporate certified partner.

    Invariants: a partner has at most one open application (submitted, in_review,
    needs_info). Status moves only through `devcenter.reviews.services`:
    submitted -> in_review -> approved | rejected | needs_info; needs_info -> submitted;
    submitted | in_review | needs_info -> withdrawn. Approval needs a recorded identity
    confirmation and both documents.
    """

    public_id = models.CharField(_("public id"), max_length=32, unique=True)
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="applications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ApplicationKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=ApplicationStatus.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications_submitted"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications_reviewed",
    )
    identity_confirmed_at = models.DateTimeField(_("identity confirmed at"), null=True, blank=True)
    identity_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="identities_confirmed",
    )
    identity_confirmation_note = models.TextField(
        _("identity confirmation (contact made)"), blank=True
    )
    needs_info_note = models.TextField(_("what is missing"), blank=True)
    decision_reason_ja = models.TextField(_("decision reason (Japanese)"), blank=True)
    decision_reason_en = models.TextField(_("decision reason (English)"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("certification application")
        verbose_name_plural = _("certification applications")
        ordering = ["submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner"],
                condition=models.Q(status__in=["submitted", "in_review", "needs_info"]),
                name="application_one_open_per_partner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.public_id} ({self.status})"


class Document(models.Model):
    """An uploaded document, kept in private storage (never under a public URL).

    Invariants: at most 10 MB; the content type is detected from the bytes (PDF, PNG, JPEG
    only); `sha256` is of the stored bytes; only the partner's members and staff may read
    it; the file is deleted a configurable time after the application's decision, and the
    deletion is audited (`purged_at` set, the row kept).
    """

    public_id = models.CharField(_("public id"), max_length=32, unique=True)
    application = models.ForeignKey(
        CertificationApplication, on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/", max_length=300, blank=True)
    content_type = models.CharField(_("content type"), max_length=50)  # detected, not declared
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    original_name = models.CharField(_("original file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="documents"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    superseded = models.BooleanField(_("superseded by a later upload"), default=False)
    purged_at = models.DateTimeField(_("deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.public_id}"
