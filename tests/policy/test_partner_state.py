"""Partner state in the policy: statuses, roles, operations and facts, as plain tables."""

from importlib.resources import files

import pytest

from devcenter.policy import PolicyFileError, PolicyInputError, load_policy

SHIPPED = files("devcenter.policy").joinpath("mixi_platform.toml").read_text(encoding="utf-8")
EVERY_FACT = {
    "legal_entity_registered": True,
    "platform_user": True,
    "team_partner": True,
    "other_owner_remains": True,
    "no_open_application": True,
    "application_open": True,
    "application_needs_info": True,
}


def decide(policy, operation, *, role="owner", status="active", partner_type, **facts):
    given = {**EVERY_FACT, **facts}
    return policy.decide_operation(
        operation, role=role, status=status, partner_type=partner_type, facts=given
    )


# (operation, role, status, partner_type, facts, expected code)
TABLE = [
    # The regression: a general partner without legal registration, or a suspended one, may
    # not apply for certification.
    ("certification.apply", "owner", "active", "corporate_general", {}, "allowed"),
    (
        "certification.apply",
        "owner",
        "active",
        "corporate_general",
        {"legal_entity_registered": False},
        "legal_entity_required",
    ),
    ("certification.apply", "owner", "suspended", "corporate_general", {}, "partner_suspended"),
    (
        "certification.apply",
        "owner",
        "active",
        "corporate_general",
        {"no_open_application": False},
        "application_already_open",
    ),
    ("certification.apply", "owner", "active", "corporate_certified", {}, "no_change"),
    ("certification.apply", "owner", "active", "individual", {}, "individual_to_corporate"),
    ("certification.apply", "developer", "active", "corporate_general", {}, "allowed"),
    ("certification.apply", None, "active", "corporate_general", {}, "partner_not_found"),
    ("certification.apply", "staff", "active", "corporate_general", {}, "not_an_owner"),
    ("certification.withdraw", "owner", "pending", None, {}, "allowed"),
    (
        "certification.withdraw",
        "owner",
        "pending",
        None,
        {"application_open": False},
        "no_open_application",
    ),
    (
        "certification.resubmit",
        "owner",
        "pending",
        None,
        {"application_needs_info": False},
        "application_not_awaiting_answer",
    ),
    # Cards: individuals only; an individual_card partner may replace its card.
    ("card.register", "owner", "active", "individual", {}, "allowed"),
    ("card.register", "owner", "active", "individual_card", {}, "allowed"),
    ("card.register", "owner", "active", "corporate_general", {}, "corporate_to_individual"),
    ("card.register", "owner", "suspended", "individual", {}, "partner_suspended"),
    ("card.remove", "owner", "active", "individual_card", {}, "allowed"),
    # Test accounts follow the account matrix.
    ("test_account.create", "developer", "active", "corporate_certified", {}, "allowed"),
    (
        "test_account.create",
        "developer",
        "active",
        "corporate_general",
        {},
        "requires_certification",
    ),
    ("test_account.create", "owner", "active", "individual", {}, "corporate_only"),
    ("test_account.delete", "owner", "suspended", "corporate_certified", {}, "partner_suspended"),
    # Members.
    ("member.add", "owner", "active", "corporate_general", {}, "allowed"),
    (
        "member.add",
        "owner",
        "active",
        "individual",
        {"team_partner": False},
        "individual_single_member",
    ),
    ("member.add", "developer", "active", "corporate_general", {}, "not_an_owner"),
    ("member.remove", "owner", "active", "corporate_general", {}, "allowed"),
    (
        "member.leave",
        "owner",
        "active",
        "corporate_general",
        {"other_owner_remains": False},
        "last_owner",
    ),
    ("member.leave", "developer", "active", "corporate_general", {}, "allowed"),
    # Reads work in every status; certificates only for owners and staff.
    ("documents.read", "developer", "suspended", "corporate_general", {}, "allowed"),
    ("documents.download", "developer", "active", "corporate_general", {}, "not_an_owner"),
    ("documents.download", "owner", "active", "corporate_general", {}, "allowed"),
    ("documents.download", "staff", "suspended", "corporate_general", {}, "allowed"),
    ("history.read", "developer", "suspended", "individual", {}, "allowed"),
    ("history.read", None, "active", "individual", {}, "partner_not_found"),
    # Staff powers.
    ("partner.suspend", "staff", "active", "corporate_general", {}, "allowed"),
    ("partner.suspend", "staff", "suspended", "corporate_general", {}, "already_suspended"),
    ("partner.suspend", "owner", "active", "corporate_general", {}, "staff_only"),
    ("partner.restore", "staff", "suspended", "corporate_general", {}, "allowed"),
    ("partner.restore", "staff", "active", "corporate_general", {}, "not_suspended"),
    ("registration.create", "developer", "active", "individual", {}, "allowed"),
    ("registration.create", "developer", "suspended", "individual", {}, "partner_suspended"),
]


