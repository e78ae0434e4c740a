"""Bad input to POST /api/v1/decisions: a 4xx with a stable code, never a 500."""

import pytest

GOOD = {"kind": "service", "partner_type": "individual", "service": "app_pc"}


@pytest.mark.parametrize(
    ("bad", "code", "field"),
    [
        (
            {"kind": "service", "partner_type": "individual", "service": "app_tv"},
            "unknown_code",
            "service",
        ),
        (
            {"kind": "service", "partner_type": "corporate", "service": "app_pc"},
            "unknown_code",
            "partner_type",
        ),
        ({"kind": "service", "partner_type": "individual"}, "invalid_request", "service"),
        (
            {"kind": "service", "partner_type": "individual", "service": 7},
            "invalid_request",
            "service",
        ),
        ({"kind": "weather", "partner_type": "individual"}, "invalid_request", "kind"),
        ({"partner_type": "individual", "service": "app_pc"}, "invalid_request", "kind"),
        (
            {"kind": "service", "partner_type": "individual", "service": "app_pc", "extra": 1},
            "invalid_request",
            "extra",
        ),
        (
            {"kind": "account", "partner_type": "individual", "account": "bank_account"},
            "unknown_code",
            "account",
        ),
        ({"kind": "transition", "from": None, "to": "emperor"}, "unknown_code", "to"),
        (
            {"kind": "transition", "from": None, "to": "individual", "facts": {"rich": True}},
            "unknown_code",
            "facts.rich",
        ),
        (
            {
                "kind": "transition",
                "from": None,
                "to": "individual",
                "facts": {"platform_user": "yes"},
            },
            "invalid_request",
            "facts",
        ),
        (
            {
                "kind": "action",
                "action": "friend.poke",
                "actor": {"account": "user_account", "id": "u"},
                "target": {"type": "account", "account": "user_account", "id": "v"},
            },
            "unknown_code",
            "action",
        ),
        (
            {
                "kind": "action",
                "action": "message.send",
                "actor": {"account": "user_account", "id": "u"},
                "target": {"type": "planet", "id": "v"},
            },
            "invalid_request",
            "target.type",
        ),
        (
            {
                "kind": "action",
                "action": "message.send",
                "actor": {"account": "user_account"},
                "target": {"type": "account", "account": "user_account", "id": "v"},
            },
            "invalid_request",
            "actor.id",
        ),
        (
            {
                "kind": "action",
                "action": "message.send",
                "actor": {"account": "user_account", "id": "u"},
                "target": {"type": "community", "id": "c"},
            },
            "unknown_code",
            "target.type",
        ),
        (
            {
                "kind": "action",
                "action": "content.post",
                "actor": {"account": "user_account", "id": "u"},
                "target": {"type": "account", "account": "user_account", "id": "u"},
                "attributes": {"visibility": "everyone"},
            },
            "unknown_code",
            "attributes.visibility",
        ),
    ],
)
def test_bad_request_is_422_naming_index_and_field(client, bad, code, field):
    reply = client.decide(GOOD, GOOD, bad)
    assert reply.status == 422, reply.body
    assert (reply.body["code"], reply.body["index"], reply.body["field"]) == (code, 2, field)
    assert reply.body["message"]


def test_error_message_follows_accept_language(client):
    bad = {"kind": "service", "partner_type": "individual", "service": "app_tv"}
    ja = client.decide(bad).body["message"]
    en = client.decide(bad, headers={"accept-language": "en-US,en;q=0.9"}).body["message"]
    assert "不明なコード" in ja
    assert "Unknown code" in en


@pytest.mark.parametrize(
    ("content", "code", "field"),
    [
        (b"{not json", "malformed_json", None),
        (b"", "malformed_json", None),
        (b'{"requests": "all of them"}', "invalid_request", "requests"),
        (b"{}", "invalid_request", "requests"),
        (b"[]", "invalid_request", "body"),
    ],
)
def test_malformed_body_is_422(client, content, code, field):
    reply = client.request("POST", "/api/v1/decisions", content=content)
    assert reply.status == 422
    assert reply.body["code"] == code
    assert reply.body.get("field") == field


def test_over_ten_thousand_requests_is_413(client):
    reply = client.decide(*([GOOD] * 10_001))
    assert (reply.status, reply.body["code"]) == (413, "payload_too_large")


def test_oversized_body_is_413_without_parsing(client):
    reply = client.request("POST", "/api/v1/decisions", content=b" " * (16 * 1024 * 1024 + 1))
    assert (reply.status, reply.body["code"]) == (413, "payload_too_large")


def test_empty_request_list_gives_empty_answer(client):
    reply = client.decide()
    assert (reply.status, reply.body) == (200, {"decisions": []})


@pytest.mark.parametrize(
    "content",
    [
        b'{"requests": [{"kind": "service", "partner_type": "\xff", "service": "app_pc"}]}',
        b'{"requests": [{"kind": "service", "partner_type": "individual", "servi\xc3": 1}]}',
        b'{"requests": [], "min_snapshot": 1, "\xed\xa0\x80": 2}',  # an encoded surrogate
        b"\xff\xfe{}",
    ],
)
def test_invalid_utf8_is_422_malformed_json(client, content):
    reply = client.request("POST", "/api/v1/decisions", content=content)
    assert (reply.status, reply.body["code"]) == (422, "malformed_json")


@pytest.mark.parametrize(
    "min_snapshot", ["18446744073709551616", "9223372036854775808", "-1", "1.5", '"7"', "true"]
)
def test_min_snapshot_no_sequence_can_reach_is_422(client, min_snapshot):
    content = b'{"requests": [], "min_snapshot": ' + min_snapshot.encode() + b"}"
    reply = client.request("POST", "/api/v1/decisions", content=content)
    assert (reply.status, reply.body["code"]) == (422, "invalid_request")
    assert reply.body["field"] == "min_snapshot"


def test_min_snapshot_at_the_largest_sequence_is_accepted(client):
    # The largest bigint is a sequence the log could reach: a wait, not an input error.
    content = b'{"requests": [], "min_snapshot": 9223372036854775807}'
    reply = client.request("POST", "/api/v1/decisions", content=content)
    assert (reply.status, reply.body["code"]) == (503, "snapshot_behind")
