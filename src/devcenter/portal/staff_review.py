"""The staff review screens, in the portal's look: the queue and one application's review.

For staff whose session passed TOTP only: the staff MFA gate (devcenter.staff.middleware) covers
`/staff/`, and each view asks `staff_refusal` again (anyone else gets a 404, as if the screen
did not exist). The queue shows the open applications by default, oldest first; the review page
shows the company's details beside its documents, one panel with the steps in order and the one
that comes next, the applicant's answer to a request for information, and the audit trail with
names. Every button calls one `devcenter.reviews.services` function; a refusal is shown in
words that name the step to take, never as a code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from devcenter.audit.choices import AuditEventType
from devcenter.audit.selectors import audit_trail
from devcenter.errors import DomainError
from devcenter.partners.mail import person_name
from devcenter.portal.form_state import keep_refused, refused_forms, restore
from devcenter.portal.responses import redirect, render_page
from devcenter.reviews import selectors, services
from devcenter.reviews.choices import ApplicationStatus
from devcenter.reviews.workflow import (
    OPEN_STATUSES,
    REVIEW_STEPS,
    ReviewStep,
    next_review_step,
)
from devcenter.users import staff_refusal

if TYPE_CHECKING:
    from devcenter.reviews.models import CertificationApplication

OPEN, ALL = "open", "all"  # the queue's filters beside the statuses


# ---------------------------------------------------------------- the forms behind the buttons


class NoteForm(forms.Form):
    """The contact made (identity confirmation) or what is missing (needs information)."""

    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class RejectForm(forms.Form):
    """The reason for a rejection, in both languages the applicant may read."""

    reason_ja = forms.CharField(
        label=_("Reason (Japanese)"), widget=forms.Textarea(attrs={"rows": 3, "lang": "ja"})
    )
    reason_en = forms.CharField(
        label=_("Reason (English)"), widget=forms.Textarea(attrs={"rows": 3, "lang": "en"})
    )


class ButtonForm(forms.Form):
    """Start review and approve need nothing but the button."""


@dataclass(frozen=True)
class ReviewAction:
    """One button of the review panel: its form, the service it calls, what it says when done."""

    form_class: type[forms.Form]
    call: Callable[[str, Any, dict[str, Any]], Any]  # (application id, staff, cleaned data)
    done: Any


ACTIONS: dict[str, ReviewAction] = {
    "start_review": ReviewAction(
        ButtonForm,
        lambda app_id, staff, data: services.application_start_review(
            application_id=app_id, acting_user=staff
        ),
        _("The review is started. Next: confirm the applicant's identity."),
    ),
    "confirm_identity": ReviewAction(
        NoteForm,
        lambda app_id, staff, data: services.application_confirm_identity(
            application_id=app_id, acting_user=staff, note=data["note"]
        ),
        _("The identity confirmation is recorded. Next: decide."),
    ),
    "approve": ReviewAction(
        ButtonForm,
        lambda app_id, staff, data: services.application_approve(
            application_id=app_id, acting_user=staff
        ),
        _("The application is approved and the partner is certified."),
    ),
    "reject": ReviewAction(
        RejectForm,
        lambda app_id, staff, data: services.application_reject(
            application_id=app_id,
            acting_user=staff,
            reason_ja=data["reason_ja"],
            reason_en=data["reason_en"],
        ),
        _("The application is rejected; the applicant is told the reason."),
    ),
    "needs_info": ReviewAction(
        NoteForm,
        lambda app_id, staff, data: services.application_request_info(
            application_id=app_id, acting_user=staff, note=data["note"]
        ),
        _("The applicant is asked for the information."),
    ),
}

STEP_TEXT: dict[ReviewStep, tuple[Any, Any]] = {
    ReviewStep.START_REVIEW: (
        _("Start the review"),
        _("Take the application into review: other staff see that you are on it."),
    ),
    ReviewStep.CONFIRM_IDENTITY: (
        _("Confirm the applicant's identity"),
        _(
            "Contact the company (its representative, by the phone number or address on file) "
            "and record how."
        ),
    ),
    ReviewStep.DECIDE: (
        _("Decide"),
        _("Approve, reject with a reason in Japanese and English, or ask for information."),
    ),
    ReviewStep.AWAIT_APPLICANT: (
        _("Waiting for the applicant"),
        _("The applicant was asked for information; the review continues when they answer."),
    ),
    ReviewStep.DECIDED: (_("Decided"), _("Nothing is left to do.")),
}


# ---------------------------------------------------------------- access


def _staff_only(request: HttpRequest) -> Any:
    """Return the staff user whose session passed TOTP; anyone else gets a 404."""
    if staff_refusal(request.user, session=request) is not None:
        raise Http404
    return request.user


def _application(application_id: str, staff: Any) -> CertificationApplication:
    try:
        return selectors.application_for_user(
            acting_user=staff, application_id=application_id, as_staff=True
        )
    except DomainError:
        raise Http404 from None


# ---------------------------------------------------------------- the queue


def _filters() -> list[tuple[str, Any]]:
    return [(OPEN, _("Open")), *ApplicationStatus.choices, (ALL, _("All"))]


def _statuses(chosen: str) -> Iterable[str]:
    if chosen == ALL:
        return ApplicationStatus.values
    if chosen in ApplicationStatus.values:
        return [chosen]
    return OPEN_STATUSES


@require_safe
def review_queue(request: HttpRequest) -> HttpResponse:
    """List the applications to review: the open ones, oldest first, unless filtered."""
    _staff_only(request)
    chosen = request.GET.get("status", OPEN)
    if chosen not in {value for value, _label in _filters()}:
        chosen = OPEN
    entries = [
        {"application": e.application, "age_text": age_text(e.age)}
        for e in selectors.review_queue(statuses=_statuses(chosen))
    ]
    context = {
        "entries": entries,
        "filters": _filters(),
        "chosen": chosen,
        "open_statuses": OPEN_STATUSES,
        "staff_screen": "queue",
    }
    return render_page(request, "portal/staff/queue.html", context)


# ---------------------------------------------------------------- one application


@dataclass(frozen=True)
class TrailRow:
    """One audit event of the application, in words."""

    occurred_at: datetime
    what: str
    who: str


@dataclass(frozen=True)
class PanelStep:
    """One step of the review panel: done, next (with its forms) or still to come."""

    step: ReviewStep
    title: Any
    help: Any
    state: str  # "done", "next" or "todo"


def _trail(application: CertificationApplication, document_ids: set[str]) -> list[TrailRow]:
    ours = {application.public_id, *document_ids}
    events = [e for e in audit_trail(partner=application.partner.public_id) if e.target_id in ours]
    ids = {
        int(e.actor[5:]) for e in events if e.actor.startswith("user:") and e.actor[5:].isdigit()
    }
    users = {u.pk: u for u in get_user_model()._default_manager.filter(pk__in=ids)}

    def who(actor: str) -> str:
        found = users.get(int(actor[5:])) if actor[5:].isdigit() else None
        if found is not None:
            role = _("platform staff") if found.is_staff else _("applicant")
            return f"{person_name(found)} ({role})"
        return str(_("system")) if actor == "system" else str(_("someone no longer registered"))

    return [TrailRow(e.occurred_at, str(e.get_event_type_display()), who(e.actor)) for e in events]


def _answer(application: CertificationApplication, documents: list[Any]) -> dict[str, Any] | None:
    """Return the applicant's answer to the last request for information, if they answered."""
    events = list(
        audit_trail(partner=application.partner.public_id).filter(target_id=application.public_id)
    )
    asked = [e for e in events if e.event_type == AuditEventType.APPLICATION_NEEDS_INFO]
    if not asked:
        return None
    last_ask = asked[-1]
    answered = [
        e
        for e in events
        if e.sequence > last_ask.sequence and e.event_type == AuditEventType.APPLICATION_SUBMITTED
    ]
    return {
        "asked_at": last_ask.occurred_at,
        "question": application.needs_info_note,
        "answered_at": answered[0].occurred_at if answered else None,
        "new_documents": [d for d in documents if d.uploaded_at >= last_ask.occurred_at],
    }


