"""E-mails about a partner's members (sent on commit, in Japanese and English)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail

from devcenter.partners.models import MemberRole, Membership

_ROLES: dict[str, tuple[str, str]] = {
    MemberRole.OWNER: ("オーナー", "an owner"),
    MemberRole.DEVELOPER: ("開発者", "a developer"),
}


def notify_member_added(membership_pk: int) -> None:
    """Tell a user they were added to a partner, with their role and where to find it."""
    membership = (
        Membership.objects.select_related("partner", "user").filter(pk=membership_pk).first()
    )
    if membership is None or not membership.user.email:
        return
    partner = membership.partner
    role_ja, role_en = _ROLES.get(membership.role, (membership.role, membership.role))
    send_mail(
        subject=("[devcenter] パートナーのメンバーに追加されました / You were added to a partner"),
        message=(
            f"{partner.registration_name}（{partner.public_id}）に{role_ja}として追加されました。"
            f"\nDeveloper Center の「パートナー」(/partners/{partner.public_id}/) から"
            "ご確認いただけます。"
            "\n\n----\n\n"
            f"You were added to {partner.registration_name} ({partner.public_id}) as {role_en}."
            f"\nSee it under Partners in the Developer Center (/partners/{partner.public_id}/).\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[membership.user.email],
    )
