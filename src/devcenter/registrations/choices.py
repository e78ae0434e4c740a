"""The registrations app's choice enums and fixed names (values are stored; labels are shown).

They live here, not in `devcenter.registrations.models`, so other apps can use them without
importing the models. `RegistrationStatus` mirrors the policy file's registration statuses (a
test keeps the two lists equal); the rules about them are the policy's.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistrationStatus(models.TextChoices):
    IN_DEVELOPMENT = "in_development", _("In development")  # 開発中: not searchable
    LISTING_REQUESTED = "listing_requested", _("Listing requested")  # awaiting staff review
    PUBLISHED = "published", _("Published")  # listed; never returns to in_development
    REJECTED = "rejected", _("Listing rejected")  # may ask again after the cool-down
    SUSPENDED = "suspended", _("Suspended")  # the partner may not use the service now


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


# The policy's role of someone granted rights on one registration (no membership).
OPERATOR_ROLE = "operator"


class RegistrationEvent(StrEnum):
    """Audit event types of this app (passed to `audit_record` as strings)."""

    CREATED = "registration.created"
    UPDATED = "registration.updated"
    DELETED = "registration.deleted"
    IMAGE_ADDED = "registration.image_added"
    CONTACT_EMAIL_CONFIRMED = "registration.contact_email_confirmed"
    USER_COUNT_REPORTED = "registration.user_count_reported"
    LISTING_REQUESTED = "registration.listing_requested"
    PUBLISHED = "registration.published"
    REJECTED = "registration.rejected"
    SUSPENDED = "registration.suspended"
    RESTORED = "registration.restored"
    CREDENTIALS_ISSUED = "registration.credentials_issued"
    CREDENTIALS_ROTATED = "registration.credentials_rotated"
    CREDENTIALS_REVOKED = "registration.credentials_revoked"
    OPERATOR_GRANTED = "operator.granted"
    OPERATOR_CONFIRMED = "operator.confirmed"
    OPERATOR_REVOKED = "operator.revoked"
    PAYMENT_SUBMITTED = "payment.submitted"
    PAYMENT_APPROVED = "payment.approved"
    PAYMENT_REJECTED = "payment.rejected"


class AuditTargetName(StrEnum):
    """The audit `target_type` strings of this app, in one place (audit's AuditTarget later)."""

    REGISTRATION = "registration"
    OPERATOR = "operator"
    PAYMENT_ENROLMENT = "payment_enrolment"