def _panel(application: CertificationApplication) -> tuple[ReviewStep, list[PanelStep]]:
    following = next_review_step(
        application.status, identity_confirmed=application.identity_confirmed_at is not None
    )
    order = list(REVIEW_STEPS)
    at = order.index(following) if following in order else len(order)
    steps = [
        PanelStep(
            step,
            *STEP_TEXT[step],
            "done" if i < at else "next" if i == at else "todo",
        )
        for i, step in enumerate(order)
    ]
    return following, steps


def _forms(request: HttpRequest) -> dict[str, forms.Form]:
    return {
        name: restore(request, f"review_{name}", a.form_class, auto_id=f"{name}_%s")
        for name, a in ACTIONS.items()
    }


def age_text(age: timedelta) -> str:
    """Return how long an application waited, in days (or hours on its first day)."""
    if age.days:
        return str(_("1 day")) if age.days == 1 else _("%(n)d days") % {"n": age.days}
    hours = age.seconds // 3600
    if not hours:
        return str(_("under an hour"))
    return str(_("1 hour")) if hours == 1 else _("%(n)d hours") % {"n": hours}


@require_http_methods(["GET", "HEAD", "POST"])
def review_application(request: HttpRequest, application_id: str) -> HttpResponse:
    """GET: the application's review page. POST: run the pressed button's service, then back
    to the page (post / redirect / get) with a message or the refused form."""
    staff = _staff_only(request)
    application = _application(application_id, staff)
    if request.method == "POST":
        return _run(request, application, staff)
    documents = list(selectors.application_documents(application=application))
    following, steps = _panel(application)
    bound = _forms(request)
    context = {
        "application": application,
        "partner": application.partner,
        "documents": documents,
        "following": following,
        "following_text": STEP_TEXT[following],
        "steps": steps,
        "is_open": application.status in OPEN_STATUSES,
        "answer": _answer(application, documents),
        "trail": _trail(application, {d.public_id for d in documents}),
        "age_text": age_text((application.decided_at or timezone.now()) - application.submitted_at),
        "staff_screen": "application",
        "refused": refused_forms(bound),
        **{f"{name}_form": form for name, form in bound.items()},
    }
    return render_page(request, "portal/staff/application.html", context)


def _run(request: HttpRequest, application: CertificationApplication, staff: Any) -> HttpResponse:
    back = reverse("portal:staff_review", args=[application.public_id])
    name = request.POST.get("action", "")
    action = ACTIONS.get(name)
    if action is None:
        raise Http404
    form = action.form_class(request.POST, auto_id=f"{name}_%s")
    if form.is_valid():
        try:
            action.call(application.public_id, staff, form.cleaned_data)
        except DomainError as error:
            message = error.message(translation.get_language())
            form.add_error(
                error.field if error.field in form.fields else None,
                ValidationError(message, code=error.code),
            )
        else:
            messages.success(request, action.done)
            return redirect(back)
    keep_refused(request, f"review_{name}", form)
    return redirect(back)
