"""Keep every policy version the service has run (the first time a server starts with it)."""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction
from django.utils import timezone

from devcenter.policy import shipped_policy_text
from devcenter.policy_history.models import PolicyVersion


class PolicyVersionReusedError(Exception):
    """A changed policy file carries a version the service has already run with other rules."""

    def __init__(self, version: str, earlier: PolicyVersion) -> None:
        self.version = version
        self.earlier = earlier
        super().__init__(
            f"policy version {version} was first run on {earlier.first_seen_at:%Y-%m-%d %H:%M} UTC"
            f" with a different file (sha256 {earlier.sha256[:12]}); answers and the decision"
            " log name the policy by its version: give the changed file a new version"
        )


def policy_version_record(*, text: str | None = None) -> PolicyVersion:
    """Keep the policy file `text` (default: the shipped one) if it is new; return its row.

    Raises PolicyVersionReusedError when the service has run another file under the same
    version: a version names one file, or point-in-time answers could not say which was in force.
    """
    text = shipped_policy_text() if text is None else text
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    found = PolicyVersion.objects.filter(sha256=digest).first()
    if found is not None:
        return found
    from devcenter.policy import load_policy

    version = load_policy(text).version
    earlier = PolicyVersion.objects.filter(version=version).order_by("first_seen_at").first()
    if earlier is not None:
        raise PolicyVersionReusedError(version, earlier)
    try:
        with transaction.atomic():
            return PolicyVersion.objects.create(
                version=version, sha256=digest, text=text, first_seen_at=timezone.now()
            )
    except IntegrityError:  # another server recorded it at the same moment
        return PolicyVersion.objects.get(sha256=digest)
