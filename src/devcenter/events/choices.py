"""The events app's choice enums (values are stored or sent; labels are shown)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    """The public event types a consumer sees (the projection maps audit types onto these)."""

    PARTNER_CREATED = "partner.created", _("Partner created")  # any kind of partner registered
    PARTNER_UPDATED = "partner.updated", _("Partner details updated")
    PARTNER_TYPE_CHANGED = "partner.type_changed", _("Partner type changed")  # old/new, services
    PARTNER_SUSPENDED = "partner.suspended", _("Partner suspended")
    PARTNER_RESTORED = "partner.restored", _("Partner restored")
    CARD_VERIFIED = "card.verified", _("Card verified")
    CARD_REMOVED = "card.removed", _("Card removed")
    CARD_EXPIRED = "card.expired", _("Card expired")
    CARD_EXPIRING = "card.expiring", _("Card expiring")  # a notice before the card expires
    ACCOUNT_CREATED = "account.created", _("Platform account created")
    ACCOUNT_DELETED = "account.deleted", _("Platform account deleted")
    APPLICATION_SUBMITTED = "application.submitted", _("Application submitted")
    APPLICATION_IN_REVIEW = "application.in_review", _("Application taken into review")
    APPLICATION_IDENTITY_CONFIRMED = "application.identity_confirmed", _("Identity confirmed")
    APPLICATION_APPROVED = "application.approved", _("Application approved")
    APPLICATION_REJECTED = "application.rejected", _("Application rejected")
    APPLICATION_NEEDS_INFO = "application.needs_info", _("More information requested")
    APPLICATION_WITHDRAWN = "application.withdrawn", _("Application withdrawn")
    MEMBER_ADDED = "member.added", _("Member added")
    MEMBER_REMOVED = "member.removed", _("Member removed")
    REGISTRATION_CREATED = "registration.created", _("Service registered")
    REGISTRATION_PUBLISHED = "registration.published", _("Registration published")
    REGISTRATION_REJECTED = "registration.rejected", _("Listing rejected")
    REGISTRATION_SUSPENDED = "registration.suspended", _("Registration suspended")
    REGISTRATION_RESTORED = "registration.restored", _("Registration restored")
    REGISTRATION_DELETED = "registration.deleted", _("Registration deleted")
    REGISTRATION_CREDENTIALS_ROTATED = (
        "registration.credentials_rotated",
        _("Credentials rotated"),
    )
    REGISTRATION_CREDENTIALS_REVOKED = (
        "registration.credentials_revoked",
        _("Credentials revoked"),
    )


# A test send is no audited change: its type is outside the feed's types.
TEST_EVENT_TYPE = "webhook.test"


class DeliveryState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")  # waiting for its (next) attempt
    DELIVERED = "delivered", _("Delivered")  # a 2xx answer within the time limit
    ABANDONED = "abandoned", _("Abandoned")  # retried for the whole retry period in vain
