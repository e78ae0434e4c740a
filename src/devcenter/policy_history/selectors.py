"""Which policy was in force at an instant."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from devcenter.policy import Policy, load_policy
from devcenter.policy_history.models import PolicyVersion
from devcenter.policy_history.services import policy_version_record


def policy_at(at: datetime) -> Policy:
    """Return the policy in force at `at`: the newest version first run at or before it.

    The running version is recorded first if it is not yet; an instant before every recorded
    version gets the oldest one known (the best the service can say).
    """
    policy_version_record()
    row = PolicyVersion.objects.filter(first_seen_at__lte=at).order_by("-first_seen_at").first()
    if row is None:
        row = PolicyVersion.objects.order_by("first_seen_at").first()
    assert row is not None  # noqa: S101 (recorded just above)
    return _load(row.sha256, row.text)


@lru_cache(maxsize=16)
def _load(sha256: str, text: str) -> Policy:
    del sha256  # the cache key
    return load_policy(text)
