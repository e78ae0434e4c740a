"""Every route is bounded before it reads: a body over its class's limit is a 413 at once
(declared length) or as soon as the streamed bytes pass it, and an anonymous upload is a 401
before a byte of its body is read."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from tests.front.conftest import MIB, Streamed, call, zeros

LIMITS = settings.DEVCENTER_BODY_LIMITS
BEARER = {"authorization": "Bearer not-checked-by-the-front-door"}

# (route class, method, path, headers a caller of that route sends)
ROUTES = [
    ("decisions", "POST", "/api/v1/decisions", BEARER),
    ("json_api", "POST", "/api/v1/partners/corporate-general", {}),
    ("json_api", "POST", "/api/v1/no-such-thing", {}),
    ("upload", "POST", "/api/v1/applications", BEARER),
    ("upload", "POST", "/api/v1/partners/ptn_x/applications", BEARER),
    ("upload", "POST", "/api/v1/applications/apl_x/resubmit", BEARER),
    ("upload", "POST", "/api/v1/registrations/reg_x/images", BEARER),
    ("upload", "POST", "/partners/new/certification/", {"cookie": "sessionid=abc"}),
    ("upload", "POST", "/partners/ptn_x/certification/", {"cookie": "sessionid=abc"}),
    ("upload", "POST", "/partners/ptn_x/certification/apl_x/resubmit/", {"cookie": "sessionid=a"}),
    ("policy_file", "POST", "/admin/policy/diff/", {"cookie": "sessionid=abc"}),
    ("default", "POST", "/accounts/login/", {}),
    ("default", "POST", "/admin/login/", {}),
]


def test_the_documented_limits() -> None:
    assert LIMITS == {
        "json_api": 1 * MIB,
        "decisions": 16 * MIB,
        "upload": 2 * settings.DEVCENTER_DOCUMENT_MAX_BYTES + MIB,
        "default": 2_621_440,
        "policy_file": 256 * 1024 + 64 * 1024,
    }
    assert settings.DEVCENTER_DOCUMENT_MAX_BYTES == 10 * MIB
    assert settings.DEVCENTER_POLICY_FILE_MAX_BYTES == 256 * 1024


@pytest.mark.parametrize(("kind", "method", "path", "headers"), ROUTES)
def test_a_declared_length_over_the_limit_is_413_before_the_body_is_read(
    application: Any, kind: str, method: str, path: str, headers: dict[str, str]
) -> None:
    body = Streamed(zeros(LIMITS[kind] + 1))
    declared = {**headers, "content-length": str(LIMITS[kind] + 1), "accept-language": "en"}

    answer = call(application, method, path, content=body, headers=declared)

    assert answer.status == 413
    assert answer.code == "payload_too_large"
    assert str(LIMITS[kind]) in answer.body["message"]
    assert answer.headers["content-type"] == "application/json"
    assert answer.pulled == 0


@pytest.mark.parametrize(
    ("kind", "method", "path", "headers"), [route for route in ROUTES if route[0] != "decisions"]
)
def test_a_streamed_body_is_cut_off_just_past_the_limit(
    application: Any, kind: str, method: str, path: str, headers: dict[str, str]
) -> None:
    """Chunked (no Content-Length): counted as it streams, at most one chunk read too many.

    (Decisions: the plane checks the key before it reads; see the keyed test below.)
    """
    body = Streamed(zeros(LIMITS[kind] * 3, chunk=256 * 1024))

    answer = call(application, method, path, content=body, headers=headers)

    assert answer.status == 413
    assert answer.code == "payload_too_large"
    assert LIMITS[kind] < answer.pulled <= LIMITS[kind] + 256 * 1024


def test_a_streamed_decisions_body_with_a_key_is_cut_off_at_16_mib(
    application: Any, plane_key: str
) -> None:
    body = Streamed(zeros(40 * MIB, chunk=MIB))

    answer = call(
        application,
        "POST",
        "/api/v1/decisions",
        content=body,
        headers={"authorization": f"Bearer {plane_key}"},
    )

    assert answer.status == 413
    assert answer.code == "payload_too_large"
    assert answer.pulled == 16 * MIB + MIB


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/applications",
        "/api/v1/partners/ptn_x/applications",
        "/api/v1/applications/apl_x/resubmit",
        "/partners/new/certification/",
        "/partners/ptn_x/certification/",
        "/partners/ptn_x/certification/apl_x/resubmit/",
        "/admin/policy/diff/",
    ],
)
@pytest.mark.parametrize(
    "credentials",
    [{}, {"authorization": "Bearer "}, {"authorization": "Basic dTpw"}, {"cookie": "csrftoken=x"}],
)
def test_an_anonymous_upload_is_401_before_its_body_is_read(
    application: Any, path: str, credentials: dict[str, str]
) -> None:
    body = Streamed(zeros(5 * MIB))

    answer = call(application, "POST", path, content=body, headers=credentials)

    assert answer.status == 401
    assert answer.code == "unauthorized"
    assert answer.headers["www-authenticate"] == "Bearer"
    assert answer.pulled == 0


@pytest.mark.django_db(transaction=True)
def test_a_body_within_the_limit_reaches_the_app_whole(application: Any) -> None:
    """Just under the JSON limit, streamed: Django reads it all and answers (401: no key)."""
    body = Streamed(zeros(LIMITS["json_api"], chunk=100_000))

    answer = call(application, "POST", "/api/v1/partners/corporate-general", content=body)

    assert answer.pulled == LIMITS["json_api"]
    assert answer.status == 401
    assert answer.code == "unauthorized"


@pytest.mark.django_db(transaction=True)
def test_a_decisions_call_within_the_limit_is_answered(application: Any, plane_key: str) -> None:
    question = (
        b'{"requests":[{"kind":"service","partner_type":"individual","service":"graph_api"}]}'
    )

    answer = call(
        application,
        "POST",
        "/api/v1/decisions",
        content=Streamed([question[:10], question[10:]]),
        headers={"authorization": f"Bearer {plane_key}"},
    )

    assert answer.status == 200, answer.text
    assert len(answer.body["decisions"]) == 1


def test_the_front_door_is_transparent_for_the_planes_attributes(application: Any) -> None:
    """`devcenter.asgi.application` is the front door; the plane's parts stay reachable."""
    plane = application.inner

    assert application.keyring is plane.keyring
    assert application.snapshot is plane.snapshot
    application.front_test_switch = True
    try:
        assert plane.front_test_switch is True
        assert "front_test_switch" not in vars(application)
    finally:
        del plane.front_test_switch
