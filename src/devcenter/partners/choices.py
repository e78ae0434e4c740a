"""The partners app's choice enums other apps need (values are stored; labels are shown).

They live here, not in `devcenter.partners.models`, so other apps can use them without
importing the models (the import contracts in pyproject.toml forbid that);
`devcenter.partners.models` re-exports them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerStatus(models.TextChoices):
    PENDING = (
        "pending",
        _("Pending certification"),
    )  # applied for certification directly; no type yet
    ACTIVE = "active", _("Active")  # has a type and its services
    SUSPENDED = "suspended", _("Suspended")  # allowed nothing until restored


STAFF_ROLE = "staff"  # the policy's role of staff acting through the staff console (no member)


class MemberRole(models.TextChoices):
    OWNER = "owner", _("Owner")  # may add and remove members
    DEVELOPER = "developer", _("Developer")  # may act for the partner


class PartnerType(models.TextChoices):
    """The policy file's partner types (a test keeps the two lists equal)."""

    CORPORATE_CERTIFIED = (
        "corporate_certified",
        _("Corporate, certified"),
    )  # staff confirmed identity
    CORPORATE_GENERAL = "corporate_general", _("Corporate, general")  # online, instant, limited
    INDIVIDUAL_CARD = "individual_card", _("Individual, card registered")  # verified card on file
    INDIVIDUAL = "individual", _("Individual, no card")  # a platform user, no card


class PartnerKind(models.TextChoices):
    CORPORATE = "corporate", _("Corporate")  # a corporation or other organisation
    INDIVIDUAL = "individual", _("Individual")  # one platform user


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")  # sent; may be accepted until it expires
    ACCEPTED = "accepted", _("Accepted")  # the invitee is a member now
    CANCELLED = "cancelled", _("Cancelled")  # the owner took it back
