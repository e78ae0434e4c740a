"""The registrations app's choice enums and fixed names (values are stored; labels are shown).

They live here, not in `devcenter.registrations.models`, so other apps can use them without
importing the models. `RegistrationStatus` mirrors the policy file's registration statuses (a
test keeps the two lists equal); the rules about them are the policy's.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistrationStatus(models.TextChoices):
    IN_DEVELOPMENT = "in_development", _("In development")  # 開発中: not searchable
    LISTING_REQUESTED = "listing_requested", _("Listing requested")  # awaiting staff review
    PUBLISHED = "published", _("Published")  # listed; never returns to in_development
    REJECTED = "rejected", _("Listing rejected")  # may ask again after the cool-down
    SUSPENDED = "suspended", _("Suspended")  # the partner may not use the service now


class ImageKind(models.TextChoices):
    """The policy's `image_kinds` (a test keeps the two lists equal)."""

    LOGO = "logo", _("Logo")
    ICON = "icon", _("Icon")
    SCREENSHOT = "screenshot", _("Screenshot")  # several per registration


class CredentialKind(models.TextChoices):
    CONSUMER_KEY = "consumer_key", _("Consumer key and secret")  # apps, page apps
    OAUTH_CLIENT = "oauth_client", _("OAuth 2.0 client")  # Graph API services
    CHECK_KEY = "check_key", _("Check key")  # plugins (識別キー), no secret


class OperatorStatus(models.TextChoices):
    INVITED = "invited", _("Invited")  # the e-mailed link is not confirmed yet
    ACTIVE = "active", _("Active")  # confirmed: may edit the registration, see its credentials
    REVOKED = "revoked", _("Revoked")  # by an owner, or never confirmed and replaced


class PaymentStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")  # the business plan awaits staff review
    APPROVED = "approved", _("Approved")  # payment enabled for the app
    REJECTED = "rejected", _("Rejected")  # with a reason in ja/en


class BankAccountType(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary (普通)")
    CHECKING = "checking", _("Checking (当座)")


# The policy's role of someone granted rights on one registration (no membership).
OPERATOR_ROLE = "operator"
