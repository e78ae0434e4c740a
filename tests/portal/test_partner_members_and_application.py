"""The partner page's members section and the applicant's side of a certification application."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from devcenter.partners.models import Invitation, Membership
from devcenter.partners.services import member_add
from devcenter.reviews.models import CertificationApplication, Document
from devcenter.reviews.services import (
    application_reject,
    application_request_info,
    application_start_review,
    application_submit_upgrade,
)
from tests.partners.factories import platform_user
from tests.portal.conftest import error_codes, follow_refusal, url
from tests.reviews.factories import StaffFactory, pdf_upload, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def page_of(client: Client, partner: Any, screen: str = "members/") -> str:
    response = client.get(url(partner, screen))
    assert response.status_code == 200
    return response.content.decode()


def as_member(client: Client, partner: Any, role: str, by: Any) -> Any:
    """Log `client` in as a new member of `partner` with `role`; return the user."""
    colleague = platform_user()
    member_add(partner_id=partner.public_id, email=colleague.email, role=role, acting_user=by)
    client.force_login(colleague)
    return colleague


# ---------------------------------------------------------------- members


def test_the_owner_sees_the_members_and_the_add_form(client_in: Client, general: Any, user: Any):
    html = page_of(client_in, general)

    assert 'id="member-table"' in html
    assert user.email in html
    assert 'id="member-form"' in html


def test_the_owner_invites_a_developer_who_accepts(
    client: Client, general: Any, user: Any, mailoutbox: Any, django_capture_on_commit_callbacks
):
    colleague = platform_user()
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(general, "members/"), {"email": colleague.email, "role": "developer"}
        )

    assert response.status_code == 303
    assert response["Location"] == url(general, "members/")
    assert not Membership.objects.filter(partner=general, user=colleague).exists()
    assert colleague.email in page_of(client, general)  # listed as invited
    [mail] = mailoutbox
    path = invitation_path(mail)
    client.force_login(colleague)
    assert general.registration_name in client.get(path).content.decode()
    accepted = client.post(path)
    assert accepted["Location"] == url(general)
    assert Membership.objects.get(partner=general, user=colleague).role == "developer"
    assert client.post(path).status_code == 303  # a second use is refused with a message
    assert Membership.objects.filter(partner=general).count() == 2


def invitation_path(mail: Any) -> str:
    """Return the path of the invitation link in `mail` (the link itself is absolute)."""
    [link] = {w for w in mail.body.split() if "/invitations/" in w}  # in both languages
    assert link.startswith("http://127.0.0.1:8000/invitations/")
    return link.removeprefix("http://127.0.0.1:8000")


def test_an_unknown_e_mail_is_invited_just_the_same(
    client_in: Client, general: Any, mailoutbox: Any, django_capture_on_commit_callbacks
):
    """The owner cannot tell whether an address has an account: the answer is the same."""
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client_in.post(
            url(general, "members/"), {"email": "nobody@example.com", "role": "developer"}
        )
        known = client_in.post(
            url(general, "members/"), {"email": platform_user().email, "role": "developer"}
        )

    assert unknown.status_code == known.status_code == 303
    assert len(mailoutbox) == 2
    assert Membership.objects.filter(partner=general).count() == 1


def test_someone_else_cannot_accept_an_invitation(
    client: Client, general: Any, user: Any, mailoutbox: Any, django_capture_on_commit_callbacks
):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(general, "members/"), {"email": "invited@example.com", "role": "owner"})
    path = invitation_path(mailoutbox[0])
    client.force_login(platform_user())

    page = client.get(path).content.decode()
    client.post(path)

    assert 'id="accept-invitation"' not in page
    assert Membership.objects.filter(partner=general).count() == 1


def test_the_owner_resends_and_cancels_an_invitation(
    client_in: Client, general: Any, mailoutbox: Any, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_in.post(url(general, "members/"), {"email": "x@example.com", "role": "developer"})
        invitation = Invitation.objects.get()
        client_in.post(url(general, f"invitations/{invitation.public_id}/resend/"))
    [first, second] = mailoutbox
    assert invitation_path(first) != invitation_path(second)
    assert client_in.get(invitation_path(first)).status_code == 404  # the old link is dead

    client_in.post(url(general, f"invitations/{invitation.public_id}/cancel/"))

    invitation.refresh_from_db()
    assert invitation.status == "cancelled"
    assert 'id="invitation-list"' not in page_of(client_in, general)


def test_an_invitation_expires_after_seven_days(
    client: Client, general: Any, user: Any, mailoutbox: Any, django_capture_on_commit_callbacks
):
    invitee = platform_user()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(general, "members/"), {"email": invitee.email, "role": "developer"})
    invitation = Invitation.objects.get()
    assert invitation.expires_at - invitation.sent_at == timedelta(days=7)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    client.force_login(invitee)

    client.post(invitation_path(mailoutbox[0]))

    assert not Membership.objects.filter(partner=general, user=invitee).exists()


def test_a_bad_role_is_a_422_naming_the_field(client_in: Client, general: Any):
    response = client_in.post(
        url(general, "members/"), {"email": platform_user().email, "role": "admin"}
    )

    page = follow_refusal(client_in, response, url(general, "members/"))
    assert 'data-field="role"' in page.content.decode()


def test_a_developer_sees_no_add_form_and_may_not_add(client: Client, general: Any, user: Any):
    as_member(client, general, "developer", by=user)

    html = page_of(client, general)
    response = client.post(
        url(general, "members/"), {"email": platform_user().email, "role": "developer"}
    )

    assert 'id="member-form"' not in html
    page = follow_refusal(client, response, url(general, "members/"))
    assert error_codes(page.context["member_form"]) == {"__all__": ["not_an_owner"]}


def test_the_owner_removes_a_member(client_in: Client, general: Any, user: Any):
    colleague = platform_user()
    member_add(
        partner_id=general.public_id, email=colleague.email, role="developer", acting_user=user
    )

    confirm = client_in.get(url(general, f"members/{colleague.pk}/remove/")).content.decode()
    response = client_in.post(url(general, f"members/{colleague.pk}/remove/"))

    assert colleague.email in confirm
    assert response.status_code == 303
    assert not Membership.objects.filter(partner=general, user=colleague).exists()


def test_a_developer_leaves_and_goes_back_to_the_list(client: Client, general: Any, user: Any):
    colleague = as_member(client, general, "developer", by=user)

    response = client.post(url(general, f"members/{colleague.pk}/remove/"))

    assert response.status_code == 303
    assert response["Location"] == "/partners/"
    assert client.get(url(general)).status_code == 404


def test_the_last_owner_cannot_leave(client_in: Client, general: Any, user: Any):
    assert client_in.get(url(general, f"members/{user.pk}/remove/")).status_code == 404
    response = client_in.post(url(general, f"members/{user.pk}/remove/"))

    page = follow_refusal(client_in, response, url(general, "members/"))
    assert error_codes(page.context["confirm_form"]) == {"__all__": ["last_owner"]}
    assert Membership.objects.filter(partner=general, user=user).exists()


def test_an_individual_partner_has_no_add_form(client_in: Client, individual: Any):
    html = page_of(client_in, individual)

    assert 'id="member-table"' in html
    assert 'id="member-form"' not in html


def test_a_stranger_gets_404_for_every_member_action(client: Client, general: Any, user: Any):
    client.force_login(platform_user())

    added = client.post(url(general, "members/"), {"email": "x@example.com", "role": "developer"})
    removed = client.post(url(general, f"members/{user.pk}/remove/"))

    assert (added.status_code, removed.status_code) == (404, 404)
    assert Membership.objects.filter(partner=general).count() == 1


# ---------------------------------------------------------------- the application


@pytest.fixture
def application(general: Any, user: Any) -> CertificationApplication:
    return application_submit_upgrade(
        acting_user=user,
        partner_id=general.public_id,
        registry_certificate=pdf_upload(),
        application_form=pdf_upload("form.pdf"),
    )


@pytest.fixture
def staff() -> Any:
    return StaffFactory()


def test_an_open_application_shows_its_documents_and_may_be_withdrawn(
    client_in: Client, general: Any, application: CertificationApplication
):
    html = page_of(client_in, general, "certification/")

    assert 'data-status="submitted"' in html
    assert 'id="withdraw-link"' in html
    assert 'id="certification-form"' not in html  # one open application at a time
    for document in Document.objects.filter(application=application):
        assert f"/api/v1/documents/{document.public_id}" in html


def test_the_applicant_downloads_a_document_from_the_page(
    client_in: Client, general: Any, application: CertificationApplication
):
    document = Document.objects.filter(application=application).first()

    response = client_in.get(f"/api/v1/documents/{document.public_id}")

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_withdrawing_ends_the_application_and_offers_a_new_one(
    client_in: Client, general: Any, application: CertificationApplication
):
    confirm = client_in.get(url(general, f"certification/{application.public_id}/withdraw/"))
    assert confirm.status_code == 200
    response = client_in.post(url(general, f"certification/{application.public_id}/withdraw/"))

    assert response.status_code == 303
    application.refresh_from_db()
    assert application.status == "withdrawn"
    html = page_of(client_in, general, "certification/")
    assert 'id="withdraw-link"' not in html
    assert 'id="certification-form"' in html


def test_withdrawing_twice_is_a_409_with_its_code(
    client_in: Client, general: Any, application: CertificationApplication
):
    client_in.post(url(general, f"certification/{application.public_id}/withdraw/"))

    response = client_in.post(url(general, f"certification/{application.public_id}/withdraw/"))

    page = follow_refusal(client_in, response, url(general, "certification/"))
    assert error_codes(page.context["confirm_form"]) == {"__all__": ["no_open_application"]}


def test_needs_info_shows_what_staff_ask_for_and_resubmits(
    client_in: Client, general: Any, application: CertificationApplication, staff: Any
):
    application_start_review(application_id=application.public_id, acting_user=staff)
    application_request_info(
        application_id=application.public_id, acting_user=staff, note="履歴事項全部証明書が古い"
    )

    html = page_of(client_in, general, "certification/")
    response = client_in.post(
        url(general, f"certification/{application.public_id}/resubmit/"),
        {"registry_certificate": pdf_upload("new.pdf")},
    )

    assert "履歴事項全部証明書が古い" in html
    assert 'id="resubmit-form"' in html
    assert response.status_code == 303
    application.refresh_from_db()
    assert application.status == "submitted"
    current = Document.objects.filter(application=application, superseded=False)
    assert sorted(d.original_name for d in current) == ["form.pdf", "new.pdf"]


def test_a_resubmitted_executable_is_refused_and_nothing_changes(
    client_in: Client, general: Any, application: CertificationApplication, staff: Any
):
    application_start_review(application_id=application.public_id, acting_user=staff)
    application_request_info(application_id=application.public_id, acting_user=staff, note="x")
    executable = upload("fake.pdf", b"MZ\x90\x00binary")  # a PDF by name only

    response = client_in.post(
        url(general, f"certification/{application.public_id}/resubmit/"),
        {"registry_certificate": executable},
    )

    page = follow_refusal(client_in, response, url(general, "certification/"))
    assert 'data-field="registry_certificate"' in page.content.decode()
    application.refresh_from_db()
    assert application.status == "needs_info"
    assert Document.objects.filter(application=application).count() == 2


def test_a_rejection_shows_its_reason_in_the_page_language(
    client_in: Client, general: Any, application: CertificationApplication, staff: Any
):
    application_start_review(application_id=application.public_id, acting_user=staff)
    application_reject(
        application_id=application.public_id,
        acting_user=staff,
        reason_ja="法人番号が一致しません",
        reason_en="The corporate number does not match",
    )

    ja = client_in.get(url(general, "certification/")).content.decode()
    en = client_in.get(url(general, "certification/"), {"lang": "en"}).content.decode()

    assert "法人番号が一致しません" in ja
    assert "The corporate number does not match" in en
    assert 'id="certification-form"' in ja  # a new application may follow a rejection


def test_the_last_owner_is_offered_no_leave_button_a_second_owner_brings_it(
    client_in: Client, general: Any, user: Any
):
    own_row = f'data-user="{user.pk}"'
    leave = f'/members/{user.pk}/remove/"'

    alone = page_of(client_in, general)
    member_add(
        partner_id=general.public_id, email=platform_user().email, role="owner", acting_user=user
    )
    with_another_owner = page_of(client_in, general)

    assert own_row in alone
    assert leave not in alone
    assert leave in with_another_owner
