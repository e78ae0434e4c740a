"""A real `devcenter serve` in production settings: the decision plane's routes enforce the
allowed hosts, the HTTPS redirect and HSTS, and send nosniff, frame and referrer headers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.front.served import raw_request, serving
from tests.running_server import server_env
from tests.settings.test_settings import PRODUCTION_SECRET

pytestmark = pytest.mark.slow

HOST = "devcenter.example.com"


@pytest.fixture(scope="module")
def port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    root = tmp_path_factory.mktemp("served-production")
    env = server_env(root) | {
        "DJANGO_SETTINGS_MODULE": "devcenter.settings.production",
        "DEVCENTER_SECRET_KEY": PRODUCTION_SECRET,
        "DEVCENTER_ALLOWED_HOSTS": HOST,
        "DEVCENTER_PROXY_SSL_HEADER": "1",
    }
    with serving(env, host=HOST) as (served_port, _group):
        yield served_port


@pytest.mark.parametrize("path", ["/api/v1/health", "/api/v1/policy"])
def test_https_answers_carry_hsts_and_the_security_headers(port: int, path: str) -> None:
    answer, _ = raw_request(port, "GET", path, {"Host": HOST, "X-Forwarded-Proto": "https"})

    assert answer.status == 200
    assert answer.headers["strict-transport-security"].startswith("max-age=31536000")
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["referrer-policy"] == "same-origin"


@pytest.mark.parametrize("path", ["/api/v1/health", "/api/v1/policy", "/api/v1/decisions"])
def test_plain_http_is_redirected(port: int, path: str) -> None:
    answer, _ = raw_request(port, "GET", path, {"Host": HOST})

    assert answer.status == 301
    assert answer.headers["location"] == f"https://{HOST}{path}"


@pytest.mark.parametrize("path", ["/api/v1/health", "/api/v1/decisions", "/"])
def test_an_unknown_host_is_400(port: int, path: str) -> None:
    answer, _ = raw_request(
        port, "GET", path, {"Host": "attacker.example", "X-Forwarded-Proto": "https"}
    )

    assert answer.status == 400
    assert answer.code == "disallowed_host"


def test_decisions_refusals_carry_the_headers(port: int) -> None:
    head = {"Host": HOST, "X-Forwarded-Proto": "https", "Content-Length": "2"}
    answer, _ = raw_request(port, "POST", "/api/v1/decisions", head, iter([b"{}"]))

    assert answer.status == 401
    assert answer.code == "unauthorized"
    assert answer.headers["x-frame-options"] == "DENY"
    assert "strict-transport-security" in answer.headers
