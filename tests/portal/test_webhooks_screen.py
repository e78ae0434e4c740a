"""A partner's webhooks screen: list, add (secret shown once), change, enable/disable, rotate
(the old secret signs 24 h more), delete after a confirmation, the delivery log, replay and a
test send. Refusals: a developer (the policy gives webhooks to owners), another partner's
endpoint (404), a bad URL and, in production settings, an internal address (at the URL field);
every page answers a reload with a GET, never a 405."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from devcenter.audit.models import AuditEvent, PendingAuditEvent
from devcenter.events.delivery import Worker
from devcenter.events.models import WebhookDelivery, WebhookEndpoint
from devcenter.events.services import webhook_endpoint_create
from devcenter.partners.choices import MemberRole
from devcenter.partners.services import member_add
from devcenter.policy import default_policy
from tests.partners.factories import corporate_general_partner, platform_user
from tests.portal.conftest import error_codes, follow_refusal, url

pytestmark = pytest.mark.django_db
HOOK = "http://127.0.0.1:9/hook"  # loopback is allowed outside production settings


def screen(partner: Any, rest: str = "") -> str:
    return url(partner, f"webhooks/{rest}")


def add(client: Client, partner: Any, **fields: Any) -> Any:
    data = {"url": HOOK, "description": "gateway", "scope": "all", **fields}
    return client.post(screen(partner), data)


def only_endpoint(partner: Any) -> WebhookEndpoint:
    return WebhookEndpoint.objects.get(partner=partner.public_id)


def audited(event_type: str) -> list[Any]:
    return [
        *AuditEvent.objects.filter(event_type=event_type),
        *PendingAuditEvent.objects.filter(event_type=event_type),
    ]


def test_add_shows_the_secret_once_with_a_copy_button(client_in: Client, general: Any):
    response = add(client_in, general, scope="selected", events=["card.removed", "member.added"])

    endpoint = only_endpoint(general)
    assert response.status_code == 303
    assert response["Location"] == screen(general, f"{endpoint.public_id}/")
    first = client_in.get(response["Location"], {"lang": "en"})
    html = first.content.decode()
    assert first["Cache-Control"] == "no-store"
    assert endpoint.secret in html
    assert 'data-copy-target="new-secret-value"' in html
    assert endpoint.event_types == ["card.removed", "member.added"]
    assert endpoint.secret not in client_in.get(response["Location"]).content.decode()
    listed = client_in.get(screen(general)).content.decode()
    assert f'data-webhook="{endpoint.public_id}"' in listed
    assert "gateway" in listed
    assert endpoint.secret not in listed


def test_the_screen_is_in_japanese_by_default_and_in_english(client_in: Client, general: Any):
    add(client_in, general)
    assert "エンドポイントを追加" in client_in.get(screen(general)).content.decode()
    assert "Add an endpoint" in client_in.get(screen(general), {"lang": "en"}).content.decode()
    nav = client_in.get(url(general), {"lang": "en"}).content.decode()
    assert f'href="{screen(general)}"' in nav


def test_selected_with_no_type_checked_is_refused_at_the_field(client_in: Client, general: Any):
    page = follow_refusal(client_in, add(client_in, general, scope="selected"), screen(general))

    assert "events" in page.context["webhook_form"].errors
    assert 'id="error-summary"' in page.content.decode()
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    ("hook", "code"),
    [
        ("not a url", "url_invalid"),
        ("ftp://example.com/x", "url_invalid"),
        ("http://127.0.0.1/" + "a" * 2000, "url_invalid"),  # longer than the column
    ],
)
def test_a_bad_url_is_refused_at_the_url_field(client_in: Client, general: Any, hook, code):
    page = follow_refusal(client_in, add(client_in, general, url=hook), screen(general))

    assert error_codes(page.context["webhook_form"]) == {"url": [code]}
    assert hook in page.content.decode()  # the input comes back to be corrected
    assert client_in.get(screen(general)).context["webhook_form"].errors == {}  # once


@pytest.mark.parametrize(
    ("hook", "code"),
    [
        ("http://127.0.0.1:9/hook", "url_not_https"),
        ("https://127.0.0.1/hook", "url_not_public"),
        ("https://10.1.2.3/hook", "url_not_public"),
        ("https://169.254.169.254/latest", "url_not_public"),
        ("https://localhost/hook", "url_not_public"),
    ],
)
def test_production_settings_refuse_internal_addresses_at_the_url_field(
    client_in: Client, general: Any, settings: Any, hook: str, code: str
):
    settings.DEVCENTER_WEBHOOK_ALLOW_LOOPBACK = False

    page = follow_refusal(client_in, add(client_in, general, url=hook), screen(general, ""))

    assert error_codes(page.context["webhook_form"]) == {"url": [code]}
    html = client_in.get(screen(general), {"lang": "en"}).content.decode()
    assert "internal" not in html  # shown once, with the refused form


def test_a_developer_is_told_why_and_cannot_add(client: Client, general: Any, user: Any):
    developer = platform_user()
    member_add(
        partner_id=general.public_id,
        email=developer.email,
        role=MemberRole.DEVELOPER,
        acting_user=user,
    )
    endpoint = webhook_endpoint_create(acting_user=user, partner_id=general.public_id, url=HOOK)
    client.force_login(developer)

    page = client.get(screen(general))
    assert page.status_code == 200
    assert 'id="webhooks-refused"' in page.content.decode()
    assert endpoint.url not in page.content.decode()
    nav = client.get(url(general)).content.decode()
    assert f'href="{screen(general)}"' not in nav
    refused = follow_refusal(client, add(client, general), screen(general))
    code = default_policy().partner_state.operations["webhooks.manage"].role_code
    assert error_codes(refused.context["webhook_form"]) == {"__all__": [code]}
    assert WebhookEndpoint.objects.count() == 1
    for rest in ("", "disable/", "delete/", "test/"):
        assert client.get(screen(general, f"{endpoint.public_id}/{rest}")).status_code == 404
        assert client.post(screen(general, f"{endpoint.public_id}/{rest}")).status_code == 404
    assert WebhookEndpoint.objects.get().enabled


def test_a_stranger_and_another_partners_endpoint_are_404(client_in: Client, general: Any):
    other_owner = platform_user()
    other = corporate_general_partner(user=other_owner)
    theirs = webhook_endpoint_create(acting_user=other_owner, partner_id=other.public_id, url=HOOK)
    platform = webhook_endpoint_create(acting_user=None, partner_id=None, url=HOOK)

    assert client_in.get(screen(other)).status_code == 404
    for endpoint in (theirs, platform):
        for rest in ("", "delete/", "rotate/", "disable/"):
            path = screen(general, f"{endpoint.public_id}/{rest}")
            assert client_in.get(path).status_code == 404
            assert client_in.post(path).status_code == 404
    assert client_in.get(screen(general, f"{theirs.public_id}/explode/")).status_code == 404
    assert WebhookEndpoint.objects.filter(enabled=True).count() == 2


def test_disable_and_enable_are_audited(client_in: Client, general: Any, user: Any):
    add(client_in, general)
    endpoint = only_endpoint(general)
    here = screen(general, f"{endpoint.public_id}/")

    response = client_in.post(f"{here}disable/")

    assert response.status_code == 303
    assert response["Location"] == here
    assert only_endpoint(general).enabled is False
    page = client_in.get(here).content.decode()
    assert 'data-enabled="false"' in page
    assert 'id="enable"' in page
    assert client_in.get(f"{here}disable/").status_code == 303  # a reload is a GET, no 405
    client_in.post(f"{here}enable/")
    assert only_endpoint(general).enabled is True
    changes = audited("webhook_endpoint.updated")
    assert [(e.old["enabled"], e.new["enabled"]) for e in changes] == [(True, False), (False, True)]
    assert {e.actor for e in changes} == {f"user:{user.pk}"}
    assert {e.partner for e in changes} == {general.public_id}


def test_edit_changes_the_filter_and_description(client_in: Client, general: Any):
    add(client_in, general)
    endpoint = only_endpoint(general)
    here = screen(general, f"{endpoint.public_id}/")

    client_in.post(
        here,
        {"url": HOOK, "description": "new", "scope": "selected", "events": ["card.expired"]},
    )

    endpoint.refresh_from_db()
    assert (endpoint.description, endpoint.event_types) == ("new", ["card.expired"])
    refused = follow_refusal(client_in, client_in.post(here, {"url": "nope", "scope": "all"}), here)
    assert error_codes(refused.context["edit_form"]) == {"url": ["url_invalid"]}


def test_rotate_asks_first_then_shows_the_new_secret_and_the_grace(client_in: Client, general: Any):
    add(client_in, general)
    endpoint = only_endpoint(general)
    here = screen(general, f"{endpoint.public_id}/")
    client_in.get(here)  # the creation's secret is seen

    confirm = client_in.get(f"{here}rotate/", {"lang": "en"})
    assert confirm.status_code == 200
    assert "24 hours" in confirm.content.decode()
    assert only_endpoint(general).secret == endpoint.secret
    response = client_in.post(f"{here}rotate/")

    rotated = only_endpoint(general)
    assert response["Location"] == here
    assert rotated.previous_secret == endpoint.secret
    assert rotated.secret != endpoint.secret
    page = client_in.get(here, {"lang": "en"}).content.decode()
    assert rotated.secret in page
    assert 'id="rotation-grace"' in page
    assert endpoint.secret not in page


def test_delete_asks_first_and_takes_the_endpoint_away(client_in: Client, general: Any):
    add(client_in, general)
    endpoint = only_endpoint(general)
    here = screen(general, f"{endpoint.public_id}/")

    confirm = client_in.get(f"{here}delete/")
    assert confirm.status_code == 200
    assert 'id="loss"' in confirm.content.decode()
    response = client_in.post(f"{here}delete/")

    assert response["Location"] == screen(general)
    assert not WebhookEndpoint.objects.exists()
    assert client_in.get(here).status_code == 404
    (deleted,) = audited("webhook_endpoint.deleted")
    assert deleted.target_id == endpoint.public_id
    assert deleted.old["url_origin"] == ("http://127.0.0.1:9")


def test_test_send_replay_and_the_delivery_log(
    client_in: Client, general: Any, user: Any, settings: Any
):
    settings.DEVCENTER_WEBHOOK_TIMEOUT_SECONDS = 1
    add(client_in, general)
    endpoint = only_endpoint(general)
    here = screen(general, f"{endpoint.public_id}/")

    assert client_in.post(f"{here}test/").status_code == 303
    member_add(
        partner_id=general.public_id,
        email=platform_user().email,
        role=MemberRole.DEVELOPER,
        acting_user=user,
    )  # a member.added event for the endpoint
    Worker(threads=2, batch=10).run(until_idle=True)  # nothing listens: refused, logged

    page = client_in.get(here, {"lang": "en"})
    log = page.context["log"]
    assert {a.delivery.event_type for a in log} == {"webhook.test", "member.added"}
    html = page.content.decode()
    assert 'data-type="webhook.test"' in html
    assert 'data-status="error"' in html
    listed = client_in.get(screen(general)).content.decode()
    assert 'data-status="error"' in listed  # the last delivery, on the list
    member_event = next(a.delivery.event_id for a in log if a.delivery.event_type != "webhook.test")
    before = WebhookDelivery.objects.count()
    client_in.post(f"{here}replay/", {"event_id": member_event})
    assert WebhookDelivery.objects.count() == before + 1
    client_in.get(here)  # the message is seen

    def since(delta: timedelta) -> str:  # as typed: the page's time zone, like the log's
        return timezone.localtime(timezone.now() + delta).strftime("%Y-%m-%dT%H:%M")

    client_in.post(f"{here}replay/", {"since": since(timedelta(minutes=5))})
    assert WebhookDelivery.objects.count() == before + 1
    assert "sent again: 0." in client_in.get(here, {"lang": "en"}).content.decode()
    client_in.post(f"{here}replay/", {"since": since(timedelta(minutes=-2))})
    queued = WebhookDelivery.objects.count() - (before + 1)  # the partner's events, made now
    assert queued >= 2  # partner.created and member.added at least
    assert f"sent again: {queued}." in client_in.get(here, {"lang": "en"}).content.decode()


def test_replay_without_a_target_and_a_test_send_when_disabled_are_refused(
    client_in: Client, general: Any
):
    add(client_in, general)
    endpoint = only_endpoint(general)
    here = screen(general, f"{endpoint.public_id}/")

    page = follow_refusal(client_in, client_in.post(f"{here}replay/", {"since": ""}), here)
    assert error_codes(page.context["replay_form"]) == {"since": ["replay_target_required"]}
    client_in.post(f"{here}disable/")
    page = follow_refusal(client_in, client_in.post(f"{here}test/"), here)
    assert error_codes(page.context["confirm_form"]) == {"__all__": ["endpoint_disabled"]}
    assert 'id="error-summary"' in page.content.decode()
    assert not WebhookDelivery.objects.exists()


def test_a_failing_audit_write_leaves_the_endpoint(
    client_in: Client, general: Any, monkeypatch: pytest.MonkeyPatch
):
    add(client_in, general)
    endpoint = only_endpoint(general)

    def broken(**_kwargs: Any) -> None:
        raise RuntimeError("audit down")

    monkeypatch.setattr("devcenter.events.services.audit_record", broken)
    client_in.raise_request_exception = False
    response = client_in.post(screen(general, f"{endpoint.public_id}/delete/"))

    assert response.status_code == 500
    assert only_endpoint(general).public_id == endpoint.public_id


def test_the_partner_history_shows_the_endpoint_changes(client_in: Client, general: Any):
    add(client_in, general)
    client_in.post(screen(general, f"{only_endpoint(general).public_id}/rotate/"))

    history = client_in.get(url(general, "history/"), {"lang": "en"}).content.decode()

    assert "Webhook endpoint added" in history
    assert "Webhook signing secret rotated" in history
    in_japanese = client_in.get(url(general, "history/"), {"lang": "ja"})
    assert "Webhook エンドポイントを追加" in in_japanese.content.decode()
