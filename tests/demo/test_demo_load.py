"""`devcenter demo_load`: creates what it says once, refuses foreign databases unless asked."""

from __future__ import annotations

import io
import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from devcenter.audit.selectors import audit_verify_chain
from devcenter.partners.models import Partner
from devcenter.reviews.models import CertificationApplication
from tests.staff.factories import totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_dirs(settings: object, tmp_path: object) -> None:
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


def _load(**options: object) -> str:
    out = io.StringIO()
    call_command("demo_load", stdout=out, **options)
    return out.getvalue()


def _field(output: str, email: str, name: str) -> str:
    """Return a field printed under the user with this e-mail."""
    block = output[output.index(email) :]
    return re.search(rf"{name}\s+(\S+)", block).group(1)


def test_loads_one_partner_of_each_type_with_accounts_and_says_how_to_log_in() -> None:
    output = _load(force=True)

    types = sorted(Partner.objects.values_list("partner_type", flat=True))
    assert types == [
        "corporate_certified",
        "corporate_general",
        "corporate_general",
        "individual",
        "individual_card",
    ]
    for partner in Partner.objects.all():
        assert partner.platform_accounts.filter(status="active").exists()
        assert partner.public_id in output
    certified = Partner.objects.get(partner_type="corporate_certified")
    assert certified.platform_accounts.filter(kind="partner_account", emblem=True).exists()
    assert audit_verify_chain().ok
    for user in get_user_model().objects.all():
        assert user.check_password(_field(output, user.email, "password"))


def test_a_general_partner_has_a_pending_application_with_two_documents() -> None:
    _load(force=True)
    pending = CertificationApplication.objects.get(status="submitted")
    assert pending.partner.partner_type == "corporate_general"
    documents = {d.kind: d for d in pending.documents.all()}
    assert documents["registry_certificate"].content_type == "application/pdf"
    assert documents["application_form"].content_type == "image/png"


def test_the_staff_user_computes_a_totp_code_from_the_printed_secret() -> None:
    output = _load(force=True)
    staff = get_user_model().objects.get(is_staff=True)
    secret = _field(output, staff.email, "TOTP secret")
    assert f"secret={secret}" in _field(output, staff.email, "TOTP URI")

    authenticator = Authenticator.objects.get(user=staff, type="totp")
    assert TOTP(authenticator).validate_code(totp_code(secret))


def test_the_demo_staff_user_reaches_the_console_with_password_and_totp(client: Client) -> None:
    output = _load(force=True)
    email = "staff@example.com"
    client.post(
        reverse("account_login"), {"login": email, "password": _field(output, email, "password")}
    )
    client.post(
        reverse("mfa_authenticate"), {"code": totp_code(_field(output, email, "TOTP secret"))}
    )
    page = client.get(reverse("portal:staff_reviews"))
    assert page.status_code == 200
    assert (
        CertificationApplication.objects.get(status="submitted").public_id in page.content.decode()
    )


def test_a_second_run_does_nothing_and_shows_the_saved_logins() -> None:
    first = _load(force=True)
    partners, users = Partner.objects.count(), get_user_model().objects.count()

    second = _load(force=True)

    assert "nothing done" in second
    assert _field(first, "staff@example.com", "password") in second
    assert (Partner.objects.count(), get_user_model().objects.count()) == (partners, users)


def test_refuses_a_database_other_than_the_embedded_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/production")
    monkeypatch.delenv("DEVCENTER_DEMO", raising=False)
    with pytest.raises(CommandError, match="--force or DEVCENTER_DEMO=1"):
        _load()
    assert not Partner.objects.exists()


def test_devcenter_demo_1_allows_another_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/demo")
    monkeypatch.setenv("DEVCENTER_DEMO", "1")
    assert "Demo data loaded" in _load()
