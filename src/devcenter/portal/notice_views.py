"""The notices inbox: a person's notices, newest first, read or unread, in the page's language;
mark one or all read (post / redirect / get).

Thin views: the notices app words each notice (`devcenter.notices.wording`) and keeps who read
what; the header shows the unread count (`notice_tags.unread_notices`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from devcenter.errors import NotFoundError
from devcenter.notices.choices import NoticeKind
from devcenter.notices.selectors import notices_of_user, unread_notice_count
from devcenter.notices.services import notice_mark_read, notices_mark_all_read
from devcenter.notices.wording import CardExpiryWords, card_expiry_words
from devcenter.users import acting_user

NOTICES_SHOWN = 100  # the newest notices the inbox lists
UNREAD = "unread"  # `?show=unread`: only the unread ones


@dataclass(frozen=True, slots=True)
class NoticeRow:
    """One notice as the inbox shows it."""

    public_id: str
    partner_name: str
    created_at: Any
    unread: bool
    card_expiry: CardExpiryWords | None
    url: str  # where to act on it


def _row(notice: Any, lang: str) -> NoticeRow:
    partner = notice.partner
    words = None
    url = reverse("portal:partner", args=[partner.public_id])
    if notice.kind == NoticeKind.CARD_EXPIRING:
        words = card_expiry_words(notice.data, partner_name=partner.registration_name, lang=lang)
        url = reverse("portal:partner_card", args=[partner.public_id])
    return NoticeRow(
        public_id=notice.public_id,
        partner_name=partner.registration_name,
        created_at=notice.created_at,
        unread=notice.read_at is None,
        card_expiry=words,
        url=url,
    )


def _redirect(request: HttpRequest) -> HttpResponse:
    """Back to the inbox (303: a reload never resubmits), keeping the unread filter."""
    to = reverse("portal:notices")
    if request.POST.get("show") == UNREAD or request.GET.get("show") == UNREAD:
        to += f"?show={UNREAD}"
    response = HttpResponseRedirect(to)
    response.status_code = 303
    return response


@login_required
@require_safe
def notices(request: HttpRequest) -> HttpResponse:
    """List the user's notices, newest first (only the unread ones with `?show=unread`)."""
    lang = translation.get_language()
    unread_only = request.GET.get("show") == UNREAD
    found = notices_of_user(user=request.user, unread_only=unread_only)[:NOTICES_SHOWN]
    context = {
        "rows": [_row(notice, lang) for notice in found],
        "unread_only": unread_only,
        "unread_count": unread_notice_count(user=request.user),
    }
    return render(request, "portal/notices.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notice_read(request: HttpRequest, notice_id: str) -> HttpResponse:
    """POST: mark one notice read. GET: the inbox (a reload never meets a 405)."""
    if request.method == "POST":
        try:
            notice_mark_read(notice_id=notice_id, acting_user=acting_user(request))
        except NotFoundError:
            raise Http404 from None
        messages.success(request, _("The notice is marked as read."))
    return _redirect(request)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notices_read_all(request: HttpRequest) -> HttpResponse:
    """POST: mark every notice read. GET: the inbox."""
    if request.method == "POST":
        notices_mark_all_read(acting_user=acting_user(request))
        messages.success(request, _("Every notice is marked as read."))
    return _redirect(request)
