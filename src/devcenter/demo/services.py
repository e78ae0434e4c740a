"""Demo data for a fresh machine: one partner of each type, a pending application, a staff user.

Everything goes through the registry's services (registration, card, application, review), so
the demo data has a consistent audit chain. Passwords are random per install and are kept,
with the staff user's TOTP secret, in `<VAR_DIR>/demo-logins.txt` (mode 0600) so that a
second run can show them again.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.test.utils import override_settings

from devcenter.demo.samples import sample_pdf, sample_png
from devcenter.partners.card_services import card_register
from devcenter.partners.choices import STAFF_ROLE, PartnerType
from devcenter.partners.corporate_number import corporate_number_check_digit
from devcenter.partners.selectors import partner_get_by_pk
from devcenter.partners.services import (
    CorporateDetails,
    partner_register_corporate_general,
    partner_register_individual,
    test_account_create,
)
from devcenter.reviews import services as reviews

DOMAIN = "example.com"  # reserved for documentation: demo mail goes nowhere
STAFF_EMAIL = f"staff@{DOMAIN}"
LOGINS_FILE = "demo-logins.txt"


@dataclass(frozen=True)
class DemoLogin:
    """How to log in as one demo user, and what it is."""

    role: str
    email: str
    password: str
    partner: str = ""  # ptn_… of the user's partner, if any
    totp_secret: str = ""
    otpauth_uri: str = ""


def demo_exists() -> bool:
    """Return whether demo data has been loaded (its staff user exists)."""
    return get_user_model().objects.filter(email=STAFF_EMAIL).exists()


def demo_logins_path() -> Path:
    return Path(settings.VAR_DIR) / LOGINS_FILE


def demo_load() -> list[DemoLogin]:
    """Create the demo users and partners in one transaction; return how to log in as each.

    Mail the services send on commit (application notices) is dropped: it is addressed to
    example.com and would only bury the log-ins in the output.
    """
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        with transaction.atomic():
            logins = _load()
    _write_logins(logins)
    return logins


def _load() -> list[DemoLogin]:
    staff, staff_login = _staff_user()
    return [
        staff_login,
        _certified_corporation(staff),
        _general_corporation(),
        _general_corporation_applying(),
        _individual(with_card=True),
        _individual(with_card=False),
    ]


def _user(local_part: str, *, is_staff: bool = False) -> tuple[Any, str]:
    """Create an active user with a verified primary e-mail (a platform user)."""
    password = secrets.token_urlsafe(12)
    email = f"{local_part}@{DOMAIN}"
    user = get_user_model().objects.create_user(
        username=local_part, email=email, password=password, is_staff=is_staff
    )
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user, password


def _staff_user() -> tuple[Any, DemoLogin]:
    user, password = _user(STAFF_ROLE, is_staff=True)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    uri = get_mfa_adapter().build_totp_url(user, secret)
    login = DemoLogin("staff (console at /admin/)", user.email, password, "", secret, uri)
    return user, login


def _details(seed: int, name: str, legal_name: str) -> CorporateDetails:
    base = f"{9_100_000_000 + seed:012d}"
    return CorporateDetails(
        registration_name=name,
        legal_name=legal_name,
        corporate_number=f"{corporate_number_check_digit(base)}{base}",
        legal_entity_registered=True,
        representative_name="山田 太郎",
        head_office_address="東京都渋谷区渋谷2-24-12",
        contact_email=f"contact+{seed}@{DOMAIN}",
        contact_phone="03-0000-0000",
    )


def _documents(label: str) -> dict[str, ContentFile[bytes]]:
    return {
        "registry_certificate": ContentFile(
            sample_pdf(f"Registry certificate (demo): {label}"), name="registry-certificate.pdf"
        ),
        "application_form": ContentFile(sample_png(), name="application-form.png"),
    }


def _certified_corporation(staff: Any) -> DemoLogin:
    """A new corporation applies directly; the demo staff user reviews and approves it."""
    user, password = _user("certified")
    details = _details(1, "Demo Certified Studio", "株式会社デモ認定スタジオ")
    application = reviews.application_submit_new(
        acting_user=user, details=details, **_documents(details.legal_name)
    )
    app_id = application.public_id
    reviews.application_start_review(application_id=app_id, acting_user=staff)
    reviews.application_confirm_identity(
        application_id=app_id, acting_user=staff, note="Demo: called the representative."
    )
    reviews.application_approve(application_id=app_id, acting_user=staff)
    partner = partner_get_by_pk(pk=application.partner_id)
    test_account_create(
        partner_id=partner.public_id, display_name="Demo test account", acting_user=user
    )
    return DemoLogin(PartnerType.CORPORATE_CERTIFIED, user.email, password, partner.public_id)


def _general_corporation() -> DemoLogin:
    user, password = _user("general")
    details = _details(2, "Demo General Apps", "合同会社デモ一般アプリ")
    partner = partner_register_corporate_general(acting_user=user, details=details)
    return DemoLogin(PartnerType.CORPORATE_GENERAL, user.email, password, partner.public_id)


def _general_corporation_applying() -> DemoLogin:
    """A general partner with a certification application waiting in the review queue."""
    user, password = _user("applicant")
    details = _details(3, "Demo Applicant Games", "株式会社デモ申請ゲームズ")
    partner = partner_register_corporate_general(acting_user=user, details=details)
    reviews.application_submit_upgrade(
        acting_user=user, partner_id=partner.public_id, **_documents(details.legal_name)
    )
    role = "corporate_general, certification application pending"
    return DemoLogin(role, user.email, password, partner.public_id)


def _individual(*, with_card: bool) -> DemoLogin:
    user, password = _user("card" if with_card else "solo")
    name = "Demo Card Developer" if with_card else "Demo Individual Developer"
    partner = partner_register_individual(acting_user=user, registration_name=name)
    if with_card:
        card_register(partner_id=partner.public_id, token="tok_visa", acting_user=user)  # noqa: S106
    return DemoLogin(partner.partner_type or "", user.email, password, partner.public_id)


def _write_logins(logins: list[DemoLogin]) -> None:
    """Keep the log-ins (owner-only file) so that later runs can show them again."""
    path = demo_logins_path()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(format_logins(logins))


def format_logins(logins: list[DemoLogin]) -> str:
    """Return the log-ins as the text the command prints."""
    lines = []
    for login in logins:
        lines += [login.role, f"  e-mail      {login.email}", f"  password    {login.password}"]
        if login.partner:
            lines.append(f"  partner     {login.partner}")
        if login.totp_secret:
            lines += [f"  TOTP secret {login.totp_secret}", f"  TOTP URI    {login.otpauth_uri}"]
    return "\n".join(lines) + "\n"
