"""SIGKILL in the middle of a burst of registrations leaves no partial record.

A real `devcenter serve` takes concurrent `POST /api/v1/partners/corporate-general`; the whole
process group is killed with SIGKILL while requests are in flight. Afterwards `devcenter audit
verify` passes (on PostgreSQL a writer killed between its commit and the link of its events
leaves them pending, which `devcenter audit link`, or the next write, appends); then every
partner is complete (owner, general partner account, audit events), every audited partner
exists, and a restarted server registers the next partner.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from itertools import count
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from devcenter.partners.corporate_number import corporate_number_check_digit
from tests.running_server import devcenter_command, running_server, server_env

pytestmark = pytest.mark.slow

SET_UP = """
from django.contrib.auth import get_user_model
from allauth.account.models import EmailAddress
from devcenter.apikeys.services import apikey_create
user = get_user_model().objects.create_user(username="crash", email="crash@example.com")
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
print(apikey_create(name="crash", scope="developer", user=user)[1])
"""

CHECK = """
import json
from devcenter.audit.models import AuditEvent
from devcenter.partners.models import Partner
from devcenter.accounts.models import PlatformAccount
def audited(event_type):
    events = AuditEvent.objects.filter(event_type=event_type)
    return set(events.values_list("target_id", flat=True))
partners = set(Partner.objects.values_list("public_id", flat=True))
registered = audited("partner.registered")
incomplete = [
    p.public_id for p in Partner.objects.all()
    if not p.memberships.filter(role="owner").exists()
    or PlatformAccount.objects.filter(partner=p, kind="general_partner_account").count() != 1
]
accounts = set(PlatformAccount.objects.values_list("public_id", flat=True))
audited_accounts = audited("account.created")
print(json.dumps({
    "partners": len(partners),
    "unaudited_partners": sorted(partners - registered),
    "audited_but_missing": sorted(registered - partners),
    "incomplete": incomplete,
    "unaudited_accounts": sorted(accounts - audited_accounts),
}))
"""

_numbers = count(424_242_000_000)


def details() -> bytes:
    """Return the JSON body of one corporate general registration (a fresh 法人番号)."""
    base = f"{next(_numbers):012d}"
    return json.dumps(
        {
            "registration_name": "クラッシュ試験",
            "legal_name": "株式会社クラッシュ",
            "corporate_number": f"{corporate_number_check_digit(base)}{base}",
            "legal_entity_registered": True,
            "representative_name": "山田 太郎",
            "head_office_address": "東京都渋谷区1-2-3",
            "contact_email": "crash@example.co.jp",
            "contact_phone": "03-0000-0000",
        }
    ).encode()


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own CLI, fixed arguments)
        [*devcenter_command(), *args], env=env, capture_output=True, text=True, timeout=120
    )


def register_once(base: str, key: str) -> str:
    """POST one registration; return the status, or "connection lost"."""
    request = urllib.request.Request(  # noqa: S310 (loopback only)
        f"{base}/api/v1/partners/corporate-general",
        data=details(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return str(response.status)
    except urllib.error.HTTPError as error:
        return str(error.code)
    except OSError:
        return "connection lost"


def burst(base: str, key: str, stop: threading.Event, outcomes: list[str]) -> None:
    """POST registrations back to back until `stop` or the connection is lost."""
    while not stop.is_set():
        outcomes.append(register_once(base, key))
        if outcomes[-1] == "connection lost":
            return


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str | None]:
    """The server's own database: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield None
        return
    import psycopg

    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith("postgres"):
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://…")
    parts = urlsplit(configured)
    name = f"devcenter_crash_{os.getpid()}"
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_sigkill_mid_burst_leaves_no_partial_record(
    tmp_path: Path, database_url: str | None
) -> None:
    # Given a migrated database, a developer key and a server taking a burst of registrations
    env = server_env(tmp_path / "var", database_url)
    assert cli(env, "migrate", "--noinput").returncode == 0
    set_up = cli(env, "shell", "-c", SET_UP)
    assert set_up.returncode == 0, set_up.stderr
    key = set_up.stdout.strip().splitlines()[-1]
    outcomes: list[str] = []
    stop_burst = threading.Event()
    with running_server(env, workers=2) as (base, process):
        threads = [
            threading.Thread(target=burst, args=(base, key, stop_burst, outcomes)) for _ in range(6)
        ]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 20
        while outcomes.count("201") < 20 and time.monotonic() < deadline:
            time.sleep(0.05)

        # When the whole server is killed without warning while requests are in flight
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)
        stop_burst.set()
        for thread in threads:
            thread.join(timeout=15)

    # Then the audit chain is whole, and once pending events are linked nothing is half-written
    assert outcomes.count("201") >= 20, outcomes[-10:]
    assert set(outcomes) <= {"201", "connection lost"}, sorted(set(outcomes))
    verified = cli(env, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    linked = cli(env, "audit", "link")
    assert linked.returncode == 0, linked.stderr
    checked = cli(env, "shell", "-c", CHECK)
    assert checked.returncode == 0, checked.stderr
    state = json.loads(checked.stdout.strip().splitlines()[-1])
    assert state["partners"] >= outcomes.count("201")
    assert state["unaudited_partners"] == []
    assert state["audited_but_missing"] == []
    assert state["incomplete"] == []
    assert state["unaudited_accounts"] == []
    verified = cli(env, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "not linked yet" not in verified.stdout

    # And a restarted server carries on
    with running_server(env, workers=1) as (base, _process):
        assert register_once(base, key) == "201"
    assert cli(env, "audit", "verify").returncode == 0
