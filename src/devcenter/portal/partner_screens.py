"""One partner's screens (home, services, accounts, certification, card, members, API keys,
history, settings). A screen's GET shows it with any refused form kept in the session; its own
form POSTs to the screen's URL and runs the matching action (partner_actions). Also the
partner's filled-in application form (申込書) and the member's API keys.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from devcenter.apikeys.errors import ApiKeyError
from devcenter.notices.scheduled import scheduled_changes
from devcenter.portal.api_keys import (
    NEW_KEY_SESSION,
    ApiKeyForm,
    member_api_key_create,
    member_api_key_revoke,
    member_api_keys,
    refusal_text,
)
from devcenter.portal.application_form import application_form_pdf
from devcenter.portal.dashboard import partner_history
from devcenter.portal.form_state import keep_refused, refused_forms, restore
from devcenter.portal.forms import (
    SANDBOX_TOKENS,
    CardForm,
    ConfirmForm,
    DocumentsForm,
    MemberForm,
    ResubmitForm,
    TestAccountForm,
)
from devcenter.portal.partner_actions import run_action
from devcenter.portal.responses import load_partner, partner_url, redirect, render_page
from devcenter.users import acting_user

SANDBOX_VERIFIER = "devcenter.partners.cards.SandboxCardVerifier"


# The forms a partner's screens show, by name: a refused one comes back from the session.
SCREEN_FORMS: dict[str, type[forms.Form]] = {
    "card_form": CardForm,
    "test_account_form": TestAccountForm,
    "documents_form": DocumentsForm,
    "resubmit_form": ResubmitForm,
    "member_form": MemberForm,
    "confirm_form": ConfirmForm,  # the confirmation buttons' refusals (remove, delete, leave)
}


def _screen(request: HttpRequest, public_id: str, screen: str) -> HttpResponse:
    page = load_partner(request, public_id)
    bound = {name: restore(request, name, form_class) for name, form_class in SCREEN_FORMS.items()}
    context: dict[str, Any] = {
        "page": page,
        "screen": screen,
        **bound,
        "refused": refused_forms(bound),
        "sandbox_tokens": SANDBOX_TOKENS,
        "sandbox": settings.DEVCENTER_CARD_VERIFIER == SANDBOX_VERIFIER,
    }
    if screen == "history":
        context["history"] = partner_history(partner=page.partner, lang=translation.get_language())
    if screen == "home":
        context["scheduled"] = scheduled_changes(
            partner=page.partner, lang=translation.get_language()
        )
    return render_page(request, f"portal/partners/{screen}.html", context)


@login_required
@require_safe
def partner(request: HttpRequest, public_id: str) -> HttpResponse:
    """Show the partner's home: its type, status, and the next steps to take."""
    return _screen(request, public_id, "home")


def screen_view(screen: str, action: str | None = None) -> Callable[..., HttpResponse]:
    """Return the view of one partner screen: GET shows it, POST runs its form's action."""

    @login_required
    @require_http_methods(["GET", "HEAD", "POST"])
    def view(request: HttpRequest, public_id: str) -> HttpResponse:
        if request.method == "POST" and action is not None:
            return run_action(request, public_id, action, {})
        if request.method == "POST":
            return HttpResponse(status=405)
        return _screen(request, public_id, screen)

    view.__name__ = f"partner_{screen}"
    view.__doc__ = f"The partner's {screen} screen."
    return view


# ---------------------------------------------------------------- the application form (申込書)


@login_required
@require_safe
def application_form_download(request: HttpRequest, public_id: str) -> HttpResponse:
    """Download the application form (申込書) filled in with the partner's details, to sign,
    seal and upload with the commercial registry certificate."""
    page = load_partner(request, public_id)
    pdf = application_form_pdf(page.partner, lang=translation.get_language())
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"application-form-{page.partner.public_id}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---------------------------------------------------------------- the member's API keys


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def partner_api_keys(request: HttpRequest, public_id: str) -> HttpResponse:
    """GET: the member's API keys (a new one shown once). POST: create a key with a name."""
    screen = partner_url(public_id, "api_keys")
    if request.method == "POST":
        load_partner(request, public_id)  # a stranger gets the 404
        form = ApiKeyForm(request.POST)
        if form.is_valid():
            try:
                raw = member_api_key_create(
                    acting_user=acting_user(request), name=form.cleaned_data["name"]
                )
            except ApiKeyError as error:
                form.add_error("name", ValidationError(refusal_text(error), code=error.code))
            else:
                request.session[NEW_KEY_SESSION] = raw
                messages.success(request, _("The API key is created. Copy it now."))
                return redirect(screen)
        keep_refused(request, "api_key_form", form)
        return redirect(screen)
    page = load_partner(request, public_id)
    form = restore(request, "api_key_form", ApiKeyForm)
    context = {
        "page": page,
        "screen": "api_keys",
        "api_key_form": form,
        "refused": refused_forms({"api_key_form": form}),
        "new_key": request.session.pop(NEW_KEY_SESSION, None),
        "keys": member_api_keys(acting_user=acting_user(request)),
        "docs_url": reverse("portal:api_docs"),
    }
    response = render_page(request, "portal/partners/api_keys.html", context)
    response["Cache-Control"] = "no-store"  # the new key must not linger in a cache
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def partner_api_key_revoke(request: HttpRequest, public_id: str) -> HttpResponse:
    """POST: revoke one of the member's keys by its name. GET: back to the keys."""
    screen = partner_url(public_id, "api_keys")
    load_partner(request, public_id)
    if request.method == "POST":
        try:
            member_api_key_revoke(
                acting_user=acting_user(request), name=request.POST.get("name", "")
            )
        except ApiKeyError as error:
            messages.error(request, refusal_text(error))
        else:
            messages.success(request, _("The API key is revoked."))
    return redirect(screen)
