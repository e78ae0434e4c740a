"""The header's count of unread notices."""

from __future__ import annotations

from typing import Any

from django import template

from devcenter.notices.selectors import unread_notice_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notices(context: dict[str, Any]) -> int:
    """Return how many notices the signed-in user has not read (0 when signed out)."""
    request = context.get("request")
    return unread_notice_count(user=getattr(request, "user", None))