@pytest.mark.parametrize(("operation", "role", "status", "partner_type", "facts", "code"), TABLE)
def test_operation_decision(policy, operation, role, status, partner_type, facts, code):
    decision = decide(
        policy, operation, role=role, status=status, partner_type=partner_type, **facts
    )
    assert decision.code == code
    assert decision.allowed is (code == "allowed")
    assert decision.reason.ja
    assert decision.reason.en


def test_a_refused_test_account_carries_the_unlock_path(policy):
    decision = decide(policy, "test_account.create", role="owner", partner_type="corporate_general")
    assert [[s.step for s in path] for path in decision.unlock] == [["apply_certification"]]


def test_a_suspended_partner_is_allowed_no_service_and_no_account(policy):
    for service in policy.services:
        decision = policy.decide_partner_service("corporate_certified", "suspended", service)
        assert (decision.allowed, decision.code) == (False, "partner_suspended")
    for account in policy.accounts:
        decision = policy.decide_partner_account("corporate_certified", "suspended", account)
        assert (decision.allowed, decision.code) == (False, "partner_suspended")


def test_an_active_partner_gets_the_matrix(policy):
    assert policy.decide_partner_service("individual", "active", "graph_api") is (
        policy.decide_service("individual", "graph_api")
    )
    assert policy.status_denial("active") is None
    assert policy.status_denial("suspended").code == "partner_suspended"


def test_unknown_fact_is_refused_by_the_engine(policy):
    with pytest.raises(PolicyInputError) as caught:
        policy.decide_move(None, "corporate_certified", {"legal_entity_registred": True})
    assert caught.value.field == "facts.legal_entity_registred"
    with pytest.raises(PolicyInputError):
        policy.decide_operation(
            "member.add",
            role="owner",
            status="active",
            partner_type="corporate_general",
            facts={"teem_partner": True},
        )


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("operation", {"operation": "member.invite"}),
        ("role", {"role": "admin"}),
        ("status", {"status": "frozen"}),
    ],
)
def test_unknown_codes_are_refused(policy, field, kwargs):
    given = {
        "operation": "member.add",
        "role": "owner",
        "status": "active",
        "partner_type": "corporate_general",
        **kwargs,
    }
    operation = given.pop("operation")
    with pytest.raises(PolicyInputError) as caught:
        policy.decide_operation(operation, **given)
    assert caught.value.field == field


def test_roles_statuses_and_operations_are_described(policy):
    described = policy.describe()
    assert [s["code"] for s in described["statuses"]] == ["pending", "active", "suspended"]
    assert [r["code"] for r in described["roles"] if r["member"]] == ["owner", "developer"]
    download = next(o for o in described["operations"] if o["code"] == "documents.download")
    assert download["roles"] == ["owner", "staff"]


def _broken(old, new):
    assert old in SHIPPED, old
    return SHIPPED.replace(old, new, 1)


def test_an_operation_naming_an_unknown_role_fails_at_load_with_its_place():
    text = _broken('roles = ["owner", "staff"]', 'roles = ["owner", "auditor"]')
    with pytest.raises(PolicyFileError) as caught:
        load_policy(text)
    assert caught.value.where.startswith("operations[")
    assert caught.value.where.endswith(".roles")
    assert "auditor" in caught.value.problem
    header = '[[operations]]\ncode = "documents.download"'
    assert caught.value.line == text[: text.index(header)].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "where", "problem"),
    [
        ('\nallows = "nothing"', '\nallows = "some"', ".allows", "unknown allows"),
        ('requires = ["team_partner"]', 'requires = ["teams"]', ".requires", "unknown fact"),
        ('account = "partner_test_account"', 'account = "sandbox"', ".account", "unknown account"),
        ('move_to = "individual_card"', 'move_to = "gold"', ".move_to", "unknown partner type"),
        ('effect = "read"', 'effect = "peek"', ".effect", "unknown effect"),
        ('status_code = "not_suspended"', 'status_code = "nope"', "", "no messages.operation"),
    ],
)
def test_broken_partner_state_fails_at_load(old, new, where, problem):
    with pytest.raises(PolicyFileError) as caught:
        load_policy(_broken(old, new))
    assert caught.value.where.endswith(where) or where == ""
    assert problem in caught.value.problem
