"""Template tags of the registration pages: what a partner change would suspend, and the
registrations a user operates (shown with the user's partners)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import translation

from devcenter.portal.registration_pages import RegistrationRow, registration_row
from devcenter.registrations.selectors import registration_impact, registrations_operated_by

register = template.Library()
SUSPEND = "suspend"  # the impact selector's effect


@register.simple_tag(takes_context=True)
def registrations_suspended_by(
    context: dict[str, Any], page: Any, loss: Any
) -> tuple[RegistrationRow, ...]:
    """Return the partner's registrations that moving to `loss.to_type` would suspend, as the
    registrations selectors answer it (nothing is written)."""
    if page is None or loss is None or not getattr(loss, "to_type", None):
        return ()
    rows = registration_impact(
        partner_id=page.partner.public_id,
        viewer=context["request"].user,
        to_type=loss.to_type,
        to_status=None,
    )
    lang = translation.get_language() or "ja"
    return tuple(registration_row(r.registration, lang) for r in rows if r.effect == SUSPEND)


@register.simple_tag(takes_context=True)
def registrations_operated(context: dict[str, Any]) -> tuple[RegistrationRow, ...]:
    """Return the registrations the signed-in user operates (rights on one registration)."""
    user = context["request"].user
    if not user.is_authenticated:
        return ()
    lang = translation.get_language() or "ja"
    return tuple(registration_row(r, lang) for r in registrations_operated_by(user=user))
