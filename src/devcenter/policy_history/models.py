from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyVersion(models.Model):
    """A policy file the service has run, kept from the first time a server started with it.

    Invariant: never changed or deleted; `sha256` is the hash of `text`, which is the file
    exactly as loaded. Point-in-time answers load the version in force at an instant from here.
    """

    version = models.CharField(_("version"), max_length=64)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    text = models.TextField(_("policy file"))
    first_seen_at = models.DateTimeField(_("first run at"), db_index=True)

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["first_seen_at", "pk"]

    def __str__(self) -> str:
        return f"{self.version} ({self.sha256[:12]})"
