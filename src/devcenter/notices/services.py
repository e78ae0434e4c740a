"""Writes of notices: create one (inside the sweep's transaction), mark read, and remember the
language a person reads in.

Marking a notice read changes only what its reader sees: it is not a change of the partner
registry, so it is not audited (the audit log records what happened to partners).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction

from devcenter.errors import NotFoundError
from devcenter.notices import clock
from devcenter.notices.choices import NoticeKind
from devcenter.notices.errors import NoticeErrorCode, notice_error
from devcenter.notices.models import LanguagePreference, Notice
from devcenter.public_ids import new_public_id
from devcenter.users import ActingUser

if TYPE_CHECKING:
    from devcenter.partners.models import Partner


def notice_create(
    *, recipient: Any, partner: Partner, kind: NoticeKind, data: dict[str, Any]
) -> Notice:
    """Write one unread notice; call inside the transaction of what it tells about."""
    return Notice.objects.create(
        public_id=new_public_id("ntc"),
        recipient=recipient,
        partner=partner,
        kind=kind,
        data=data,
        created_at=clock.now(),
    )


@transaction.atomic
def notice_mark_read(*, notice_id: str, acting_user: ActingUser) -> Notice:
    """Mark one of the acting user's notices read (again: no change).

    Refuses `notice_not_found` (404), also for someone else's notice.
    """
    notice = (
        Notice.objects.select_for_update()
        .filter(public_id=notice_id, recipient=acting_user)
        .first()
    )
    if notice is None:
        raise notice_error(NotFoundError, NoticeErrorCode.NOTICE_NOT_FOUND)
    if notice.read_at is None:
        notice.read_at = clock.now()
        notice.save(update_fields=["read_at"])
    return notice


@transaction.atomic
def notices_mark_all_read(*, acting_user: ActingUser) -> int:
    """Mark every unread notice of the acting user read; return how many."""
    return Notice.objects.filter(recipient=acting_user, read_at__isnull=True).update(
        read_at=clock.now()
    )


@transaction.atomic
def language_preference_set(*, acting_user: ActingUser, language: str) -> None:
    """Remember `language` (one of `settings.LANGUAGES`) as the acting user's."""
    if language not in dict(settings.LANGUAGES):
        return
    LanguagePreference.objects.update_or_create(user=acting_user, defaults={"language": language})
