"""The partner-program rules as data, and a pure decision engine. Imports no Django.

>>> from devcenter.policy import default_policy
>>> default_policy().decide_service("individual", "graph_api").code
'requires_card'
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

from devcenter.policy.engine import Policy
from devcenter.policy.errors import PolicyFileError, PolicyInputError
from devcenter.policy.loader import load_policy_source
from devcenter.policy.model import AccountTarget, Actor, CommunityTarget, Decision, Label, Step

POLICY_FILE = "mixi_platform.toml"

__all__ = [
    "AccountTarget",
    "Actor",
    "CommunityTarget",
    "Decision",
    "Label",
    "Policy",
    "PolicyFileError",
    "PolicyInputError",
    "Step",
    "default_policy",
    "load_policy",
    "load_policy_file",
    "shipped_policy_text",
]


def load_policy(text: str) -> Policy:
    """Return the policy defined by a policy file's text; raise PolicyFileError if it is invalid."""
    return Policy(load_policy_source(text))


def load_policy_file(path: str | Path) -> Policy:
    """Return the policy in the file at `path` (a file that is not UTF-8 is a PolicyFileError)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise PolicyFileError("file", f"not UTF-8 text: {error.reason}") from error
    return load_policy(text)


@cache
def default_policy() -> Policy:
    """Return the shipped mixi Platform policy, loaded once per process.

    A file that fails its own invariants or tests is refused (PolicyFileError naming the
    check and the counterexample): the service never starts on a policy that breaks them.
    """
    from devcenter.policy.checks import require_checks_pass

    policy = load_policy(shipped_policy_text())
    require_checks_pass(policy)
    return policy


def shipped_policy_text() -> str:
    """Return the shipped policy file's text, exactly as loaded."""
    return files(__package__).joinpath(POLICY_FILE).read_text(encoding="utf-8")
