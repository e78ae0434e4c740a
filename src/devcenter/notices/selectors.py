"""Reads of notices: a person's inbox, its unread count, the language they read in."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from devcenter.notices.models import LanguagePreference, Notice


def notices_of_user(*, user: Any, unread_only: bool = False) -> QuerySet[Notice]:
    """Return the notices sent to `user`, newest first, with their partners."""
    found = Notice.objects.filter(recipient=user).select_related("partner")
    if unread_only:
        found = found.filter(read_at__isnull=True)
    return found.order_by("-created_at", "-pk")


def unread_notice_count(*, user: Any) -> int:
    """Return how many of `user`'s notices are unread (0 for an anonymous user)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def notice_language(*, user: Any) -> str | None:
    """Return the language `user` last chose in the portal, or None if they never chose."""
    return LanguagePreference.objects.filter(user=user).values_list("language", flat=True).first()


def notices_page(
    *, user: Any, unread_only: bool, before: tuple[Any, int] | None, limit: int
) -> list[Notice]:
    """Return up to `limit` of `user`'s notices, newest first, older than `before` (the
    `(created_at, pk)` of the last notice of the previous page; None: from the newest)."""
    found = notices_of_user(user=user, unread_only=unread_only)
    if before is not None:
        created_at, pk = before
        found = found.filter(Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=pk))
    return list(found[:limit])
