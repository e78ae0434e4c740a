"""E-mails about a partner's members (sent on commit, in Japanese and English)."""

from __future__ import annotations

from django.urls import reverse

from devcenter.partners.mail import absolute_url, in_both, person_name, send_branded
from devcenter.partners.models import MemberRole, Membership


def notify_member_added(membership_pk: int) -> None:
    """Tell a user they were added to a partner, with their role and a link to it."""
    membership = (
        Membership.objects.select_related("partner", "user").filter(pk=membership_pk).first()
    )
    if membership is None or not membership.user.email:
        return
    partner = membership.partner
    role_ja, role_en = in_both(MemberRole(membership.role).label)
    send_branded(
        to=membership.user.email,
        name=person_name(membership.user),
        template="member_added",
        subject=("パートナーのメンバーに追加されました", "You were added to a partner"),
        context={
            "partner": partner.registration_name,
            "role_ja": role_ja,
            "role_en": role_en,
            "link": absolute_url(reverse("portal:partner", args=[partner.public_id])),
        },
    )
