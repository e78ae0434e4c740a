"""Credentials: the secret is shown once and stored hashed; a rotation keeps the old secret
for the grace period, then it stops; deletion revokes at once. Graph API and page app keys are
shown only after the contact e-mail is confirmed by its e-mailed link."""

from __future__ import annotations

import pytest
from django.core import mail

from devcenter.registrations.credentials import secret_hash
from devcenter.registrations.models import CredentialSecret
from devcenter.registrations.selectors import credentials_verify
from tests.registrations.conftest import audit_events, code_of, mailed_token
from tests.registrations.factories import valid_fields

pytestmark = pytest.mark.django_db


def _create(dev, partner, service="app_pc"):
    response = dev.post(
        f"/partners/{partner.public_id}/registrations",
        {"service": service, "name": "アプリ", **valid_fields(service)},
    )
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def test_the_secret_is_shown_once_and_stored_hashed(dev, certified_partner):
    reg = _create(dev, certified_partner)

    issued = dev.post(f"/registrations/{reg}/credentials")
    again = dev.post(f"/registrations/{reg}/credentials")

    assert issued.status_code == 201
    body = issued.json()
    assert body["client_id"].startswith("ck_")
    assert body["client_secret"]
    assert (again.status_code, code_of(again)) == (409, "credentials_already_issued")
    [stored] = CredentialSecret.objects.all()
    assert stored.secret_hash == secret_hash(body["client_secret"])
    assert body["client_secret"] not in str(dev.get(f"/registrations/{reg}").json())
    assert credentials_verify(client_id=body["client_id"], client_secret=body["client_secret"])
    [event] = audit_events("registration.credentials_issued", reg)
    assert event.new == {"client_id": body["client_id"], "kind": "consumer_key"}
    assert body["client_secret"] not in str(event.new)


def test_rotation_keeps_the_old_secret_for_the_grace_period(dev, certified_partner, movable_clock):
    reg = _create(dev, certified_partner)
    old = dev.post(f"/registrations/{reg}/credentials").json()

    new = dev.post(f"/registrations/{reg}/credentials/rotate").json()

    assert new["client_id"] == old["client_id"]
    assert new["client_secret"] != old["client_secret"]
    key = old["client_id"]
    assert credentials_verify(client_id=key, client_secret=old["client_secret"])
    assert credentials_verify(client_id=key, client_secret=new["client_secret"])
    movable_clock.advance(hours=23, minutes=59)
    assert credentials_verify(client_id=key, client_secret=old["client_secret"])
    movable_clock.advance(minutes=2)
    assert not credentials_verify(client_id=key, client_secret=old["client_secret"])
    assert credentials_verify(client_id=key, client_secret=new["client_secret"])
    [event] = audit_events("registration.credentials_rotated", reg)
    assert event.new["grace_hours"] == 24


def test_the_grace_period_is_a_setting(dev, certified_partner, movable_clock, settings):
    settings.DEVCENTER_CREDENTIAL_GRACE_HOURS = 1
    reg = _create(dev, certified_partner)
    old = dev.post(f"/registrations/{reg}/credentials").json()
    dev.post(f"/registrations/{reg}/credentials/rotate")

    movable_clock.advance(hours=1, seconds=1)

    assert not credentials_verify(client_id=old["client_id"], client_secret=old["client_secret"])


def test_deletion_revokes_at_once(dev, certified_partner):
    reg = _create(dev, certified_partner)
    issued = dev.post(f"/registrations/{reg}/credentials").json()
    dev.post(f"/registrations/{reg}/credentials/rotate")

    deleted = dev.delete(f"/registrations/{reg}")

    assert deleted.status_code == 200
    assert not credentials_verify(
        client_id=issued["client_id"], client_secret=issued["client_secret"]
    )
    assert dev.get(f"/registrations/{reg}").status_code == 404
    [event] = audit_events("registration.deleted", reg)
    assert event.new == {"deleted": True, "credentials_revoked": True}
    [revoked] = audit_events("registration.credentials_revoked", reg)
    assert revoked.new == {"client_id": issued["client_id"], "reason": "deleted"}


def test_a_retried_issue_never_replays_the_secret(dev, certified_partner):
    reg = _create(dev, certified_partner)

    first = dev.post(f"/registrations/{reg}/credentials", key="issue-1")
    retry = dev.post(f"/registrations/{reg}/credentials", key="issue-1")

    assert first.status_code == 201
    assert (retry.status_code, code_of(retry)) == (409, "credentials_already_issued")
    assert first.json()["client_secret"] not in retry.content.decode()


