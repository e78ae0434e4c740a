from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Re-exported: code inside the app (and tests) may keep importing it from here.
from devcenter.partners.choices import InvitationStatus as InvitationStatus
from devcenter.partners.choices import MemberRole as MemberRole
from devcenter.partners.choices import PartnerKind as PartnerKind
from devcenter.partners.choices import PartnerStatus as PartnerStatus
from devcenter.partners.choices import PartnerType as PartnerType


class Partner(models.Model):
    """A registered partner.

    Invariants: `public_id` (`ptn_…`) is what every face shows, never `pk`. `partner_type` is
    None only while a new corporation's first certification application is undecided
    (status pending). A corporate partner has no `user`; an individual partner has exactly
    one `user`, who must be a platform user. The type changes only through
    `devcenter.partners.services`, which checks the move with the policy core and audits it.
    """

    public_id = models.CharField(_("public id"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices)
    # None (not "") while a new corporation awaits certification: the policy's "not registered".
    partner_type = models.CharField(  # noqa: DJ001
        _("partner type"), max_length=30, choices=PartnerType.choices, null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=20, choices=PartnerStatus.choices)
    # §5: everything is registered in the name of the party that provides the service.
    registration_name = models.CharField(_("registration name"), max_length=200)
    # Corporate details.
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    corporate_number = models.CharField(
        _("corporate number"), max_length=13, blank=True
    )  # 法人番号
    legal_entity_registered = models.BooleanField(
        _("legally registered"), default=False
    )  # 法人登記あり
    representative_name = models.CharField(_("representative"), max_length=200, blank=True)
    head_office_address = models.CharField(_("head-office address"), max_length=500, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    # Individual: the platform user this partner is.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="individual_partner",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["corporate_number"],
                condition=~models.Q(corporate_number=""),
                name="partner_corporate_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration_name} ({self.public_id})"


class Membership(models.Model):
    """A user who may act for a partner. A partner always keeps at least one owner."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["partner", "user"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} of {self.partner.public_id}"


class CardStatus(models.TextChoices):
    VERIFIED = "verified", _("Verified")  # the active card; makes the partner individual_card
    EXPIRED = "expired", _("Expired")  # past its expiry month; applied by `devcenter cards expire`
    REMOVED = "removed", _("Removed")  # removed by the partner
    FAILED = "failed", _("Failed")  # refused by the card verifier


class Card(models.Model):
    """A credit card registered for identity only (nothing is charged).

    Invariants: the card number never reaches the server: only the payment provider's
    token, brand, last four digits, expiry and fingerprint are kept. A partner has at most one
    verified card (enforced by a partial unique constraint).
    """

    public_id = models.CharField(_("public id"), max_length=32, unique=True)
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="cards")
    token = models.CharField(_("provider token"), max_length=200)
    brand = models.CharField(_("brand"), max_length=30, blank=True)
    last4 = models.CharField(_("last four digits"), max_length=4, blank=True)
    exp_month = models.PositiveSmallIntegerField(_("expiry month"), null=True, blank=True)
    exp_year = models.PositiveSmallIntegerField(_("expiry year"), null=True, blank=True)
    fingerprint = models.CharField(_("fingerprint"), max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=CardStatus.choices)
    failure_code = models.CharField(_("failure code"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("card")
        verbose_name_plural = _("cards")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner"],
                condition=models.Q(status="verified"),
                name="card_one_verified_per_partner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.brand} …{self.last4} ({self.status})"


class Invitation(models.Model):
    """An invitation to become a member of a partner, sent to an e-mail address.

    Invariants: only the SHA-256 of the token in the link is stored. Whether the address
    belongs to a platform user is never told to the owner: the invitation is sent either way,
    and the person becomes a member only by accepting it, logged in with that verified address,
    before `expires_at`. Written only by `devcenter.partners.invitations`.
    """

    public_id = models.CharField(_("public id"), max_length=32, unique=True)
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InvitationStatus.choices,
        default=InvitationStatus.PENDING,
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="invitations_sent",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"))
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} to {self.partner.public_id} ({self.status})"
