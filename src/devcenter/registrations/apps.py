from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "devcenter.registrations"
    label = "registrations"
    verbose_name = _("Service registrations")

    def ready(self) -> None:
        """Follow partner changes (partners must not import registrations); offer the OAuth
        server the "is this client usable now?" check when it is installed."""
        from devcenter.partners.hooks import on_partner_changed
        from devcenter.registrations import follow

        if follow.partner_changed not in on_partner_changed:
            on_partner_changed.append(follow.partner_changed)
        follow.register_oauth_client_check()
