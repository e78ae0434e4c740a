"""What-if over the live registry: the policy diff joined with partners and registrations.

`policy_what_if(new)` answers what `devcenter policy diff` and the staff console's policy diff
page show: every changed request, and for each service and account who gains and who loses it;
for each service, which registrations would be suspended or restored (they follow their
partner's entitlements, `registrations.follow`). Everything comes from grouped counts: a few
dozen group rows and at most `FIRST_IDS` ids per list, never the partners or registrations
themselves. Nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet

from devcenter.partners.selectors import partner_groups, partner_ids_in_group
from devcenter.policy import Policy, default_policy
from devcenter.policy.diff import (
    Group,
    PolicyDiff,
    RegistrationGroup,
    diff_policies,
    registration_impacts,
)
from devcenter.registrations.choices import RegistrationStatus
from devcenter.registrations.models import Registration

FIRST_IDS = 20  # ids listed per gain, loss, suspension or restoration


def registration_groups() -> dict[RegistrationGroup, int]:
    """Return how many live registrations there are per (partner type, partner status,
    service, suspended now): one grouped query."""
    rows = (
        Registration.objects.filter(deleted_at__isnull=True)
        .order_by()
        .values_list("partner__partner_type", "partner__status", "service", "status")
        .annotate(count=Count("pk"))
    )
    groups: dict[RegistrationGroup, int] = {}
    for partner_type, partner_status, service, status, count in rows:
        key = (partner_type, partner_status, service, status == RegistrationStatus.SUSPENDED)
        groups[key] = groups.get(key, 0) + count
    return groups


def _in_groups(groups: Iterable[RegistrationGroup]) -> QuerySet[Registration]:
    match = Q(pk__in=[])
    for partner_type, partner_status, service, suspended in groups:
        status = Q(status=RegistrationStatus.SUSPENDED)
        match |= Q(
            partner__partner_type=partner_type, partner__status=partner_status, service=service
        ) & (status if suspended else ~status)
    return Registration.objects.filter(match, deleted_at__isnull=True)


def registration_ids_in_groups(*, groups: list[RegistrationGroup], limit: int) -> list[str]:
    """Return the first `limit` public ids (in id order) of the live registrations of `groups`."""
    if not groups:
        return []
    found = _in_groups(groups).order_by("public_id")
    return list(found.values_list("public_id", flat=True)[:limit])


def policy_what_if(new: Policy, *, old: Policy | None = None) -> dict[str, Any]:
    """Return what changes from the active policy (or `old`) to `new`, joined with the
    registry, as plain data (the JSON of `devcenter policy diff --json`)."""
    old = old or default_policy()
    partners = partner_groups()
    diff = diff_policies(old, new, partners)
    registrations = registration_groups()
    moved = registration_impacts(old, new, registrations)

    def registrations_side(found: list[RegistrationGroup]) -> dict[str, Any]:
        return {
            "registrations": sum(registrations[g] for g in found),
            "first_ids": registration_ids_in_groups(groups=found, limit=FIRST_IDS),
        }

    return {
        **_requests(diff),
        "changed": diff.changed,
        "partners": [
            {
                impact.question: impact.code,
                "gain": _partners_side(impact.gains, partners),
                "lose": _partners_side(impact.losses, partners),
            }
            for impact in diff.impacts
        ],
        "registrations": [
            {
                "service": impact.service,
                "suspend": registrations_side(impact.suspended),
                "restore": registrations_side(impact.restored),
            }
            for impact in moved
        ],
    }


def _requests(diff: PolicyDiff) -> dict[str, Any]:
    return {
        "old_version": diff.old_version,
        "new_version": diff.new_version,
        # Changed rules under the running version: a server refuses to start with them
        # (`policy_version_record`), since answers name the policy by its version.
        "needs_new_version": diff.changed and diff.old_version == diff.new_version,
        "requests": {
            kind: [c.as_dict() for c in changes] for kind, changes in diff.changes.items()
        },
    }


def _partners_side(found: list[Group], counts: dict[Group, int]) -> dict[str, Any]:
    ids: list[str] = []
    for partner_type, status in found:
        if len(ids) < FIRST_IDS:
            ids += partner_ids_in_group(
                partner_type=partner_type, status=status, limit=FIRST_IDS - len(ids)
            )
    return {"partners": sum(counts[g] for g in found), "first_ids": ids}
