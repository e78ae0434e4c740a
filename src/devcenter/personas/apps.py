from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonasConfig(AppConfig):
    name = "devcenter.personas"
    label = "personas"
    verbose_name = _("Test personas")
