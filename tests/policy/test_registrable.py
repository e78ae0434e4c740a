"""Registrable services in the policy file (issue 9): services, fields, pipeline, name rule."""

from pathlib import Path

import pytest

from devcenter.policy import PolicyFileError, PolicyInputError, load_policy
from devcenter.policy.registrable import normalised_name

POLICY_TEXT = (
    Path(__file__).resolve().parents[2] / "src" / "devcenter" / "policy" / "mixi_platform.toml"
).read_text(encoding="utf-8")


def _broken(old: str, new: str) -> str:
    assert old in POLICY_TEXT
    return POLICY_TEXT.replace(old, new, 1)


def test_registrable_services_are_the_issue_s_seven(policy):
    rules = policy.registrations
    assert rules.services() == (
        "app_pc",
        "app_mobile",
        "app_smartphone",
        "graph_api",
        "plugin",
        "page",
        "page_app",
    )
    assert rules.enrolment_services() == ("payment_program",)


@pytest.mark.parametrize("service", ["openid", "simplepost", "payment_program"])
def test_services_that_are_not_registered(policy, service):
    with pytest.raises(PolicyInputError):
        policy.registrations.of(service)


@pytest.mark.parametrize(
    ("service", "credentials"),
    [
        ("app_pc", "consumer_key"),
        ("graph_api", "oauth_client"),
        ("plugin", "check_key"),
        ("page", "none"),
        ("page_app", "consumer_key"),
    ],
)
def test_each_service_says_which_credentials_it_gets(policy, service, credentials):
    assert policy.registrations.of(service).credentials == credentials


def test_only_plugin_carries_an_agency_provider(policy):
    rules = policy.registrations
    carrying = [s for s in rules.services() if "provider_name" in rules.of(s).fields]
    assert carrying == ["plugin"]


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("mixi Game", False),
        ("MIXI Game", False),
        ("MiXi", False),
        ("ｍｉｘｉ ゲーム", False),
        ("ＭＩＸＩ", False),
        ("ミクシィ占い", False),
        ("ﾐｸｼｨ占い", False),
        ("  mixi", False),
        ("My mixi game", True),
        ("ゲーム for ミクシィ", True),
        ("mix it", True),
    ],
)
def test_the_name_rule_ignores_case_and_width(policy, name, allowed):
    assert policy.registrations.name_allowed(name) is allowed


def test_names_are_normalised_with_nfkc_and_casefold():
    assert normalised_name("ＭＩＸＩ") == "mixi"


def test_the_pipeline_never_returns_to_in_development(policy):
    moves = policy.registrations.moves
    assert all(target != "in_development" for _, target in moves)
    assert policy.registrations.move("published", "in_development") is None
    assert policy.registrations.move("rejected", "listing_requested") is True
    assert policy.registrations.move("in_development", "listing_requested") is False


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        (
            'from = "rejected"\nto = "listing_requested"',
            'from = "published"\nto = "in_development"',
            "registration_moves[3].to",
        ),
        ('service = "page"\nfields', 'service = "openid"\nfields', "registrable[5].service"),
        ('credentials = "check_key"', 'credentials = "password"', "registrable[4].credentials"),
        (
            'fields = ["description", "gadget_xml_url", "support_community_id"]',
            'fields = ["description", "gadget_xml_url", "provider_name"]',
            "registrable[0].fields",
        ),
        ('required = ["page", "start_url"', 'required = ["logo", "start_url"', "registrable[6]"),
        ('type = "community"', 'type = "integer"', "registration_fields[6].type"),
        ("relisting_cooldown_days = 10", "relisting_cooldown_days = -1", "registrations"),
        ('requires_status = "published"', 'requires_status = "live"', "registration_fields["),
        ('subset_of = "devices"', 'subset_of = "platforms"', "registration_fields["),
        ('subset_of = "devices"', 'subset_of = "page"', "registration_fields["),
    ],
)
def test_a_broken_registration_section_is_refused_naming_the_place(old, new, where):
    with pytest.raises(PolicyFileError) as caught:
        load_policy(_broken(old, new))
    assert caught.value.where.startswith(where)
    assert caught.value.line is not None


def test_the_rules_are_described_for_clients(policy):
    described = policy.describe()["registrations"]

    graph = next(r for r in described["registrable"] if r["service"] == "graph_api")
    assert graph["credentials"] == "oauth_client"
    assert graph["confirm_contact_email"] is True
    smartphone = next(r for r in described["registrable"] if r["service"] == "app_smartphone")
    assert smartphone["choices"] == {"platforms": ["browser", "android", "ios"]}
    assert {"from": "rejected", "to": "listing_requested", "after_cooldown": True} in (
        described["moves"]
    )
