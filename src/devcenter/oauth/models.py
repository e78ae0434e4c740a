"""What devcenter adds to django-oauth-toolkit's clients: their registration, previous secrets.

The client itself is DOT's `Application` (client id, hashed secret, exact redirect URIs);
tokens, codes and refresh tokens are DOT's too, and all of them go when the client is deleted.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from oauth2_provider.settings import oauth2_settings


class ClientRegistration(models.Model):
    """The registration (`reg_…`) a client was issued for; one per client, set at creation."""

    application = models.OneToOneField(
        oauth2_settings.APPLICATION_MODEL,
        on_delete=models.CASCADE,
        related_name="devcenter_registration",
        verbose_name=_("client"),
    )
    registration_id = models.CharField(_("registration"), max_length=64, db_index=True)

    class Meta:
        verbose_name = _("client registration")
        verbose_name_plural = _("client registrations")

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.application_id}"


class PreviousSecret(models.Model):
    """A client's secret before a rotation, still accepted until `expires_at`.

    Invariants: `secret_hash` is the hash the client stored before the rotation (never the
    secret itself); after `expires_at` it authenticates nothing, and it is deleted with the
    client.
    """

    application = models.ForeignKey(
        oauth2_settings.APPLICATION_MODEL,
        on_delete=models.CASCADE,
        related_name="previous_secrets",
        verbose_name=_("client"),
    )
    secret_hash = models.CharField(_("secret hash"), max_length=255)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("previous client secret")
        verbose_name_plural = _("previous client secrets")

    def __str__(self) -> str:
        return f"{self.application_id} until {self.expires_at.isoformat()}"
