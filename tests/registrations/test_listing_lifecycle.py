"""The listing pipeline: in_development -> listing_requested -> published | rejected; a rejected
registration asks again only after the cool-down; published never returns to in_development.
Each move is audited; staff decide with reasons in ja/en."""

from __future__ import annotations

import pytest
from django.core import mail

from devcenter.registrations.models import Registration
from tests.registrations.conftest import audit_events, code_of
from tests.registrations.factories import Caller, listable_app, valid_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(dev, certified_partner, platform_key):
    return listable_app(dev, certified_partner.public_id, platform_key)


def _request(dev, reg):
    return dev.post(f"/registrations/{reg}/listing-request")


def _reject(staff, reg):
    return staff.post(
        f"/staff/registrations/{reg}/reject",
        {"reason_ja": "規約違反です", "reason_en": "Against the terms"},
    )


def test_request_then_publish(dev, staff, app):
    requested = _request(dev, app)
    assert requested.status_code == 200
    assert requested.json()["status"] == "listing_requested"
    [event] = audit_events("registration.listing_requested", app)
    assert (event.old, event.new) == ({"status": "in_development"}, {"status": "listing_requested"})

    queue = staff.get("/staff/registrations")
    assert [item["id"] for item in queue.json()] == [app]
    detail = staff.get(f"/staff/registrations/{app}")
    assert (detail.status_code, detail.json()["user_count"]) == (200, 10)
    assert dev.get(f"/staff/registrations/{app}").status_code == 403

    published = staff.post(f"/staff/registrations/{app}/publish")
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    [event] = audit_events("registration.published", app)
    assert event.new == {"status": "published"}


def test_published_never_returns(dev, staff, app):
    _request(dev, app)
    staff.post(f"/staff/registrations/{app}/publish")

    again = _request(dev, app)
    rejected = _reject(staff, app)

    assert (again.status_code, code_of(again)) == (409, "invalid_status_move")
    assert (rejected.status_code, code_of(rejected)) == (409, "invalid_status_move")
    assert Registration.objects.get(public_id=app).status == "published"


def test_staff_cannot_publish_what_was_not_requested(staff, app):
    response = staff.post(f"/staff/registrations/{app}/publish")

    assert (response.status_code, code_of(response)) == (409, "invalid_status_move")


def test_rejected_asks_again_only_after_the_cooldown(
    dev, developer, staff, app, movable_clock, django_capture_on_commit_callbacks
):
    _request(dev, app)
    with django_capture_on_commit_callbacks(execute=True):
        rejected = _reject(staff, app)
    assert rejected.json()["decision_reason_en"] == "Against the terms"
    assert mail.outbox[-1].to == [developer.email]
    assert "Against the terms" in mail.outbox[-1].body
    [event] = audit_events("registration.rejected", app)
    assert event.new["reason_ja"] == "規約違反です"

    movable_clock.advance(days=9, hours=23)
    too_soon = _request(dev, app)
    assert (too_soon.status_code, code_of(too_soon)) == (409, "relisting_cooldown")

    movable_clock.advance(hours=1)
    again = _request(dev, app)
    assert again.status_code == 200
    assert again.json()["status"] == "listing_requested"
    assert len(audit_events("registration.listing_requested", app)) == 2


def test_a_reject_needs_both_reasons(dev, staff, app):
    _request(dev, app)

    response = staff.post(
        f"/staff/registrations/{app}/reject", {"reason_ja": "理由", "reason_en": " "}
    )

    assert (response.status_code, response.json()["field"]) == (422, "reason_en")


def test_developers_cannot_review(dev, app):
    _request(dev, app)

    response = dev.post(f"/staff/registrations/{app}/publish")

    assert (response.status_code, code_of(response)) == (403, "insufficient_scope")


@pytest.mark.parametrize(
    ("missing", "field"),
    [("user_count", "user_count"), ("icon", "icon"), ("description", "description")],
)
def test_a_listing_request_needs_everything_the_policy_lists(
    dev, certified_partner, platform_key, missing, field
):
    reg = listable_app(dev, certified_partner.public_id, platform_key)
    if missing == "user_count":
        Caller(platform_key).put(f"/registrations/{reg}/user-count", {"count": 9})
    elif missing == "icon":
        Registration.objects.get(public_id=reg).images.filter(kind="icon").delete()
    else:
        dev.patch(f"/registrations/{reg}", {"description": None})

    response = _request(dev, reg)

    assert response.status_code == 409
    assert (code_of(response), response.json()["field"]) == ("listing_incomplete", field)
    assert Registration.objects.get(public_id=reg).status == "in_development"


def test_the_min_user_count_is_a_setting(dev, certified_partner, platform_key, settings):
    settings.DEVCENTER_LISTING_MIN_USERS = 11
    reg = listable_app(dev, certified_partner.public_id, platform_key)

    response = _request(dev, reg)

    assert (code_of(response), response.json()["field"]) == ("listing_incomplete", "user_count")


def test_the_user_count_comes_from_a_platform_key(dev, certified_partner, platform_key):
    made = dev.post(
        f"/partners/{certified_partner.public_id}/registrations",
        {"service": "app_pc", "name": "x", **valid_fields("app_pc")},
    ).json()["id"]

    by_developer = dev.put(f"/registrations/{made}/user-count", {"count": 50})
    negative = Caller(platform_key).put(f"/registrations/{made}/user-count", {"count": -1})
    unknown = Caller(platform_key).put("/registrations/reg_nope/user-count", {"count": 1})
    reported = Caller(platform_key).put(f"/registrations/{made}/user-count", {"count": 50})

    assert (by_developer.status_code, code_of(by_developer)) == (403, "insufficient_scope")
    assert (negative.status_code, negative.json()["field"]) == (422, "count")
    assert (unknown.status_code, code_of(unknown)) == (404, "registration_not_found")
    assert reported.json() == {"registration": made, "user_count": 50}
    [event] = audit_events("registration.user_count_reported", made)
    assert event.actor.startswith("apikey:")
