"""Every e-mail is branded: the site's name in the subject (never the host), the person's name
in the greeting (never the local part alone), absolute links, a text and an HTML part."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from devcenter.partners.services import member_add
from devcenter.reviews.services import (
    application_approve,
    application_confirm_identity,
    application_start_review,
    application_submit_upgrade,
)
from tests.partners.factories import platform_user
from tests.reviews.factories import StaffFactory, pdf_upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def test_the_verification_mail(client: Client, mailoutbox: Any) -> None:
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new.person@example.com",
            "password1": "a-long-sandbox-passphrase-42",
            "password2": "a-long-sandbox-passphrase-42",
        },
    )

    assert response.status_code == 302
    [mail] = mailoutbox
    assert mail.subject.startswith("[mixi Developer Center] ")
    assert "127.0.0.1" not in mail.subject
    assert "testserver" not in mail.subject
    assert mail.body.startswith("new.person@example.com 様 / Dear new.person@example.com,")
    assert mail.alternatives


def test_a_short_password_is_refused(client: Client, mailoutbox: Any) -> None:
    response = client.post(
        "/accounts/signup/",
        {"email": "short@example.com", "password1": "Short-pw-1", "password2": "Short-pw-1"},
    )

    assert response.status_code == 200
    assert not mailoutbox


def test_the_approval_mail_links_to_the_certification_screen(
    general: Any, user: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    staff = StaffFactory()
    application = application_submit_upgrade(
        acting_user=user,
        partner_id=general.public_id,
        registry_certificate=pdf_upload(),
        application_form=pdf_upload("form.pdf"),
    )
    application_start_review(application_id=application.public_id, acting_user=staff)
    application_confirm_identity(application_id=application.public_id, acting_user=staff, note="ok")
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        application_approve(application_id=application.public_id, acting_user=staff)

    [mail] = mailoutbox
    link = f"http://127.0.0.1:8000/partners/{general.public_id}/certification/"
    assert mail.subject.startswith("[mixi Developer Center] ")
    assert link in mail.body
    assert mail.body.startswith(f"{user.email} 様")
    [(html, _kind)] = mail.alternatives
    assert f'href="{link}"' in html


def test_the_member_added_mail_links_to_the_partner_absolutely(
    general: Any, user: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    colleague = platform_user(first_name="Hanako", last_name="Sato")

    with django_capture_on_commit_callbacks(execute=True):
        member_add(
            partner_id=general.public_id,
            email=colleague.email,
            role="developer",
            acting_user=user,
        )

    [mail] = mailoutbox
    link = f"http://127.0.0.1:8000/partners/{general.public_id}/"
    assert mail.subject.startswith("[mixi Developer Center] ")
    assert link in mail.body
    assert 'href="/' not in mail.alternatives[0][0]  # no relative link in the HTML part
    assert f'href="{link}"' in mail.alternatives[0][0]
    assert "Hanako" in mail.body.splitlines()[0]  # the person's name, not the address's local part
