"""Staff console views: the review buttons and the inline document preview.

Both are mounted by the certification-application admin (`get_urls`) behind
`admin_site.admin_view`, and so also behind the staff MFA gate. Each calls one service or
selector of `devcenter.reviews`; no rule is checked here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from devcenter.errors import DomainError
from devcenter.reviews import selectors, services
from devcenter.reviews.documents import document_response
from devcenter.staff.admin_base import call_service
from devcenter.staff.forms import EmptyForm, NoteForm, RejectForm
from devcenter.staff.mfa import staff_refusal


@dataclass(frozen=True)
class ReviewAction:
    """One button on the application page: its label, its form and the service it calls."""

    label: Any
    form: type[forms.Form]
    call: Callable[..., Any]  # (application_id, reviewer, **cleaned_data)
    done: Any


REVIEW_ACTIONS: dict[str, ReviewAction] = {
    "start_review": ReviewAction(
        _("Start review"),
        EmptyForm,
        lambda app_id, user: services.application_start_review(
            application_id=app_id, acting_user=user
        ),
        _("The application is now in review."),
    ),
    "confirm_identity": ReviewAction(
        _("Confirm identity"),
        NoteForm,
        lambda app_id, user, note: services.application_confirm_identity(
            application_id=app_id, acting_user=user, note=note
        ),
        _("The identity confirmation is recorded."),
    ),
    "approve": ReviewAction(
        _("Approve"),
        EmptyForm,
        lambda app_id, user: services.application_approve(application_id=app_id, acting_user=user),
        _("The application is approved and the partner certified."),
    ),
    "reject": ReviewAction(
        _("Reject"),
        RejectForm,
        lambda app_id, user, reason_ja, reason_en: services.application_reject(
            application_id=app_id, acting_user=user, reason_ja=reason_ja, reason_en=reason_en
        ),
        _("The application is rejected."),
    ),
    "needs_info": ReviewAction(
        _("Ask for information"),
        NoteForm,
        lambda app_id, user, note: services.application_request_info(
            application_id=app_id, acting_user=user, note=note
        ),
        _("The applicant is asked for more information."),
    ),
}


@require_POST
def application_review_action(request: HttpRequest, object_id: str, action: str) -> HttpResponse:
    """Run one review action on the application, then go back to its page with a message."""
    application = selectors.application_get(pk=object_id)
    if application is None:
        raise Http404
    review_action = REVIEW_ACTIONS.get(action)
    if review_action is None:
        raise Http404
    form = review_action.form(request.POST)
    back = reverse("admin:reviews_certificationapplication_change", args=[application.pk])
    if not form.is_valid():
        messages.error(request, _("Fill in every field of the form."))
        return HttpResponseRedirect(back)
    call_service(
        request,
        lambda: review_action.call(application.public_id, request.user, **form.cleaned_data),
        success=str(review_action.done),
    )
    return HttpResponseRedirect(back)


@xframe_options_sameorigin  # shown in an <iframe> on the application page
def document_preview(request: HttpRequest, document_id: str) -> FileResponse:
    """Stream a document inline to staff with TOTP, as its detected content type; else 404."""
    user = request.user
    if not (user.is_authenticated and user.is_staff) or staff_refusal(user, session=request):
        raise Http404
    try:
        document = selectors.document_for_user(
            acting_user=user, document_id=document_id, as_staff=True
        )
        handle = selectors.document_open(document)
    except DomainError as error:
        raise Http404(error.code) from error
    return document_response(
        handle,
        content_type=document.content_type,
        filename=document.original_name or document.public_id,
        inline=True,
    )
