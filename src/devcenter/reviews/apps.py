from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "devcenter.reviews"
    label = "reviews"
    verbose_name = _("Certification reviews")

    def ready(self) -> None:
        """Give the policy core the application facts (partners must not import reviews)."""
        from devcenter.reviews import facts

        facts.register()
