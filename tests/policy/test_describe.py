"""The policy describes itself as plain data (GET /api/v1/policy, the landing page, the CLI)."""

import json


def test_describe_is_json_and_complete(policy):
    described = json.loads(json.dumps(policy.describe()))
    assert described["version"] == policy.version
    assert [t["code"] for t in described["partner_types"]] == list(policy.partner_types)
    assert described["service_matrix"]["openid"]["none"] is True
    assert described["account_matrix"]["partner_account"]["corporate_certified"] is True
    assert {
        "from": "corporate_certified",
        "to": "corporate_general",
        "allowed": False,
    }.items() <= next(
        m
        for m in described["moves"]
        if m["from"] == "corporate_certified" and m["to"] == "corporate_general"
    ).items()
    assert described["partner_types"][0]["label"] == {
        "ja": "法人・認定パートナー",
        "en": "Corporate, certified",
    }


def test_policy_imports_no_django():
    import subprocess
    import sys

    code = (
        "import sys, devcenter.policy as p; p.default_policy();"
        "print(any(m.startswith('django') for m in sys.modules))"
    )
    out = subprocess.run(  # noqa: S603 (a fixed command)
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
