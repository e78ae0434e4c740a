"""The Graph API scope catalogue is read from the policy file and checked at load."""

from importlib.resources import files

import pytest

from devcenter.policy import PolicyFileError, load_policy

SHIPPED = files("devcenter.policy").joinpath("mixi_platform.toml").read_text(encoding="utf-8")
CATALOGUE = [
    "r_profile", "r_updates", "r_voice", "w_voice", "r_share", "w_share", "r_photo", "w_photo",
    "r_message", "w_message", "r_diary", "w_diary", "r_checkin", "w_checkin", "r_calendar",
    "w_calendar", "w_pagefeed", "mixi_apps2",
]  # fmt: skip


def broken(old: str, new: str) -> str:
    assert old in SHIPPED, old
    return SHIPPED.replace(old, new, 1)


def test_the_shipped_catalogue_lists_every_scope_in_order_with_both_labels(policy):
    assert list(policy.graph_api_scopes) == CATALOGUE
    for label in policy.graph_api_scopes.values():
        assert label.ja.strip()
        assert label.en.strip()
    assert policy.graph_api_scopes["w_voice"].ja.startswith("あなたとしてつぶやき")


def test_describe_lists_the_catalogue(policy):
    described = policy.describe()["graph_api_scopes"]

    assert [s["code"] for s in described] == CATALOGUE
    assert described[0]["label"]["en"].startswith("Read your profile")


def test_a_duplicate_scope_code_is_a_load_error_naming_the_entry():
    text = broken('code = "r_updates"', 'code = "r_profile"')

    with pytest.raises(PolicyFileError) as caught:
        load_policy(text)

    assert caught.value.where == "graph_api_scopes[1].code"
    assert "duplicate code 'r_profile'" in caught.value.problem


def test_a_scope_without_its_english_label_is_a_load_error():
    text = broken('en = "Read the updates (feed) of you and your friends"\n', "\n")

    with pytest.raises(PolicyFileError) as caught:
        load_policy(text)

    assert caught.value.where == "graph_api_scopes[1].en"


def test_a_scope_code_with_a_space_is_a_load_error():
    text = broken('code = "r_voice"', 'code = "r voice"')

    with pytest.raises(PolicyFileError, match="not a scope code"):
        load_policy(text)
