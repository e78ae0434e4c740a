"""allauth's log-in and sign-up limits hold across server processes and restarts: the counters
live in the shared cache (the database table here), not in each worker's memory.

Before, with two workers, 10 of 14 wrong passwords were still checked and a restart forgot.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.running_server import devcenter_command, migrate_embedded, running_server, server_env

pytestmark = pytest.mark.slow

EMAIL = "limited@example.com"
PASSWORD = "Correct-Horse-Battery-9"  # noqa: S105 (a test user's)
SETUP = f"""
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
user = get_user_model().objects.create_user(
    username="limited", email="{EMAIL}", password="{PASSWORD}"
)
EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
"""
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOO_MANY = "Too many failed login attempts"
# allauth keys the count by site and address; without the sites framework the site is the
# request's host, and behind a load balancer every instance sees the same one.
SITE = {"Host": "localhost"}


def _prepared(tmp_path: Path, *, redis: bool) -> dict[str, str]:
    """A fresh embedded database with one verified user, for every server started with it;
    the cache is its table, or Redis (db 1, with a key prefix of this test's own)."""
    env = server_env(tmp_path)
    if redis:
        env["DEVCENTER_REDIS_URL"] = "redis://127.0.0.1:6379/1"
        env["DEVCENTER_CACHE_KEY_PREFIX"] = f"front-test-{os.getpid()}-{tmp_path.name}"
    migrate_embedded(env)
    subprocess.run([*devcenter_command(), "shell", "-c", SETUP], env=env, check=True, timeout=180)  # noqa: S603
    return env


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return _prepared(tmp_path, redis=False)


@pytest.fixture
def two_servers(env: dict[str, str]) -> Iterator[tuple[str, str]]:
    with running_server(env) as (first, _), running_server(env) as (second, _):
        yield first, second


@pytest.fixture
def two_servers_on_redis(tmp_path: Path) -> Iterator[tuple[str, str]]:
    env = _prepared(tmp_path, redis=True)
    with running_server(env) as (first, _), running_server(env) as (second, _):
        yield first, second


def _log_in(client: httpx.Client, base: str, password: str) -> httpx.Response:
    page = client.get(f"{base}/accounts/login/?lang=en", headers=SITE)
    token = TOKEN.search(page.text)
    assert token, page.text[:500]
    return client.post(
        f"{base}/accounts/login/?lang=en",
        data={"login": EMAIL, "password": password, "csrfmiddlewaretoken": token[1]},
        headers=SITE,
    )


@pytest.mark.parametrize("servers", ["two_servers", "two_servers_on_redis"])
def test_failed_log_ins_count_across_two_servers(
    request: pytest.FixtureRequest, servers: str
) -> None:
    """Five wrong passwords for one address, alternating servers; then even the right one is
    refused by either server (allauth: 5 per address per 5 minutes)."""
    two_servers = request.getfixturevalue(servers)
    with httpx.Client(timeout=30) as client:
        for attempt in range(5):
            wrong = _log_in(client, two_servers[attempt % 2], "wrong-password")
            assert wrong.status_code == 200
            assert TOO_MANY not in wrong.text

        for base in two_servers:
            refused = _log_in(client, base, PASSWORD)
            assert refused.status_code == 200  # the form again, not the redirect of a log-in
            assert TOO_MANY in refused.text


def test_the_count_survives_a_restart(env: dict[str, str]) -> None:
    with httpx.Client(timeout=30) as client:
        with running_server(env) as (base, _):
            for _attempt in range(5):
                assert TOO_MANY not in _log_in(client, base, "wrong-password").text
        with running_server(env) as (base, _):
            assert TOO_MANY in _log_in(client, base, PASSWORD).text


def test_sign_ups_count_across_two_servers(two_servers: tuple[str, str]) -> None:
    """allauth: 20 sign-up attempts per minute per address (IP), whichever server answers."""
    with httpx.Client(timeout=30) as client:
        statuses = []
        for attempt in range(21):
            base = two_servers[attempt % 2]
            page = client.get(f"{base}/accounts/signup/?lang=en", headers=SITE)
            token = TOKEN.search(page.text)
            assert token, page.text[:500]
            answer = client.post(
                f"{base}/accounts/signup/?lang=en",
                data={
                    "email": f"new{attempt}@example.com",
                    "password1": "x",  # refused by the form: cheap, and still counted
                    "password2": "y",
                    "csrfmiddlewaretoken": token[1],
                },
                headers=SITE,
            )
            statuses.append(answer.status_code)

    assert statuses[:20] == [200] * 20
    assert statuses[20] == 429
