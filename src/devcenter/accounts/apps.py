from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "devcenter.accounts"
    label = "platform_accounts"
    verbose_name = _("Platform accounts")
