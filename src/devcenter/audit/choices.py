"""The audit app's choice enums other apps need (values are stored; labels are shown).

They live here, not in `devcenter.audit.models`, so other apps can use them without
importing the models (the import contracts in pyproject.toml forbid that);
`devcenter.audit.models` re-exports them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventType(models.TextChoices):
    PARTNER_REGISTERED = "partner.registered", _("Partner registered")  # a new partner (any kind)
    PARTNER_TYPE_CHANGED = "partner.type_changed", _("Partner type changed")  # a move between types
    PARTNER_UPDATED = "partner.updated", _("Partner details updated")  # names, contact, address
    PARTNER_SUSPENDED = (
        "partner.suspended",
        _("Partner suspended"),
    )  # allowed nothing until restored
    PARTNER_RESTORED = "partner.restored", _("Partner restored")  # suspension lifted
    MEMBER_ADDED = "member.added", _("Member added")  # a user may act for the partner
    MEMBER_REMOVED = "member.removed", _("Member removed")  # that user no longer may
    INVITATION_SENT = (
        "invitation.sent",
        _("Invitation sent"),
    )  # an owner invited an address (the address is not recorded)
    INVITATION_RESENT = "invitation.resent", _("Invitation sent again")  # a new link, a new week
    INVITATION_CANCELLED = (
        "invitation.cancelled",
        _("Invitation cancelled"),
    )  # by an owner, or replaced by a new invitation to the same address
    CARD_REGISTERED = "card.registered", _("Card registered")  # verified by the card verifier
    CARD_FAILED = "card.failed", _("Card verification failed")  # refused by the verifier
    CARD_REMOVED = "card.removed", _("Card removed")  # removed by the partner
    CARD_EXPIRED = "card.expired", _("Card expired")  # applied by `devcenter cards expire`
    CARD_EXPIRING = "card.expiring", _("Card expiring")  # a notice 30, 7 or 1 days before
    ACCOUNT_CREATED = "account.created", _("Platform account created")  # any account kind
    ACCOUNT_DELETED = "account.deleted", _("Platform account deleted")  # e.g. a test account
    APPLICATION_SUBMITTED = (
        "application.submitted",
        _("Application submitted"),
    )  # new or resubmitted
    APPLICATION_IN_REVIEW = "application.in_review", _("Application taken into review")  # by staff
    APPLICATION_IDENTITY_CONFIRMED = (
        "application.identity_confirmed",
        _("Identity confirmed"),
    )  # contact made
    APPLICATION_APPROVED = "application.approved", _("Application approved")  # partner certified
    APPLICATION_REJECTED = "application.rejected", _("Application rejected")  # with a reason
    APPLICATION_NEEDS_INFO = (
        "application.needs_info",
        _("More information requested"),
    )  # what is missing
    APPLICATION_WITHDRAWN = "application.withdrawn", _("Application withdrawn")  # by the applicant
    DOCUMENT_UPLOADED = "document.uploaded", _("Document uploaded")  # registry certificate / form
    DOCUMENT_PURGED = (
        "document.purged",
        _("Document deleted after retention"),
    )  # personal data removed
    APIKEY_CREATED = "apikey.created", _("API key created")  # name and scope, never the secret
    APIKEY_REVOKED = "apikey.revoked", _("API key revoked")
    PERSONA_CREATED = "persona.created", _("Test persona created")  # devcenter personas create
    PERSONA_DELETED = "persona.deleted", _("Test persona deleted")  # and its partner with it
    REGISTRATION_CREATED = (
        "registration.created",
        _("Service registered"),
    )  # a registration of a service (reg_)
    REGISTRATION_UPDATED = (
        "registration.updated",
        _("Registration edited"),
    )  # name or fields changed
    REGISTRATION_DELETED = (
        "registration.deleted",
        _("Registration deleted"),
    )  # kept, credentials revoked
    REGISTRATION_IMAGE_ADDED = (
        "registration.image_added",
        _("Registration image added"),
    )  # logo, icon or screenshot
    REGISTRATION_CONTACT_EMAIL_CONFIRMED = (
        "registration.contact_email_confirmed",
        _("Contact e-mail confirmed"),
    )  # by the e-mailed link
    REGISTRATION_USER_COUNT_REPORTED = (
        "registration.user_count_reported",
        _("User count reported"),
    )  # by a platform service
    REGISTRATION_LISTING_REQUESTED = (
        "registration.listing_requested",
        _("Listing requested"),
    )  # awaits staff review
    REGISTRATION_PUBLISHED = (
        "registration.published",
        _("Registration published"),
    )  # listed by staff
    REGISTRATION_REJECTED = "registration.rejected", _("Listing rejected")  # with a reason in ja/en
    REGISTRATION_SUSPENDED = (
        "registration.suspended",
        _("Registration suspended"),
    )  # its partner lost the service
    REGISTRATION_RESTORED = (
        "registration.restored",
        _("Registration restored"),
    )  # the service came back
    REGISTRATION_CREDENTIALS_ISSUED = (
        "registration.credentials_issued",
        _("Credentials issued"),
    )  # the key, never the secret
    REGISTRATION_CREDENTIALS_ROTATED = (
        "registration.credentials_rotated",
        _("Credentials rotated"),
    )  # the old secret keeps a grace period
    REGISTRATION_CREDENTIALS_REVOKED = (
        "registration.credentials_revoked",
        _("Credentials revoked"),
    )  # at once
    OPERATOR_GRANTED = "operator.granted", _("Operator invited")  # an owner invites a user
    OPERATOR_CONFIRMED = (
        "operator.confirmed",
        _("Operator confirmed"),
    )  # the user confirmed the link
    OPERATOR_REVOKED = "operator.revoked", _("Operator revoked")  # by an owner
    PAYOUT_ACCOUNT_SET = "payout_account.set", _("Payout account set")  # masked number only
    PAYMENT_SUBMITTED = "payment.submitted", _("Payment enrolment submitted")  # a business plan
    PAYMENT_APPROVED = (
        "payment.approved",
        _("Payment enrolment approved"),
    )  # the app's payment is enabled
    PAYMENT_REJECTED = "payment.rejected", _("Payment enrolment rejected")  # with a reason in ja/en
    OAUTH_CLIENT_CREATED = (
        "oauth_client.created",
        _("OAuth client created"),
    )  # a Graph API client of a registration; never its secret
    OAUTH_CLIENT_UPDATED = "oauth_client.updated", _("OAuth client updated")  # name, redirect URIs
    OAUTH_CLIENT_SECRET_ROTATED = (
        "oauth_client.secret_rotated",
        _("OAuth client secret rotated"),
    )  # the previous secret works until its grace period ends
    OAUTH_CLIENT_REVOKED = (
        "oauth_client.revoked",
        _("OAuth client revoked"),
    )  # deleted: its codes and tokens stop at once
    WEBHOOK_ENDPOINT_CREATED = (
        "webhook_endpoint.created",
        _("Webhook endpoint added"),
    )  # a partner's or platform endpoint; its URL's origin and fingerprint, never the secret
    WEBHOOK_ENDPOINT_UPDATED = (
        "webhook_endpoint.updated",
        _("Webhook endpoint changed"),
    )  # URL, event types, description, enabled or disabled
    WEBHOOK_ENDPOINT_SECRET_ROTATED = (
        "webhook_endpoint.secret_rotated",
        _("Webhook signing secret rotated"),
    )  # the old secret signs alongside for 24 hours; neither is recorded
    WEBHOOK_ENDPOINT_DELETED = (
        "webhook_endpoint.deleted",
        _("Webhook endpoint deleted"),
    )  # with its deliveries and log


class AuditTarget(models.TextChoices):
    """What an event is about (its `target_id` is that thing's public id)."""

    PARTNER = "partner", _("Partner")  # target_id: the partner's ptn_ id
    MEMBERSHIP = "membership", _("Membership")  # target_id: "user:<id>" of the member
    INVITATION = "invitation", _("Invitation")  # target_id: the invitation's inv_ id
    CARD = "card", _("Card")  # target_id: the card's card_ id
    ACCOUNT = "account", _("Platform account")  # target_id: the account's acc_ id
    APPLICATION = "application", _("Certification application")  # its apl_ id
    DOCUMENT = "document", _("Document")  # target_id: the document's doc_ id
    APIKEY = "apikey", _("API key")  # target_id: the key's name; concerns no partner
    REGISTRATION = "registration", _("Registration")  # target_id: the registration's reg_ id
    OPERATOR = "operator", _("Operator")  # target_id: the registration's reg_ id
    PAYMENT_ENROLMENT = "payment_enrolment", _("Payment enrolment")  # its pay_ id
    OAUTH_CLIENT = "oauth_client", _("OAuth client")  # target_id: the client_id
    WEBHOOK_ENDPOINT = "webhook_endpoint", _("Webhook endpoint")  # target_id: its whk_ id
