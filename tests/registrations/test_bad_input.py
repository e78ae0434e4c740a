"""Bad input is refused with a stable code naming the field, and nothing is written: an image
that is not an image, redirect URIs with a fragment or http on a public host, a fifth app
naming a support community that already serves four."""

from __future__ import annotations

import pytest

from devcenter.registrations.models import Registration, RegistrationImage
from tests.registrations.conftest import audit_events, code_of
from tests.registrations.factories import new_community, png_bytes, upload, valid_fields

pytestmark = pytest.mark.django_db


def _create(dev, partner, service="app_pc", **fields):
    return dev.post(
        f"/partners/{partner.public_id}/registrations",
        {"service": service, "name": "アプリ", **valid_fields(service), **fields},
    )


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("logo.png", b"%PDF-1.4 not an image"),
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40),  # a PNG signature, no image
        ("logo.png", png_bytes()[:60]),  # truncated
        ("logo.png", b""),
    ],
)
def test_a_file_that_is_not_an_image_is_refused(dev, certified_partner, name, data):
    reg = _create(dev, certified_partner).json()["id"]

    response = dev.post(
        f"/registrations/{reg}/images", multipart={"kind": "logo", "file": upload(name, data)}
    )

    assert response.status_code == 422
    assert (code_of(response), response.json()["field"]) == ("not_an_image", "file")
    assert not RegistrationImage.objects.exists()
    assert not audit_events("registration.image_added")


def test_an_image_is_stored_and_audited(dev, certified_partner):
    reg = _create(dev, certified_partner).json()["id"]

    logo = {"kind": "logo", "file": upload()}
    response = dev.post(f"/registrations/{reg}/images", multipart=logo)

    assert response.status_code == 200
    [image] = response.json()["images"]
    assert (image["kind"], image["content_type"], image["width"]) == ("logo", "image/png", 16)
    [event] = audit_events("registration.image_added", reg)
    assert event.new["kind"] == "logo"


def test_an_image_kind_the_service_does_not_take_is_refused(dev, certified_partner):
    reg = _create(dev, certified_partner, service="plugin").json()["id"]

    logo = {"kind": "logo", "file": upload()}
    response = dev.post(f"/registrations/{reg}/images", multipart=logo)

    assert (response.status_code, code_of(response)) == (422, "image_kind_not_accepted")


@pytest.mark.parametrize(
    ("uri", "code"),
    [
        ("https://example.com/callback#frag", "redirect_uri_fragment"),
        ("http://example.com/callback", "redirect_uri_not_https"),
        ("http://203.0.113.5/callback", "redirect_uri_not_https"),
        ("ftp://example.com/callback", "redirect_uri_invalid"),
        ("/callback", "redirect_uri_invalid"),
    ],
)
def test_a_bad_redirect_uri_is_refused(dev, certified_partner, uri, code):
    response = _create(dev, certified_partner, service="graph_api", redirect_uris=[uri])

    assert response.status_code == 422
    assert (code_of(response), response.json()["field"]) == (code, "redirect_uris")
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    "uri",
    ["http://127.0.0.1:8080/cb", "http://localhost/cb", "http://[::1]/cb", "https://a.example/cb"],
)
def test_https_or_loopback_redirect_uris_are_kept_exactly(dev, certified_partner, uri):
    response = _create(dev, certified_partner, service="graph_api", redirect_uris=[uri])

    assert response.status_code == 201
    assert response.json()["redirect_uris"] == [uri]


def test_a_fifth_app_in_a_community_is_refused(dev, certified_partner):
    community = new_community()
    for _ in range(4):
        assert _create(dev, certified_partner, support_community_id=community).status_code == 201

    fifth = _create(dev, certified_partner, support_community_id=community)
    elsewhere = _create(dev, certified_partner, support_community_id=new_community())

    assert fifth.status_code == 409
    assert (code_of(fifth), fifth.json()["field"]) == ("community_full", "support_community_id")
    assert elsewhere.status_code == 201
    assert Registration.objects.filter(support_community_id=community).count() == 4


def test_moving_an_app_into_a_full_community_is_refused(dev, certified_partner):
    community = new_community()
    for _ in range(4):
        _create(dev, certified_partner, support_community_id=community)
    reg = _create(dev, certified_partner).json()["id"]

    response = dev.patch(f"/registrations/{reg}", {"support_community_id": community})

    assert (response.status_code, code_of(response)) == (409, "community_full")


def test_a_smartphone_platform_must_be_one_of_the_policy_s(dev, certified_partner):
    response = _create(dev, certified_partner, service="app_smartphone", platforms=["windows"])

    assert (response.status_code, response.json()["field"]) == (422, "platforms")


def test_a_page_app_names_one_of_the_partner_s_own_pages(dev, certified_partner, other_dev):
    response = _create(dev, certified_partner, service="page_app", page="reg_unknown")

    assert (response.status_code, code_of(response)) == (422, "page_not_found")
