import pytest

from devcenter.policy import Policy, default_policy


@pytest.fixture(scope="session")
def policy() -> Policy:
    return default_policy()
