"""The decision endpoint needs a live key with the decisions scope."""

import pytest

from tests.decision_plane.conftest import PlaneClient

GOOD = {"kind": "service", "partner_type": "individual", "service": "app_pc"}


def test_no_key_is_401(anonymous, transactional_db):
    reply = anonymous.decide(GOOD)
    assert (reply.status, reply.body["code"]) == (401, "unauthorized")


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Basic abc", "dc_rawkeywithoutscheme"])
def test_malformed_authorization_is_401(anonymous, transactional_db, header):
    reply = anonymous.decide(GOOD, headers={"authorization": header})
    assert reply.status == 401


def test_unknown_key_is_401(application, decisions_key):
    reply = PlaneClient(application, decisions_key + "x").decide(GOOD)
    assert reply.status == 401


def test_revoked_key_is_401_at_once(client):
    from devcenter.apikeys.services import apikey_revoke

    assert client.decide(GOOD).status == 200
    apikey_revoke(name="svc-test")
    assert client.decide(GOOD).status == 401


def test_key_of_another_scope_is_403(application, transactional_db):
    from devcenter.apikeys.services import apikey_create

    _, raw = apikey_create(name="dev", scope="developer")
    reply = PlaneClient(application, raw).decide(GOOD)
    assert (reply.status, reply.body["code"]) == (403, "insufficient_scope")


def test_key_created_by_another_process_is_seen_after_the_poll(application, transactional_db):
    """A key written behind the keyring's back (no hook) is picked up by the generation poll."""
    import time

    from devcenter.apikeys.models import ApiKey
    from devcenter.apikeys.selectors import hash_key

    application.keyring._poll_seconds = 0.0
    raw = "dc_written_elsewhere"
    PlaneClient(application, raw).decide(GOOD)  # loads the keyring
    ApiKey.objects.create(
        name="elsewhere", scope="decisions", prefix=raw[:8], secret_hash=hash_key(raw)
    )
    deadline = time.monotonic() + 5
    status = None
    while time.monotonic() < deadline:
        status = PlaneClient(application, raw).decide(GOOD).status
        if status == 200:
            break
        time.sleep(0.05)
    application.keyring._poll_seconds = 1.0
    assert status == 200
