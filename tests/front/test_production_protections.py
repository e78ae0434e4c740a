"""In production settings the routes the decision plane answers before Django get what
Django's routes get: allowed hosts (400), the HTTPS redirect, HSTS, nosniff, frame and
referrer headers (they answered any Host over plain HTTP with none of them)."""

from __future__ import annotations

from typing import Any

import pytest

from devcenter.front.app import FrontDoor
from tests.front.conftest import call

HOST = "devcenter.example.com"
PLANE_ROUTES = [("GET", "/api/v1/health"), ("GET", "/api/v1/policy"), ("POST", "/api/v1/decisions")]
HSTS = "max-age=31536000; includeSubDomains; preload"


@pytest.fixture
def production(settings: Any) -> Any:
    """The security settings of devcenter.settings.production, proxy header trusted."""
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [HOST]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    return settings


@pytest.fixture
def front(application: Any, production: Any) -> FrontDoor:
    """A front door built from those settings, in front of the real plane and Django."""
    return FrontDoor.from_settings(application.inner)


def _secure(**headers: str) -> dict[str, str]:
    return {"x-forwarded-proto": "https", **headers}


@pytest.mark.parametrize(("method", "path"), PLANE_ROUTES)
def test_an_unknown_host_is_400(front: FrontDoor, method: str, path: str) -> None:
    answer = call(front, method, path, headers=_secure(), base_url="https://evil.example.net")

    assert answer.status == 400
    assert answer.code == "disallowed_host"
    assert answer.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(("method", "path"), PLANE_ROUTES)
def test_plain_http_is_redirected_to_https(front: FrontDoor, method: str, path: str) -> None:
    answer = call(front, method, f"{path}?lang=en", base_url=f"http://{HOST}")

    assert answer.status == 301
    assert answer.headers["location"] == f"https://{HOST}{path}?lang=en"
    assert "strict-transport-security" not in answer.headers  # only over HTTPS


@pytest.mark.parametrize("path", ["/api/v1/health", "/api/v1/policy"])
def test_over_https_the_answer_has_hsts_nosniff_frame_and_referrer_headers(
    front: FrontDoor, path: str
) -> None:
    answer = call(front, "GET", path, headers=_secure(), base_url=f"http://{HOST}")

    assert answer.status == 200
    assert answer.headers["strict-transport-security"] == HSTS
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["referrer-policy"] == "same-origin"
    assert answer.headers["cross-origin-opener-policy"] == "same-origin"


def test_decision_refusals_carry_the_headers_too(front: FrontDoor) -> None:
    answer = call(front, "POST", "/api/v1/decisions", headers=_secure(), base_url=f"http://{HOST}")

    assert answer.status == 401
    assert answer.code == "unauthorized"
    assert answer.headers["strict-transport-security"] == HSTS
    assert answer.headers["x-frame-options"] == "DENY"


def test_an_https_scheme_needs_no_proxy_header(front: FrontDoor) -> None:
    answer = call(front, "GET", "/api/v1/health", base_url=f"https://{HOST}")

    assert answer.status == 200
    assert answer.headers["strict-transport-security"] == HSTS


def test_the_proxy_header_is_not_trusted_unless_configured(
    application: Any, production: Any
) -> None:
    production.SECURE_PROXY_SSL_HEADER = None
    front = FrontDoor.from_settings(application.inner)

    answer = call(front, "GET", "/api/v1/health", headers=_secure(), base_url=f"http://{HOST}")

    assert answer.status == 301


def test_no_redirect_when_the_proxy_already_redirects(application: Any, production: Any) -> None:
    """DEVCENTER_SSL_REDIRECT=0: plain HTTP is answered, still without HSTS."""
    production.SECURE_SSL_REDIRECT = False
    front = FrontDoor.from_settings(application.inner)

    answer = call(front, "GET", "/api/v1/health", base_url=f"http://{HOST}")

    assert answer.status == 200
    assert "strict-transport-security" not in answer.headers
    assert answer.headers["x-frame-options"] == "DENY"


def test_an_exempt_path_is_answered_over_plain_http(application: Any, production: Any) -> None:
    """DEVCENTER_SSL_REDIRECT_EXEMPT (Django's SECURE_REDIRECT_EXEMPT): a balancer's probe."""
    production.SECURE_REDIRECT_EXEMPT = [r"^api/v1/health$"]
    front = FrontDoor.from_settings(application.inner)

    assert call(front, "GET", "/api/v1/health", base_url=f"http://{HOST}").status == 200
    assert call(front, "GET", "/api/v1/policy", base_url=f"http://{HOST}").status == 301


@pytest.mark.django_db(transaction=True)
def test_django_routes_keep_their_own_headers_without_duplicates(front: FrontDoor) -> None:
    answer = call(front, "GET", "/api/v1/partners", headers=_secure(), base_url=f"http://{HOST}")

    assert answer.status == 401
    assert answer.code == "unauthorized"
    for name in ("strict-transport-security", "x-frame-options", "x-content-type-options"):
        assert len(answer.headers.get_list(name)) == 1, name


def test_the_embedded_default_answers_loopback_and_refuses_other_hosts(application: Any) -> None:
    """Outside production the allowed hosts hold too (the plane answered any Host)."""
    assert (
        call(application, "GET", "/api/v1/health", base_url="http://127.0.0.1:8000").status == 200
    )
    assert call(application, "GET", "/api/v1/health", base_url="http://evil.test").status == 400
