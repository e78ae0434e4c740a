"""Keep every policy version the service has run (the first time a server starts with it)."""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction
from django.utils import timezone

from devcenter.policy import shipped_policy_text
from devcenter.policy_history.models import PolicyVersion


def policy_version_record(*, text: str | None = None) -> PolicyVersion:
    """Keep the policy file `text` (default: the shipped one) if it is new; return its row."""
    text = shipped_policy_text() if text is None else text
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    found = PolicyVersion.objects.filter(sha256=digest).first()
    if found is not None:
        return found
    from devcenter.policy import load_policy

    version = load_policy(text).version
    try:
        with transaction.atomic():
            return PolicyVersion.objects.create(
                version=version, sha256=digest, text=text, first_seen_at=timezone.now()
            )
    except IntegrityError:  # another server recorded it at the same moment
        return PolicyVersion.objects.get(sha256=digest)
