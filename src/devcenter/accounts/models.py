from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Re-exported: code inside the app (and tests) may keep importing it from here.
from devcenter.accounts.choices import AccountKind as AccountKind
from devcenter.accounts.choices import AccountStatus as AccountStatus


class PlatformAccount(models.Model):
    """An account on the platform that belongs to a partner.

    Invariants: which kinds a partner may hold comes from the policy core (`decide_account`);
    only partner accounts show the emblem; a user account is the individual partner's user.
    Written only by `devcenter.accounts.services`.
    """

    public_id = models.CharField(_("public id"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=AccountKind.choices)
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="platform_accounts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="platform_accounts",
    )
    display_name = models.CharField(_("display name"), max_length=100)
    emblem = models.BooleanField(_("shows the mixiパートナー emblem"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=AccountStatus.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("platform account")
        verbose_name_plural = _("platform accounts")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.kind}, {self.public_id})"
