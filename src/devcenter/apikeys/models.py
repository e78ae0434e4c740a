from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Re-exported: code inside the app (and tests) may keep importing it from here.
from devcenter.apikeys.choices import ApiKeyScope as ApiKeyScope


class ApiKey(models.Model):
    """A bearer secret, stored only as its SHA-256 hash.

    Invariants: the raw key (``dc_`` + 43 url-safe characters) is shown once at creation
    and never stored; ``prefix`` is its first 8 characters, for recognising it in lists;
    a key with ``revoked_at`` set never authenticates again and is never un-revoked.
    Change keys only through ``devcenter.apikeys.services``.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    scope = models.CharField(_("scope"), max_length=20, choices=ApiKeyScope.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="api_keys",
    )
    prefix = models.CharField(_("prefix"), max_length=8)
    secret_hash = models.CharField(_("secret hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.scope}, {self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
