"""Spec §6: what accounts may do, rule by rule."""

import pytest

from devcenter.policy import AccountTarget, Actor, CommunityTarget, PolicyInputError

PA, GPA, PTA, UA = (
    "partner_account",
    "general_partner_account",
    "partner_test_account",
    "user_account",
)
ACCOUNT_ACTIONS = [
    "friend.request",
    "friend.invite",
    "friend.accept",
    "content.post",
    "profile.view",
    "footprint.leave",
    "introduction.write",
    "message.send",
]
COMMUNITY_ACTIONS = ["community.create", "community.manage", "community.post"]


def actor(kind, id_="me", partner="ptn_a"):
    return Actor(kind, id_, None if kind == UA else partner)


def other(kind, id_="you", partner="ptn_b"):
    return AccountTarget(kind, id_, None if kind == UA else partner)


def decide(policy, actor_, action, target, **attributes):
    return policy.decide_action(actor_, action, target, attributes or None)


# -- partner account ------------------------------------------------------------------


@pytest.mark.parametrize("action", ["friend.request", "friend.invite"])
def test_partner_account_may_not_ask_for_friends(policy, action):
    d = decide(policy, actor(PA), action, other(UA))
    assert (d.allowed, d.code, d.unlockable) == (False, "forbidden_for_partner_account", False)


def test_partner_account_may_accept_a_friend_request(policy):
    assert decide(policy, actor(PA), "friend.accept", other(UA)).allowed


def test_user_may_send_a_friend_request_to_a_partner_account(policy):
    assert decide(policy, actor(UA), "friend.request", other(PA)).allowed


@pytest.mark.parametrize(
    "content_type", ["diary", "voice", "review", "video", "photo", "calendar", "check"]
)
def test_partner_account_posts_only_on_its_own_page(policy, content_type):
    own = AccountTarget(PA, "me", "ptn_a")
    assert decide(
        policy, actor(PA), "content.post", own, content_type=content_type, visibility="public"
    ).allowed
    d = decide(policy, actor(PA), "content.post", other(UA), content_type=content_type)
    assert d.code == "forbidden_for_partner_account"


@pytest.mark.parametrize("action", COMMUNITY_ACTIONS)
def test_partner_account_has_no_communities_but_its_app_support_community(policy, action):
    assert not decide(policy, actor(PA), action, CommunityTarget("c1", None)).allowed
    assert not decide(policy, actor(PA), action, CommunityTarget("c1", "ptn_other")).allowed
    assert decide(policy, actor(PA), action, CommunityTarget("c1", "ptn_a")).allowed


def test_partner_account_may_not_view_other_pages_but_its_own(policy):
    assert not decide(policy, actor(PA), "profile.view", other(UA)).allowed
    assert decide(policy, actor(PA), "profile.view", AccountTarget(PA, "me", "ptn_a")).allowed


def test_partner_account_leaves_no_footprint(policy):
    assert (
        decide(policy, actor(PA), "footprint.leave", other(UA)).code
        == "forbidden_for_partner_account"
    )


def test_partner_account_cannot_receive_introductions(policy):
    d = decide(policy, actor(UA), "introduction.write", other(PA))
    assert (d.allowed, d.code) == (False, "forbidden_for_partner_account")


@pytest.mark.parametrize(("sender", "receiver"), [(PA, UA), (UA, PA)])
def test_partner_account_neither_sends_nor_receives_messages(policy, sender, receiver):
    d = decide(policy, actor(sender), "message.send", other(receiver))
    assert (d.allowed, d.code) == (False, "forbidden_for_partner_account")


def test_users_may_view_a_partner_account(policy):
    assert decide(policy, actor(UA), "profile.view", other(PA)).allowed


# -- general partner account ----------------------------------------------------------


@pytest.mark.parametrize("viewer", [UA, PA])
def test_general_partner_account_looks_as_if_it_did_not_exist(policy, viewer):
    d = decide(policy, actor(viewer), "profile.view", other(GPA))
    assert (d.allowed, d.code) == (False, "not_found")


def test_general_partner_account_sees_its_own_profile(policy):
    assert decide(policy, actor(GPA), "profile.view", AccountTarget(GPA, "me", "ptn_a")).allowed


