from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from devcenter.registrations.choices import (
    BankAccountType,
    CredentialKind,
    OperatorStatus,
    PaymentStatus,
    RegistrationStatus,
)


class Registration(models.Model):
    """What a partner registered for one registrable service (an app, a Graph API client, …).

    Invariants: `public_id` (`reg_…`) is what every face shows. `service` is one of the policy's
    registrable services, and the partner could use it when the registration was created.
    `status` moves along the policy's listing pipeline, except `suspended`, which follows the
    partner: `restore_status` keeps where it returns to and `suspended_reason` the policy's
    code. A deleted registration (`deleted_at`) keeps its row and loses its credentials at once.
    The service's own fields are the typed columns below plus `fields`, checked against the
    policy by the services. Written only by `devcenter.registrations.services`.
    """

    public_id = models.CharField(_("public id"), max_length=32, unique=True)
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="registrations"
    )
    service = models.CharField(_("service"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    status = models.CharField(_("status"), max_length=30, choices=RegistrationStatus.choices)
    restore_status = models.CharField(
        _("status to restore"), max_length=30, choices=RegistrationStatus.choices, blank=True
    )
    suspended_reason = models.CharField(_("suspension reason"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_email_confirmed_at = models.DateTimeField(
        _("contact e-mail confirmed at"), null=True, blank=True
    )
    contact_email_nonce = models.CharField(max_length=32, blank=True)  # the unused link's secret
    contact_email_sent_at = models.DateTimeField(null=True, blank=True)
    support_community_id = models.CharField(
        _("support community id"), max_length=64, blank=True, db_index=True
    )
    redirect_uris = models.JSONField(_("redirect URIs"), default=list, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("page"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    fields = models.JSONField(_("service fields"), default=dict, blank=True)
    user_count = models.PositiveIntegerField(_("user count"), default=0)
    user_count_reported_at = models.DateTimeField(null=True, blank=True)
    listing_requested_at = models.DateTimeField(_("listing requested at"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason_ja = models.TextField(_("reason (ja)"), blank=True)
    decision_reason_en = models.TextField(_("reason (en)"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["partner", "service"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.public_id})"


class RegistrationImage(models.Model):
    """A logo, icon or screenshot, decoded by Pillow before it was stored (private storage)."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="images")
    kind = models.CharField(_("kind"), max_length=20)
    file = models.FileField(_("file"), upload_to="registrations/")
    content_type = models.CharField(_("content type"), max_length=50)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("registration image")
        verbose_name_plural = _("registration images")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} of {self.registration.public_id}"


class Credential(models.Model):
    """The key of a registration (consumer key, OAuth client id or plugin check key).

    Secrets are `CredentialSecret` rows, stored hashed: a rotation adds one and gives the old
    one an expiry (the grace period); deletion revokes them all at once.
    """

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="credential"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CredentialKind.choices)
    client_id = models.CharField(_("client id"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")

    def __str__(self) -> str:
        return f"{self.client_id} ({self.kind})"


class CredentialSecret(models.Model):
    """One secret of a credential: SHA-256 of the raw secret, shown once when issued."""

    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="secrets")
    secret_hash = models.CharField(_("secret hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)  # set on rotation
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("credential secret")
        verbose_name_plural = _("credential secrets")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"secret of {self.credential.client_id}"


class Operator(models.Model):
    """A user an owner granted rights on one registration (edit it, see its credentials).

    Invariant: at most one invited or active grant per registration and user.
    """

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="operators"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=OperatorStatus.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    nonce = models.CharField(max_length=32, blank=True)  # the link's secret, cleared when used
    invited_at = models.DateTimeField(_("invited at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("operator")
        verbose_name_plural = _("operators")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "user"],
                condition=~models.Q(status="revoked"),
                name="operator_one_open_grant",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.registration.public_id} ({self.status})"


class PaymentEnrolment(models.Model):
    """An app's application to the mixi Payment Program: a business plan reviewed by staff."""

    public_id = models.CharField(_("public id"), max_length=32, unique=True)
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="payment_enrolments"
    )
    status = models.CharField(_("status"), max_length=20, choices=PaymentStatus.choices)
    business_plan = models.TextField(_("business plan"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason_ja = models.TextField(_("reason (ja)"), blank=True)
    reason_en = models.TextField(_("reason (en)"), blank=True)

    class Meta:
        verbose_name = _("payment enrolment")
        verbose_name_plural = _("payment enrolments")
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration"],
                condition=models.Q(status="submitted"),
                name="payment_one_open_enrolment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.public_id} ({self.status})"


class PayoutAccount(models.Model):
    """The bank account the payment program pays a partner's sales into (one per partner).

    §8: payouts go only to an account in the partner's registered name, so the holder's name is
    checked against it when the account is set (`payments.payout_account_set`).
    """

    partner = models.OneToOneField(
        "partners.Partner", on_delete=models.CASCADE, related_name="payout_account"
    )
    bank_code = models.CharField(_("bank code"), max_length=4)
    branch_code = models.CharField(_("branch code"), max_length=3)
    account_type = models.CharField(
        _("account type"), max_length=10, choices=BankAccountType.choices
    )
    account_number = models.CharField(_("account number"), max_length=7)
    holder_name = models.CharField(_("account holder"), max_length=100)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("payout account")
        verbose_name_plural = _("payout accounts")

    def __str__(self) -> str:
        return f"{self.bank_code}-{self.branch_code} {self.masked_number}"

    @property
    def masked_number(self) -> str:
        """The account number as shown back: all but the last three digits hidden."""
        return "*" * (len(self.account_number) - 3) + self.account_number[-3:]
