from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for a fresh machine (`devcenter demo_load`)."""

    name = "devcenter.demo"
    label = "demo"
    verbose_name = _("Demo data")
