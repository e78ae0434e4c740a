from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    """The staff console: Django admin customisation and the staff MFA gate."""

    name = "devcenter.staff"
    label = "staff"
    verbose_name = _("Staff console")

    def ready(self) -> None:
        from django.contrib import admin

        # The console's own name in its header and the browser's title (Django's default says
        # "Django administration").
        admin.site.site_header = _("devcenter staff console")
        admin.site.site_title = _("devcenter staff console")
        admin.site.index_title = _("Staff console")
