"""The developer pages: a user's partners, one partner at a glance, and the registration forms.

Thin views: each parses its form, calls one service (a POST) or one selector (a page) and
renders. A service's refusal (`DomainError`) is shown on the form with its code; a partner the
user is not a member of is a 404, as if it did not exist. Every successful POST redirects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from devcenter.errors import DomainError, NotFoundError
from devcenter.partners.services import (
    card_register,
    card_remove,
    member_add,
    member_remove,
    partner_register_corporate_general,
    partner_register_individual,
    test_account_create,
    test_account_delete,
)
from devcenter.portal.dashboard import partner_list, partner_page
from devcenter.portal.forms import (
    SANDBOX_TOKENS,
    CardForm,
    ConfirmForm,
    CorporateDetailsForm,
    DocumentsForm,
    IndividualForm,
    MemberForm,
    NewCertificationForm,
    ResubmitForm,
    TestAccountForm,
    add_domain_error,
)
from devcenter.reviews.services import (
    application_resubmit,
    application_submit_new,
    application_submit_upgrade,
    application_withdraw,
)
from devcenter.users import ActingUser, acting_user

Call = Callable[[Any], Any]
SANDBOX_VERIFIER = "devcenter.partners.cards.SandboxCardVerifier"


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Render a portal page."""
    return render(request, template, context, status=status)


def _submit(request: HttpRequest, form: forms.Form, call: Call, done: Any) -> Any:
    """Call the service with the valid `form`; return its result, or None with the form's errors.

    The refusal's HTTP status is kept on the form (`form.status`) for the re-rendered page. A
    partner the user may not see raises Http404.
    """
    form.status = 422  # type: ignore[attr-defined]
    if not form.is_valid():
        return None
    try:
        result = call(form)
    except NotFoundError as error:
        if error.field is None and error.code == "partner_not_found":
            raise Http404 from None
        return _refused(form, error)
    except DomainError as error:
        return _refused(form, error)
    messages.success(request, done)
    return result


def _refused(form: forms.Form, error: DomainError) -> None:
    add_domain_error(form, error, translation.get_language())
    form.status = error.status  # type: ignore[attr-defined]


def _partner_url(public_id: str) -> str:
    return reverse("portal:partner", args=[public_id])


# ---------------------------------------------------------------- the list and the forms


@login_required
@require_safe
def partners(request: HttpRequest) -> HttpResponse:
    """List the user's partners with links to register more."""
    listing = partner_list(user=request.user, lang=translation.get_language())
    return _page(request, "portal/partners/list.html", {"listing": listing})


