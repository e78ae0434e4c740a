from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OAuthConfig(AppConfig):
    name = "devcenter.oauth"
    label = "oauth"
    verbose_name = _("OAuth 2.0 clients")
    default_auto_field = "django.db.models.BigAutoField"
