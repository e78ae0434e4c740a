from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "devcenter.events"
    label = "events"
    verbose_name = _("Events and webhooks")

    def ready(self) -> None:
        from devcenter.audit.hooks import on_audit_appended
        from devcenter.events.feed_bell import ring

        if ring not in on_audit_appended:
            on_audit_appended.append(ring)
