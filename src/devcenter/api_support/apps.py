from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiSupportConfig(AppConfig):
    name = "devcenter.api_support"
    label = "api_support"
    verbose_name = _("Registry API")
    default_auto_field = "django.db.models.BigAutoField"
