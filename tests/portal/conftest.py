"""Fixtures of the portal tests."""

from __future__ import annotations

import pytest

from devcenter.policy import Policy, default_policy


@pytest.fixture
def policy() -> Policy:
    """The shipped policy, the one the page and the CLI render."""
    return default_policy()
