"""Server-side request forgery: in production settings an endpoint must be https and resolve to
public addresses only, at creation and again at delivery (DNS rebinding)."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from devcenter.errors import InvalidError
from devcenter.events.delivery import Worker
from devcenter.events.destinations import check_url, is_allowed
from devcenter.events.models import WebhookAttempt
from devcenter.events.services import webhook_endpoint_create
from devcenter.partners.services import card_register
from tests.partners.factories import individual_partner, platform_user


@pytest.fixture
def production(settings: Any) -> None:
    settings.DEVCENTER_WEBHOOK_ALLOW_LOOPBACK = False


@pytest.fixture
def resolves_to(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Names the test resolves itself (a rebinding name resolves to what the test says)."""
    names: dict[str, str] = {}
    real = socket.getaddrinfo

    def fake(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host in names:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (names[host], port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return names


@pytest.mark.usefixtures("production")
@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("https://127.0.0.1/hook", "url_not_public"),
        ("https://[::1]/hook", "url_not_public"),
        ("https://10.1.2.3/hook", "url_not_public"),
        ("https://192.168.0.5/hook", "url_not_public"),
        ("https://169.254.169.254/latest/meta-data", "url_not_public"),
        ("https://[::ffff:10.0.0.1]/hook", "url_not_public"),
        ("https://localhost/hook", "url_not_public"),
        ("http://93.184.216.34/hook", "url_not_https"),
        ("ftp://example.com/", "url_invalid"),
        ("https://user:pw@93.184.216.34/", "url_invalid"),
    ],
)
def test_production_refuses(url: str, code: str) -> None:
    with pytest.raises(InvalidError) as refused:
        check_url(url)
    assert refused.value.code == code
    assert refused.value.field == "url"


@pytest.mark.usefixtures("production")
def test_a_name_resolving_to_a_private_address_is_refused(resolves_to: dict[str, str]) -> None:
    resolves_to["hooks.example.test"] = "10.0.0.8"
    with pytest.raises(InvalidError) as refused:
        check_url("https://hooks.example.test/in")
    assert refused.value.code == "url_not_public"
    resolves_to["meta.example.test"] = "169.254.169.254"
    with pytest.raises(InvalidError):
        check_url("https://meta.example.test/in")


@pytest.mark.usefixtures("production")
def test_a_public_address_passes(resolves_to: dict[str, str]) -> None:
    resolves_to["hooks.example.test"] = "93.184.216.34"
    destination = check_url("https://hooks.example.test:8443/in?x=1")
    assert (destination.address, destination.port, destination.target) == (
        "93.184.216.34",
        8443,
        "/in?x=1",
    )


def test_the_metadata_address_is_refused_even_where_loopback_is_allowed() -> None:
    assert is_allowed("127.0.0.1", loopback_ok=True)
    assert not is_allowed("169.254.169.254", loopback_ok=True)
    assert not is_allowed("10.0.0.1", loopback_ok=True)


@pytest.mark.usefixtures("production")
def test_creating_an_endpoint_is_refused(db: None) -> None:
    owner = platform_user()
    partner = individual_partner(user=owner)
    with pytest.raises(InvalidError) as refused:
        webhook_endpoint_create(
            acting_user=owner, partner_id=partner.public_id, url="https://10.0.0.1/x"
        )
    assert refused.value.code == "url_not_public"


def test_delivery_checks_again_dns_rebinding(
    db: None, settings: Any, resolves_to: dict[str, str], receiver: Any
) -> None:
    # Given an endpoint whose name resolved to a public address when it was created
    resolves_to["rebind.example.test"] = "93.184.216.34"
    settings.DEVCENTER_WEBHOOK_ALLOW_LOOPBACK = False
    owner = platform_user()
    partner = individual_partner(user=owner)
    webhook_endpoint_create(
        acting_user=owner, partner_id=partner.public_id, url="https://rebind.example.test/in"
    )
    # When the name now resolves to the metadata address and an event is delivered
    resolves_to["rebind.example.test"] = "169.254.169.254"
    card_register(partner_id=partner.public_id, token="tok_visa", acting_user=owner)  # noqa: S106
    Worker(threads=1).run_once()
    # Then nothing is sent; the attempt is logged as refused and retried later
    attempt = WebhookAttempt.objects.get()
    assert attempt.error == "refused: url_not_public"
    assert attempt.status_code is None
    assert receiver.received == []
