"""GET /api/v1/partners."""

from tests.api.conftest import error_code


def test_lists_only_the_callers_partners(dev, other_dev, general_partner):
    mine = dev.get("/partners")
    theirs = other_dev.get("/partners")

    assert mine.status_code == 200
    assert [p["id"] for p in mine.json()] == [general_partner.public_id]
    assert theirs.json() == []


def test_revoked_key_is_401(db):
    from devcenter.apikeys.services import apikey_create, apikey_revoke
    from tests.api.factories import ApiCaller
    from tests.partners.factories import platform_user

    key, raw = apikey_create(name="revoked", scope="developer", user=platform_user())
    apikey_revoke(name=key.name)

    response = ApiCaller(raw).get("/partners")

    assert response.status_code == 401
    assert error_code(response) == "unauthorized"