def _form_page(
    request: HttpRequest,
    *,
    form_class: type[forms.Form],
    call: Call,
    done: Any,
    template: str,
) -> HttpResponse:
    if request.method != "POST":
        return _page(request, template, {"form": form_class()})
    form = form_class(request.POST, request.FILES)
    result = _submit(request, form, call, done)
    if result is None:
        return _page(request, template, {"form": form}, status=form.status)  # type: ignore[attr-defined]
    return redirect(_partner_url(result.public_id))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def register_corporate(request: HttpRequest) -> HttpResponse:
    """Register a corporate general partner (instant) from the corporation's details."""
    return _form_page(
        request,
        form_class=CorporateDetailsForm,
        call=lambda form: partner_register_corporate_general(
            user=request.user, details=form.details()
        ),
        done=_("The corporate general partner is registered."),
        template="portal/partners/register_corporate.html",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def register_individual(request: HttpRequest) -> HttpResponse:
    """Register the user as an individual partner."""
    return _form_page(
        request,
        form_class=IndividualForm,
        call=lambda form: partner_register_individual(
            user=request.user, registration_name=form.cleaned_data["registration_name"]
        ),
        done=_("You are registered as an individual partner."),
        template="portal/partners/register_individual.html",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def apply_new(request: HttpRequest) -> HttpResponse:
    """Apply for certification directly as a new corporation (details and two documents)."""
    return _form_page(
        request,
        form_class=NewCertificationForm,
        call=lambda form: (
            application_submit_new(
                user=request.user,
                details=form.details(),
                registry_certificate=form.cleaned_data["registry_certificate"],
                application_form=form.cleaned_data["application_form"],
            ).partner
        ),
        done=_("Your certification application is submitted. Staff will contact you."),
        template="portal/partners/apply_new.html",
    )


# ---------------------------------------------------------------- one partner


@login_required
@require_safe
def partner(request: HttpRequest, public_id: str) -> HttpResponse:
    """Show the partner at a glance: entitlements, accounts, card, application, history."""
    return _partner_page(request, public_id)


def _partner_page(
    request: HttpRequest, public_id: str, bound: forms.Form | None = None, name: str = ""
) -> HttpResponse:
    try:
        page = partner_page(user=request.user, public_id=public_id, lang=translation.get_language())
    except NotFoundError:
        raise Http404 from None
    context: dict[str, Any] = {
        "page": page,
        "card_form": CardForm(),
        "test_account_form": TestAccountForm(),
        "documents_form": DocumentsForm(),
        "confirm_form": ConfirmForm(),
        "member_form": MemberForm(),
        "resubmit_form": ResubmitForm(),
        "sandbox_tokens": SANDBOX_TOKENS,
        "sandbox": settings.DEVCENTER_CARD_VERIFIER == SANDBOX_VERIFIER,
    }
    status = 200
    if bound is not None:
        context[name] = bound
        status = getattr(bound, "status", 422)
    return _page(request, "portal/partners/detail.html", context, status=status)


@dataclass(frozen=True)
class PartnerAction:
    """One form on the partner page: its form, the service it calls, what it says when done,
    the context name of its bound form (to show errors) and the section to return to."""

    form_class: type[forms.Form]
    call: Callable[[ActingUser, str, forms.Form, dict[str, Any]], Any]
    done: Any
    form_name: str
    anchor: str


def _documents(form: forms.Form) -> dict[str, Any]:
    return {
        "registry_certificate": form.cleaned_data["registry_certificate"],
        "application_form": form.cleaned_data["application_form"],
    }


ACTIONS: dict[str, PartnerAction] = {
    "card_add": PartnerAction(
        CardForm,
        lambda user, pid, form, ids: card_register(
            partner_id=pid, token=form.cleaned_data["token"], by=user
        ),
        _("The card is registered."),
        "card_form",
        "card",
    ),
    "card_remove": PartnerAction(
        ConfirmForm,
        lambda user, pid, form, ids: card_remove(partner_id=pid, card_id=ids["card_id"], by=user),
        _("The card is removed."),
        "card_form",
        "card",
    ),
    "test_account_add": PartnerAction(
        TestAccountForm,
        lambda user, pid, form, ids: test_account_create(
            partner_id=pid, display_name=form.cleaned_data["display_name"], by=user
        ),
        _("The test account is created."),
        "test_account_form",
        "test-accounts",
    ),
    "test_account_delete": PartnerAction(
        ConfirmForm,
        lambda user, pid, form, ids: test_account_delete(
            partner_id=pid, account_id=ids["account_id"], by=user
        ),
        _("The test account is deleted."),
        "test_account_form",
        "test-accounts",
    ),
    "apply_upgrade": PartnerAction(
        DocumentsForm,
        lambda user, pid, form, ids: application_submit_upgrade(
            user=user, partner_id=pid, **_documents(form)
        ),
        _("Your certification application is submitted. Staff will contact you."),
        "documents_form",
        "certification",
    ),
    "application_withdraw": PartnerAction(
        ConfirmForm,
        lambda user, pid, form, ids: application_withdraw(
            user=user, application_id=ids["application_id"]
        ),
        _("The application is withdrawn."),
        "withdraw_form",
        "certification",
    ),
    "application_resubmit": PartnerAction(
        ResubmitForm,
        lambda user, pid, form, ids: application_resubmit(
            user=user, application_id=ids["application_id"], **_documents(form)
        ),
        _("Your answer is sent. Staff will review the application again."),
        "resubmit_form",
        "certification",
    ),
    "member_add": PartnerAction(
        MemberForm,
        lambda user, pid, form, ids: member_add(
            partner_id=pid,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            by=user,
        ),
        _("The member is added."),
        "member_form",
        "members",
    ),
}


@login_required
@require_POST
def partner_action(request: HttpRequest, public_id: str, action: str, **ids: Any) -> HttpResponse:
    """Run one of the partner page's forms (`ACTIONS[action]`): redirect back to its section,
    or show the page again with the refusal at the form."""
    spec = ACTIONS[action]
    user = acting_user(request)
    form = spec.form_class(request.POST, request.FILES)
    if _submit(request, form, lambda f: spec.call(user, public_id, f, ids), spec.done) is None:
        return _partner_page(request, public_id, form, spec.form_name)
    return redirect(f"{_partner_url(public_id)}#{spec.anchor}")


@login_required
@require_POST
def member_remove_view(request: HttpRequest, public_id: str, user_id: int) -> HttpResponse:
    """Remove a member (owners), or leave the partner (any member)."""
    leaving = user_id == request.user.pk
    form = ConfirmForm(request.POST)
    done = _("You have left the partner.") if leaving else _("The member is removed.")

    def remove(form: forms.Form) -> str:
        member_remove(partner_id=public_id, user_id=user_id, by=acting_user(request))
        return public_id  # `_submit` takes None for a refusal

    if _submit(request, form, remove, done) is None:
        return _partner_page(request, public_id, form, "member_remove_form")
    if leaving:
        return redirect("portal:partners")  # the partner is no longer theirs to see
    return redirect(f"{_partner_url(public_id)}#members")