def test_a_plugin_gets_a_check_key_and_a_page_nothing(dev, certified_partner):
    plugin = _create(dev, certified_partner, "plugin")
    page = _create(dev, certified_partner, "page")

    key = dev.post(f"/registrations/{plugin}/credentials")
    none = dev.post(f"/registrations/{page}/credentials")

    assert key.status_code == 201
    assert key.json()["client_id"].startswith("chk_")
    assert key.json()["client_secret"] is None
    assert (none.status_code, code_of(none)) == (409, "no_credentials_for_service")


@pytest.mark.parametrize("service", ["graph_api", "page_app"])
def test_keys_wait_for_the_confirmed_contact_email(
    dev, other_dev, certified_partner, service, django_capture_on_commit_callbacks
):
    fields = valid_fields(service)
    if service == "page_app":
        fields["page"] = _create(dev, certified_partner, "page")
    with django_capture_on_commit_callbacks(execute=True):
        reg = dev.post(
            f"/partners/{certified_partner.public_id}/registrations",
            {"service": service, "name": "連携", **fields},
        ).json()["id"]
    assert mail.outbox[-1].to == [fields["contact_email"]]
    token = mailed_token()

    early = dev.post(f"/registrations/{reg}/credentials")
    confirmed = other_dev.post("/registration-contact-email/confirm", {"token": token})
    reused = other_dev.post("/registration-contact-email/confirm", {"token": token})
    issued = dev.post(f"/registrations/{reg}/credentials")

    assert (early.status_code, code_of(early)) == (409, "contact_email_unconfirmed")
    assert confirmed.json() == {"registration": reg, "contact_email_confirmed": True}
    assert (reused.status_code, code_of(reused)) == (409, "link_used")
    assert issued.status_code == 201
    assert len(audit_events("registration.contact_email_confirmed", reg)) == 1


def test_a_contact_link_expires(
    dev, other_dev, certified_partner, movable_clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dev.post(
            f"/partners/{certified_partner.public_id}/registrations",
            {"service": "graph_api", "name": "連携", **valid_fields("graph_api")},
        )
    movable_clock.advance(hours=24, seconds=1)

    response = other_dev.post("/registration-contact-email/confirm", {"token": mailed_token()})
    forged = other_dev.post("/registration-contact-email/confirm", {"token": "nope"})

    assert (response.status_code, code_of(response)) == (409, "link_expired")
    assert (forged.status_code, code_of(forged)) == (422, "link_invalid")


def test_a_lost_contact_link_is_sent_again_and_the_old_one_stops(
    dev, other_dev, certified_partner, movable_clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reg = dev.post(
            f"/partners/{certified_partner.public_id}/registrations",
            {"service": "graph_api", "name": "連携", **valid_fields("graph_api")},
        ).json()["id"]
    first = mailed_token()

    too_soon = dev.post(f"/registrations/{reg}/contact-email/resend")
    stranger = other_dev.post(f"/registrations/{reg}/contact-email/resend")
    movable_clock.advance(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        resent = dev.post(f"/registrations/{reg}/contact-email/resend")
    second = mailed_token()
    old = other_dev.post("/registration-contact-email/confirm", {"token": first})
    confirmed = other_dev.post("/registration-contact-email/confirm", {"token": second})
    after = dev.post(f"/registrations/{reg}/contact-email/resend")

    assert (too_soon.status_code, code_of(too_soon)) == (409, "link_recently_sent")
    assert too_soon.json()["field"] == "contact_email"
    assert (stranger.status_code, code_of(stranger)) == (404, "registration_not_found")
    assert resent.status_code == 202
    assert resent.json()["id"] == reg
    assert second != first
    assert len(mail.outbox) == 2
    assert (old.status_code, code_of(old)) == (409, "link_used")
    assert confirmed.status_code == 200
    assert (after.status_code, code_of(after)) == (409, "contact_email_not_pending")


def test_a_service_without_a_contact_email_has_nothing_to_resend(dev, certified_partner):
    reg = _create(dev, certified_partner)

    response = dev.post(f"/registrations/{reg}/contact-email/resend")

    assert (response.status_code, code_of(response)) == (409, "contact_email_not_pending")
