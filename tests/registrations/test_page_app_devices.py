"""A page app's status and audience per device (§8): `devices` it runs on, `public_devices`
among them where every user may add it (elsewhere: the developer's own page only), public only
once published. The rules are the policy's (`subset_of`, `requires_status`)."""

from __future__ import annotations

import pytest

from devcenter.policy import default_policy
from devcenter.registrations.models import Registration
from tests.registrations.conftest import code_of
from tests.registrations.factories import upload, valid_fields

pytestmark = pytest.mark.django_db


def _page_app(dev, partner, **fields):
    page = dev.post(
        f"/partners/{partner.public_id}/registrations",
        {"service": "page", "name": "公式ページ", **valid_fields("page")},
    ).json()["id"]
    return dev.post(
        f"/partners/{partner.public_id}/registrations",
        {
            "service": "page_app",
            "name": "占いアプリ",
            "description": "毎日の運勢",
            **valid_fields("page_app", page=page),
            **fields,
        },
    )


def _published(dev, staff, partner, devices):
    made = _page_app(dev, partner, devices=devices)
    assert made.status_code == 201, made.json()
    app = made.json()["id"]
    for kind in ("logo", "icon"):
        added = dev.post(f"/registrations/{app}/images", multipart={"kind": kind, "file": upload()})
        assert added.status_code == 200, added.json()
    assert dev.post(f"/registrations/{app}/listing-request").status_code == 200
    published = staff.post(f"/staff/registrations/{app}/publish")
    assert published.status_code == 200, published.json()
    return app


def test_the_devices_are_the_policy_s_choices():
    rules = default_policy().registrations
    assert rules.choices("page_app", "devices") == ("pc", "mobile", "smartphone")
    assert rules.fields["public_devices"].subset_of == "devices"
    assert rules.fields["public_devices"].requires_status == "published"


def test_a_page_app_in_development_runs_on_devices_but_is_public_on_none(dev, certified_partner):
    made = _page_app(dev, certified_partner, devices=["pc", "smartphone"])

    assert made.status_code == 201, made.json()
    assert made.json()["fields"]["devices"] == ["pc", "smartphone"]
    refused = _page_app(dev, certified_partner, devices=["pc"], public_devices=["pc"])
    assert (refused.status_code, code_of(refused)) == (409, "field_requires_status")
    assert refused.json()["field"] == "public_devices"
    assert "掲載中" in refused.json()["message"] or "published" in refused.json()["message"]
    assert Registration.objects.filter(service="page_app").count() == 1


def test_an_unknown_device_is_422(dev, certified_partner):
    response = _page_app(dev, certified_partner, devices=["pc", "tv"])

    assert (response.status_code, response.json()["field"]) == (422, "devices")


def test_once_published_it_is_made_public_per_device(dev, staff, certified_partner):
    app = _published(dev, staff, certified_partner, ["pc", "mobile"])

    public = dev.patch(f"/registrations/{app}", {"public_devices": ["pc"]})

    assert public.status_code == 200, public.json()
    assert public.json()["fields"]["public_devices"] == ["pc"]
    outside = dev.patch(f"/registrations/{app}", {"public_devices": ["smartphone"]})
    assert (outside.status_code, code_of(outside)) == (422, "field_not_a_subset")
    assert outside.json()["field"] == "public_devices"


def test_a_device_that_is_public_cannot_be_dropped_from_the_devices(dev, staff, certified_partner):
    app = _published(dev, staff, certified_partner, ["pc", "mobile"])
    dev.patch(f"/registrations/{app}", {"public_devices": ["mobile"]})

    dropped = dev.patch(f"/registrations/{app}", {"devices": ["pc"]})

    assert (dropped.status_code, code_of(dropped)) == (422, "field_not_a_subset")
    assert dev.get(f"/registrations/{app}").json()["fields"]["devices"] == ["pc", "mobile"]
