"""GET /api/v1/health and GET /api/v1/policy are public and served from memory."""

from devcenter.policy import default_policy


def test_health_is_ok(anonymous):
    reply = anonymous.request("GET", "/api/v1/health")
    assert (reply.status, reply.body) == (200, {"status": "ok"})


def test_policy_document_is_the_active_policy(anonymous):
    reply = anonymous.request("GET", "/api/v1/policy")
    assert reply.status == 200
    assert reply.body == default_policy().describe()
    assert reply.body["service_matrix"]["payment_program"]["individual_card"] is False


def test_wrong_method_is_405_with_allow(anonymous):
    reply = anonymous.request("POST", "/api/v1/health")
    assert reply.status == 405
    assert reply.headers["allow"] == "GET"
    assert reply.body["code"] == "method_not_allowed"


def test_other_paths_go_to_django(anonymous, db):
    reply = anonymous.request("GET", "/api/v1/no-such-thing")
    assert reply.status == 404
