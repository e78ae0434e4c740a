"""oauth_client_create / update / rotate / revoke: checked input, secrets shown once and stored
hashed, each change audited, a revoked client and all its tokens gone at once."""

from __future__ import annotations

import pytest
from oauth2_provider.models import AccessToken, Application

from devcenter.audit.models import AuditEvent
from devcenter.errors import ConflictError, InvalidError, NotFoundError
from devcenter.oauth.selectors import client_registration_id
from devcenter.oauth.services import (
    oauth_client_create,
    oauth_client_revoke,
    oauth_client_rotate,
    oauth_client_update,
)
from tests.oauth.conftest import REDIRECT_URI, REGISTRATION, client_credentials_token

pytestmark = pytest.mark.django_db


def last_event() -> AuditEvent:
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    return event


def test_create_shows_the_secret_once_and_stores_only_a_hash(credentials):
    stored = Application.objects.get(client_id=credentials.client_id)

    assert len(credentials.client_secret) >= 64
    assert credentials.client_secret not in stored.client_secret
    assert stored.client_secret.startswith("client_secret_sha256$")
    assert stored.redirect_uris == REDIRECT_URI
    assert stored.client_type == Application.CLIENT_CONFIDENTIAL
    assert client_registration_id(credentials.client_id) == REGISTRATION


def test_create_is_audited_without_the_secret(credentials):
    event = last_event()

    assert event.event_type == "oauth_client.created"
    assert (event.target_type, event.target_id) == ("oauth_client", credentials.client_id)
    assert event.new["registration"] == REGISTRATION
    assert event.new["redirect_uris"] == [REDIRECT_URI]
    assert credentials.client_secret not in str(event.new)


@pytest.mark.parametrize(
    "uris",
    [
        ["https://app.example.com/cb"],
        ["https://app.example.com/cb?x=1", "https://app.example.com:8443/other"],
        ["http://127.0.0.1/callback", "http://[::1]:8080/cb", "http://localhost:3000/cb"],
        [],  # a confidential client may use client credentials only
    ],
)
def test_accepted_redirect_uris_are_stored_exactly(db, uris):
    issued = oauth_client_create(registration_id="reg_x", name="X", redirect_uris=uris)

    assert Application.objects.get(client_id=issued.client_id).redirect_uris.split() == uris


@pytest.mark.parametrize(
    ("uri", "code"),
    [
        ("http://app.example.com/cb", "redirect_uri_not_https"),
        ("http://127.0.0.1.example.com/cb", "redirect_uri_not_https"),
        ("ftp://app.example.com/cb", "redirect_uri_not_https"),
        ("myapp://callback", "redirect_uri_not_https"),
        ("https://app.example.com/cb#top", "redirect_uri_fragment"),
        ("https://app.example.com/cb#", "redirect_uri_fragment"),
        ("/relative/cb", "redirect_uri_invalid"),
        ("https://user:pw@app.example.com/cb", "redirect_uri_invalid"),
        ("https://app.example.com/a b", "redirect_uri_invalid"),
        ("https://app.example.com:99999/cb", "redirect_uri_invalid"),
        ("", "redirect_uri_invalid"),
    ],
)
def test_refused_redirect_uris_name_the_field_and_write_nothing(db, uri, code):
    with pytest.raises(InvalidError) as caught:
        oauth_client_create(registration_id="reg_x", name="X", redirect_uris=[uri])

    assert caught.value.code == code
    assert caught.value.field == "redirect_uris"
    assert caught.value.status == 422
    assert not Application.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_same_uri_twice_is_refused(db):
    with pytest.raises(InvalidError, match="redirect_uri_duplicate"):
        oauth_client_create(
            registration_id="reg_x", name="X", redirect_uris=[REDIRECT_URI, REDIRECT_URI]
        )


def test_a_public_client_needs_a_redirect_uri(db):
    with pytest.raises(InvalidError) as caught:
        oauth_client_create(registration_id="reg_x", name="X", redirect_uris=[], confidential=False)

    assert caught.value.code == "redirect_uri_required"


def test_an_empty_name_is_refused(db):
    with pytest.raises(InvalidError) as caught:
        oauth_client_create(registration_id="reg_x", name="  ", redirect_uris=[])

    assert (caught.value.code, caught.value.field) == ("invalid_name", "name")


def test_update_renames_and_replaces_the_redirect_uris_checked_as_at_creation(credentials):
    oauth_client_update(
        client_id=credentials.client_id, name="新しい名前", redirect_uris=["https://new.example/cb"]
    )

    stored = Application.objects.get(client_id=credentials.client_id)
    assert (stored.name, stored.redirect_uris) == ("新しい名前", "https://new.example/cb")
    assert last_event().event_type == "oauth_client.updated"
    with pytest.raises(InvalidError, match="redirect_uri_fragment"):
        oauth_client_update(
            client_id=credentials.client_id, name="x", redirect_uris=["https://new.example/#x"]
        )


def test_update_of_an_unknown_client_is_not_found(db):
    with pytest.raises(NotFoundError) as caught:
        oauth_client_update(client_id="nope", name="x", redirect_uris=[])

    assert caught.value.code == "client_not_found"


def test_rotate_issues_a_new_secret_and_audits_it(credentials):
    rotated = oauth_client_rotate(client_id=credentials.client_id)

    assert rotated.client_id == credentials.client_id
    assert rotated.client_secret != credentials.client_secret
    event = last_event()
    assert event.event_type == "oauth_client.secret_rotated"
    assert rotated.client_secret not in str(event.new)


def test_a_public_client_has_no_secret_to_rotate(db):
    public = oauth_client_create(
        registration_id="reg_p", name="P", redirect_uris=[REDIRECT_URI], confidential=False
    )

    with pytest.raises(ConflictError) as caught:
        oauth_client_rotate(client_id=public.client_id)

    assert caught.value.code == "public_client"


def test_revoke_deletes_the_client_and_every_token_at_once(client, credentials):
    client_credentials_token(client, credentials)
    assert AccessToken.objects.count() == 1

    oauth_client_revoke(client_id=credentials.client_id)

    assert not Application.objects.filter(client_id=credentials.client_id).exists()
    assert AccessToken.objects.count() == 0
    assert client_registration_id(credentials.client_id) is None
    event = last_event()
    assert (event.event_type, event.target_id) == ("oauth_client.revoked", credentials.client_id)
    with pytest.raises(NotFoundError):
        oauth_client_revoke(client_id=credentials.client_id)


def test_the_caller_may_name_who_acts_and_for_which_partner_in_the_audit_row(db):
    from devcenter.oauth.services import Acting

    issued = oauth_client_create(
        registration_id="reg_x",
        name="X",
        redirect_uris=[],
        acting=Acting(actor="user:7", partner="ptn_abc"),
    )

    event = last_event()
    assert (event.actor, event.partner, event.target_id) == ("user:7", "ptn_abc", issued.client_id)
