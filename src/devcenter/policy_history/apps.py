from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyHistoryConfig(AppConfig):
    name = "devcenter.policy_history"
    label = "policy_history"
    verbose_name = _("Policy versions")
