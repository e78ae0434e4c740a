"""Staff pages in the portal's look: the listing queue and the payment-enrolment queue.

Only an active staff user whose session passed TOTP sees them (`devcenter.users.staff_refusal`,
the gate of every staff power): someone logged out is sent to log in, a staff user without
TOTP to activate it, a password-only session to the MFA step, anyone else gets a 404. The queue
shows the open items by default (filters for the rest), oldest first, with the waiting time
frozen at the decision; publish / approve and reject (reasons in Japanese and English) call
the registrations services and redirect (post / redirect / get).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from devcenter.errors import DomainError, NotFoundError
from devcenter.portal.form_state import keep_refused, refused_forms, restore
from devcenter.portal.forms import ConfirmForm, add_domain_error
from devcenter.portal.registration_forms import ReasonsForm
from devcenter.portal.registration_pages import (
    RegistrationScreen,
    listing_queue_statuses,
    registration_row,
    registration_screen_for_staff,
    service_label,
    status_label,
)
from devcenter.portal.responses import redirect, registration_image_response
from devcenter.registrations import clock, payments, services
from devcenter.registrations.choices import PaymentStatus, RegistrationStatus
from devcenter.registrations.selectors import listing_queue as listing_entries
from devcenter.registrations.selectors import payment_get
from devcenter.registrations.selectors import payment_queue as payment_entries
from devcenter.users import (
    ActingUser,
    StaffRefusal,
    acting_user,
    has_active_totp,
    staff_refusal,
)

View = Callable[..., HttpResponseBase]


def _to(urlname: str, request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect(f"{reverse(urlname)}?{urlencode({'next': request.path})}")


def staff_page(view: View) -> View:
    """Let through only active staff whose session passed TOTP (see the module docstring)."""

    @wraps(view)
    def gated(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return _to("account_login", request)
        refusal = staff_refusal(user, session=request)
        if refusal == StaffRefusal.STAFF_ONLY:
            raise Http404
        if refusal is not None:
            if not has_active_totp(user):
                return _to("mfa_activate_totp", request)
            return _to("mfa_reauthenticate", request)
        return view(request, *args, **kwargs)

    return gated


def _lang() -> str:
    return translation.get_language() or "ja"


def _age(start: Any, end: Any) -> str:
    """Return how long an item waited (until `end`, the decision, or now) in words."""
    return _age_words(max((end or clock.now()) - start, timedelta()))


def _age_words(waited: timedelta) -> str:
    """Return a waiting time in words: days, else hours, else minutes."""
    if waited.days:
        return str(_("%(n)s d") % {"n": waited.days})
    hours = waited.seconds // 3600
    if hours:
        return str(_("%(n)s h") % {"n": hours})
    return str(_("%(n)s min") % {"n": waited.seconds // 60})


def _filters(choices: Any, current: str, urlname: str) -> list[dict[str, Any]]:
    base = reverse(urlname)
    return [
        {"label": label, "url": f"{base}?{urlencode({'status': code})}", "current": code == current}
        for code, label in choices
    ]


def _decide(
    request: HttpRequest, form: forms.Form, call: Callable[[], Any], done: Any, back: str
) -> HttpResponse:
    if form.is_valid():
        try:
            call()
        except NotFoundError:
            raise Http404 from None
        except DomainError as error:
            add_domain_error(form, error, _lang())
        else:
            messages.success(request, done)
            return redirect(back)
    keep_refused(request, "decision_form", form)
    return redirect(back)


# ---------------------------------------------------------------- the listing queue


@staff_page
@require_safe
def listing_queue(request: HttpRequest) -> HttpResponse:
    """The listing requests, open ones by default, oldest request first."""
    status = request.GET.get("status") or RegistrationStatus.LISTING_REQUESTED
    if status not in listing_queue_statuses():
        raise Http404
    lang = _lang()
    rows = [
        {
            "row": registration_row(e.registration, lang),
            "partner": e.registration.partner.registration_name,
            "service": service_label(e.registration.service, lang),
            "requested_at": e.registration.listing_requested_at or e.registration.created_at,
            "age": _age_words(e.age),  # frozen at the decision
            "url": reverse("portal:staff_listing_review", args=[e.registration.public_id]),
        }
        for e in listing_entries(status=status)
    ]
    choices = [(code, status_label(code, lang)) for code in listing_queue_statuses()]
    context = {
        "queue": "listing",
        "rows": rows,
        "filters": _filters(choices, status, "portal:staff_listing_queue"),
        "status_label": status_label(status, lang),
    }
    return render(request, "portal/staff/listing_queue.html", context)


@staff_page
@require_safe
def listing_review(request: HttpRequest, registration_id: str) -> HttpResponse:
    """One listing request: the registration, what it misses, and the decision panel."""
    screen = _staff_screen(request, registration_id)
    form = restore(request, "decision_form", ReasonsForm)
    context = {
        "queue": "listing",
        "screen_data": screen,
        "decision_form": form,
        "refused": refused_forms({"decision_form": form}),
        "open": screen.registration.status == RegistrationStatus.LISTING_REQUESTED,
        "back": reverse("portal:staff_listing_queue"),
    }
    return render(request, "portal/staff/listing_review.html", context)


@staff_page
@require_safe
def listing_image(request: HttpRequest, registration_id: str, image_id: int) -> HttpResponseBase:
    """One image of a registration under review, for staff with TOTP."""
    return registration_image_response(_staff_screen(request, registration_id).images, image_id)


def _staff_screen(request: HttpRequest, registration_id: str) -> RegistrationScreen:
    """The registration as staff see it; a 404 when there is none."""
    try:
        return registration_screen_for_staff(
            user=request.user, public_id=registration_id, lang=_lang()
        )
    except NotFoundError:
        raise Http404 from None


def _accept_or_reject(
    request: HttpRequest,
    *,
    decision: str,
    accept: str,
    back: str,
    accepted: Callable[[ActingUser], object],
    rejected: Callable[[ActingUser, dict[str, str]], object],
    done: tuple[Any, Any],
) -> HttpResponse:
    """POST: `accept` (a confirmation) or `reject` (with reasons in ja/en), each through its
    service. GET: back to the review page."""
    if decision not in (accept, "reject"):
        raise Http404
    if request.method != "POST":
        return HttpResponseRedirect(back)
    reviewer = acting_user(request)
    if decision == accept:
        form: forms.Form = ConfirmForm(request.POST)
        return _decide(request, form, lambda: accepted(reviewer), done[0], back)
    form = ReasonsForm(request.POST)
    return _decide(request, form, lambda: rejected(reviewer, form.cleaned_data), done[1], back)


@staff_page
@require_http_methods(["GET", "HEAD", "POST"])
def listing_decide(request: HttpRequest, registration_id: str, decision: str) -> HttpResponse:
    """POST: publish or reject (with reasons). GET: back to the review page."""
    return _accept_or_reject(
        request,
        decision=decision,
        accept="publish",
        back=reverse("portal:staff_listing_review", args=[registration_id]),
        accepted=lambda reviewer: services.listing_publish(
            registration_id=registration_id, acting_user=reviewer
        ),
        rejected=lambda reviewer, reasons: services.listing_reject(
            registration_id=registration_id, acting_user=reviewer, **reasons
        ),
        done=(
            _("The registration is published."),
            _("The listing request is rejected; the partner sees the reason."),
        ),
    )


# ---------------------------------------------------------------- the payment queue


@staff_page
@require_safe
def payment_queue(request: HttpRequest) -> HttpResponse:
    """The payment enrolments, open ones by default, oldest first."""
    status = request.GET.get("status") or PaymentStatus.SUBMITTED
    if status not in PaymentStatus.values:
        raise Http404
    lang = _lang()
    rows = [
        {
            "public_id": p.public_id,
            "name": p.registration.name,
            "partner": p.registration.partner.registration_name,
            "service": service_label(p.registration.service, lang),
            "status": p.status,
            "status_label": PaymentStatus(p.status).label,
            "submitted_at": p.submitted_at,
            "age": _age(p.submitted_at, p.decided_at),
            "url": reverse("portal:staff_payment_review", args=[p.public_id]),
        }
        for p in payment_entries(status=status)
    ]
    context = {
        "queue": "payment",
        "rows": rows,
        "filters": _filters(PaymentStatus.choices, status, "portal:staff_payment_queue"),
        "status_label": PaymentStatus(status).label,
    }
    return render(request, "portal/staff/payment_queue.html", context)


@staff_page
@require_safe
def payment_review(request: HttpRequest, payment_id: str) -> HttpResponse:
    """One payment enrolment: the app, the partner's registered name, the business plan."""
    try:
        enrolment = payment_get(public_id=payment_id)
    except NotFoundError:
        raise Http404 from None
    form = restore(request, "decision_form", ReasonsForm)
    lang = _lang()
    registration = enrolment.registration
    context = {
        "queue": "payment",
        "enrolment": enrolment,
        "row": registration_row(registration, lang),
        "service": service_label(registration.service, lang),
        "status_label": PaymentStatus(enrolment.status).label,
        "age": _age(enrolment.submitted_at, enrolment.decided_at),
        "reason": (enrolment.reason_ja if lang == "ja" else enrolment.reason_en),
        "decision_form": form,
        "refused": refused_forms({"decision_form": form}),
        "open": enrolment.status == PaymentStatus.SUBMITTED,
        "back": reverse("portal:staff_payment_queue"),
    }
    return render(request, "portal/staff/payment_review.html", context)


@staff_page
@require_http_methods(["GET", "HEAD", "POST"])
def payment_decide(request: HttpRequest, payment_id: str, decision: str) -> HttpResponse:
    """POST: approve or reject (with reasons) the business plan. GET: back to the review page."""
    return _accept_or_reject(
        request,
        decision=decision,
        accept="approve",
        back=reverse("portal:staff_payment_review", args=[payment_id]),
        accepted=lambda reviewer: payments.payment_approve(
            payment_id=payment_id, acting_user=reviewer
        ),
        rejected=lambda reviewer, reasons: payments.payment_reject(
            payment_id=payment_id, acting_user=reviewer, **reasons
        ),
        done=(
            _("The business plan is approved: the app's payment is enabled."),
            _("The business plan is rejected; the partner sees the reason."),
        ),
    )