@pytest.mark.parametrize("action", ["friend.request", "friend.invite", "friend.accept"])
def test_general_partner_account_has_no_friends_in_either_direction(policy, action):
    assert (
        decide(policy, actor(GPA), action, other(UA)).code
        == "forbidden_for_general_partner_account"
    )
    assert not decide(policy, actor(UA), action, other(GPA)).allowed


def test_general_partner_account_sees_no_one_else(policy):
    assert (
        decide(policy, actor(GPA), "profile.view", other(UA)).code
        == "forbidden_for_general_partner_account"
    )


@pytest.mark.parametrize(
    ("visibility", "allowed"), [("private", True), ("friends", False), ("public", False)]
)
def test_general_partner_account_posts_privately_on_its_own_page(policy, visibility, allowed):
    own = AccountTarget(GPA, "me", "ptn_a")
    assert decide(policy, actor(GPA), "content.post", own, visibility=visibility).allowed is allowed


def test_general_partner_account_post_without_visibility_is_denied(policy):
    assert not decide(policy, actor(GPA), "content.post", AccountTarget(GPA, "me", "ptn_a")).allowed


def test_general_partner_account_may_not_post_elsewhere_even_privately(policy):
    assert not decide(policy, actor(GPA), "content.post", other(UA), visibility="private").allowed


@pytest.mark.parametrize("action", ["message.send", "introduction.write", "footprint.leave"])
def test_general_partner_account_no_communication_either_way(policy, action):
    assert (
        decide(policy, actor(GPA), action, other(UA)).code
        == "forbidden_for_general_partner_account"
    )
    assert decide(policy, actor(UA), action, other(GPA)).code == "not_found"


@pytest.mark.parametrize("action", COMMUNITY_ACTIONS)
def test_general_partner_account_no_communities(policy, action):
    assert not decide(policy, actor(GPA), action, CommunityTarget("c1", "ptn_a")).allowed


# -- partner test account (product choice: a sandbox) ---------------------------------


@pytest.mark.parametrize("action", ACCOUNT_ACTIONS)
def test_test_account_is_invisible_outside_its_partner(policy, action):
    d = decide(policy, actor(UA), action, other(PTA))
    assert (d.allowed, d.code) == (False, "not_found")


@pytest.mark.parametrize("action", ["friend.request", "message.send", "profile.view"])
def test_test_account_interacts_only_inside_its_partner(policy, action):
    assert decide(policy, actor(PTA), action, other(UA)).code == "outside_sandbox"
    assert decide(policy, actor(PTA), action, AccountTarget(PTA, "t2", "ptn_a")).allowed


def test_test_account_of_same_partner_may_be_seen_by_its_partner_account(policy):
    assert decide(policy, actor(PA), "friend.accept", AccountTarget(PTA, "t1", "ptn_a")).allowed


# -- users ---------------------------------------------------------------------------


@pytest.mark.parametrize("action", ACCOUNT_ACTIONS)
def test_user_accounts_are_unrestricted_among_users(policy, action):
    assert decide(policy, actor(UA), action, other(UA)).allowed


@pytest.mark.parametrize("action", COMMUNITY_ACTIONS)
def test_user_accounts_use_communities(policy, action):
    assert decide(policy, actor(UA), action, CommunityTarget(None, None)).allowed


# -- input errors --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "actor_", "target", "attributes", "field"),
    [
        ("friend.poke", actor(UA), other(UA), None, "action"),
        ("message.send", Actor("robot", "x"), other(UA), None, "actor.account"),
        ("message.send", actor(UA), AccountTarget("robot", "y"), None, "target.account"),
        ("message.send", actor(UA), CommunityTarget("c"), None, "target.type"),
        ("community.post", actor(UA), other(UA), None, "target.type"),
        ("content.post", actor(UA), other(UA), {"visibility": "secret"}, "attributes.visibility"),
        (
            "content.post",
            actor(UA),
            other(UA),
            {"content_type": "novel"},
            "attributes.content_type",
        ),
        ("message.send", actor(UA), other(UA), {"visibility": "private"}, "attributes.visibility"),
    ],
)
def test_bad_questions_name_the_field(policy, action, actor_, target, attributes, field):
    with pytest.raises(PolicyInputError) as caught:
        policy.decide_action(actor_, action, target, attributes)
    assert caught.value.field == field
