"""The accounts app's choice enums other apps need (values are stored; labels are shown).

They live here, not in `devcenter.accounts.models`, so other apps can use them without
importing the models (the import contracts in pyproject.toml forbid that);
`devcenter.accounts.models` re-exports them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    """The policy file's accounts (a test keeps the two lists equal)."""

    PARTNER_ACCOUNT = (
        "partner_account",
        _("Partner account"),
    )  # certified partners; "mixiパートナー" emblem
    PARTNER_TEST_ACCOUNT = (
        "partner_test_account",
        _("Partner test account"),
    )  # certified partners' sandbox
    USER_ACCOUNT = "user_account", _("User account")  # an individual partner's own user account
    GENERAL_PARTNER_ACCOUNT = (
        "general_partner_account",
        _("General partner account"),
    )  # invisible, restricted


class AccountStatus(models.TextChoices):
    ACTIVE = "active", _("Active")  # in use
    DELETED = "deleted", _("Deleted")  # deleted (test accounts) or replaced (on certification)
