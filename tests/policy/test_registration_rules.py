"""Spec §2 notes and §5: service variants and the registration-name rule, as policy data."""


def test_only_plugin_may_be_registered_by_an_agency(policy):
    """§5: everything is registered in the provider's name, except a plugin (agency allowed)."""
    agency = [s["code"] for s in policy.describe()["services"] if s["agency_registration"]]
    assert agency == ["plugin"]


def test_smartphone_app_platforms_and_plugin_kinds(policy):
    services = {s["code"]: s for s in policy.describe()["services"]}
    assert services["app_smartphone"]["platforms"] == ["browser", "android", "ios"]
    assert services["plugin"]["kinds"] == ["check_button", "like_button"]
    assert all(not s["platforms"] for code, s in services.items() if code != "app_smartphone")


def test_registration_free_services_are_exactly_openid_and_simplepost(policy):
    free = [s for s in policy.services if policy.decide_service(None, s).allowed]
    assert free == ["openid", "simplepost"]
