"""Two `devcenter serve` instances on one PostgreSQL database, as behind a load balancer."""

from __future__ import annotations

import signal
from dataclasses import asdict

import httpx
import pytest

from tests.api.factories import api_key
from tests.partners.factories import corporate_details, platform_user
from tests.running_server import server_env, stop
from tests.server.servers import decide, logged_server

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_write_through_one_read_through_the_other_then_one_dies(tmp_path, transactional_db):
    from django.conf import settings

    from devcenter.apikeys.services import apikey_create

    database = settings.DATABASES["default"]
    url = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    developer = api_key(platform_user(), "developer")
    _, service_key = apikey_create(name="sns-gateway", scope="decisions")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with (
        logged_server(server_env(tmp_path / "a", url), tmp_path / "a.log") as (first, process),
        logged_server(server_env(tmp_path / "b", url), tmp_path / "b.log") as (second, _),
    ):
        # Given a partner registered through the first instance
        written = httpx.post(
            f"{first}/api/v1/partners/corporate-general",
            json=asdict(corporate_details()),
            headers={"authorization": f"Bearer {developer}", "idempotency-key": "two-1"},
        )
        assert written.status_code == 201, written.text
        written_at = int(written.headers["devcenter-snapshot"])
        question = {"kind": "service", "partner": written.json()["id"], "service": "page"}

        # When the second instance is asked at that snapshot, at once
        reply = decide(second, service_key, question, min_snapshot=written_at)

        # Then it has read the write
        assert reply.status_code == 200, reply.text
        (decision,) = reply.json()["decisions"]
        assert (decision["allowed"], decision["code"]) == (True, "allowed")
        assert decision["snapshot"] >= written_at

        # And when the first instance dies, the second keeps serving
        stop(process, signal.SIGKILL)
        assert httpx.get(f"{second}/api/v1/ready").status_code == 200
        again = decide(second, service_key, question)
        assert again.json()["decisions"][0]["allowed"] is True
        listed = httpx.get(
            f"{second}/api/v1/partners", headers={"authorization": f"Bearer {developer}"}
        )
        assert listed.status_code == 200
        assert [partner["id"] for partner in listed.json()] == [question["partner"]]
