"""Notices in the portal, the record that a card expiry notice went out, and the language a
person reads their notices and e-mails in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from devcenter.notices.choices import NoticeKind

__all__ = ["CardExpiryNotice", "LanguagePreference", "Notice", "NoticeKind"]


class Notice(models.Model):
    """One notice to one person about one partner; unread until they mark it read.

    `data` holds what the notice is about as codes and ids (the card, its expiry date, the
    services, accounts and registrations the change takes away); the inbox words it in the
    reader's language when shown.
    """

    public_id = models.CharField(_("public id"), max_length=32, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("recipient"),
    )
    partner = models.ForeignKey(
        "partners.Partner",
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("partner"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=NoticeKind.choices)
    data = models.JSONField(_("data"), default=dict)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_recipient_read")]

    def __str__(self) -> str:
        return f"{self.public_id} {self.kind}"


class CardExpiryNotice(models.Model):
    """That the expiry notice of one threshold went out for one card: at most once each (the
    unique constraint holds even when two sweeps run at once)."""

    card = models.ForeignKey(
        "partners.Card", on_delete=models.CASCADE, related_name="+", verbose_name=_("card")
    )
    threshold_days = models.PositiveSmallIntegerField(_("days before expiry"))
    expires_on = models.DateField(_("expires on"))
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("card expiry notice")
        verbose_name_plural = _("card expiry notices")
        constraints = [
            models.UniqueConstraint(
                fields=["card", "threshold_days"], name="card_expiry_notice_once"
            )
        ]

    def __str__(self) -> str:
        return f"card {self.card_id}: {self.threshold_days} days"


class LanguagePreference(models.Model):
    """The language a person last chose in the portal: their notices' e-mails are in it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notice_language",
        verbose_name=_("user"),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("language preference")
        verbose_name_plural = _("language preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"
