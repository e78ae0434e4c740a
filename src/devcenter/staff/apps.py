from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    """The staff console: Django admin customisation and the staff MFA gate."""

    name = "devcenter.staff"
    label = "staff"
    verbose_name = _("Staff console")
