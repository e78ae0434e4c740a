"""Template filters for running text in the active language."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.conf import settings
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def and_list(items: Iterable[object]) -> str:
    """Return `items` as one phrase: "A", "A and B", "A, B and C" (in Japanese: "A、B および C")."""
    words = [str(item) for item in items]
    if len(words) < 2:
        return "".join(words)
    return _("%(items)s and %(last)s") % {"items": _(", ").join(words[:-1]), "last": words[-1]}


@register.simple_tag
def support_email() -> str:
    """Return the address people write to for support (the sender of the site's e-mails)."""
    return str(settings.DEFAULT_FROM_EMAIL)
