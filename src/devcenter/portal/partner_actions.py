"""The actions of a partner's screens, as a table: each names its form, the service it calls,
what it says when done, the name its refused form is kept under and its screen. A POST runs one
and redirects to its screen (post / redirect / get); a GET of a destructive action's URL is its
confirmation page (portal.confirmations), any other GET goes back to the screen, so a reload never
meets a 405.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from devcenter.partners.invitations import (
    invitation_cancel,
    invitation_create,
    invitation_resend,
)
from devcenter.partners.services import (
    card_register,
    card_remove,
    member_remove,
    test_account_create,
    test_account_delete,
)
from devcenter.portal.confirmations import CONFIRMATIONS
from devcenter.portal.form_state import keep_refused
from devcenter.portal.forms import (
    CardForm,
    ConfirmForm,
    DocumentsForm,
    MemberForm,
    ResubmitForm,
    TestAccountForm,
)
from devcenter.portal.responses import load_partner, partner_url, redirect, render_page, submit
from devcenter.reviews.services import (
    application_resubmit,
    application_submit_upgrade,
    application_withdraw,
)
from devcenter.users import ActingUser, acting_user


@dataclass(frozen=True)
class PartnerAction:
    """One form of a partner screen: its form, the service it calls, what it says when done,
    the name its refused form is kept under and the screen it belongs to."""

    form_class: type[forms.Form]
    call: Callable[[ActingUser, str, forms.Form, dict[str, Any]], Any]
    done: Any
    form_name: str
    screen: str


def _documents(form: forms.Form) -> dict[str, Any]:
    return {
        "registry_certificate": form.cleaned_data["registry_certificate"],
        "application_form": form.cleaned_data["application_form"],
    }


def _member_remove(user: ActingUser, pid: str, form: forms.Form, ids: dict[str, Any]) -> str:
    member_remove(partner_id=pid, user_id=ids["user_id"], acting_user=user)
    return pid  # `_submit` takes None for a refusal


ACTIONS: dict[str, PartnerAction] = {
    "card_add": PartnerAction(
        CardForm,
        lambda user, pid, form, ids: card_register(
            partner_id=pid, token=form.cleaned_data["token"], acting_user=user
        ),
        _("The card is registered."),
        "card_form",
        "card",
    ),
    "card_remove": PartnerAction(
        ConfirmForm,
        lambda user, pid, form, ids: card_remove(
            partner_id=pid, card_id=ids["card_id"], acting_user=user
        ),
        _("The card is removed."),
        "confirm_form",
        "card",
    ),
    "test_account_add": PartnerAction(
        TestAccountForm,
        lambda user, pid, form, ids: test_account_create(
            partner_id=pid, display_name=form.cleaned_data["display_name"], acting_user=user
        ),
        _("The test account is created."),
        "test_account_form",
        "accounts",
    ),
    "test_account_delete": PartnerAction(
        ConfirmForm,
        lambda user, pid, form, ids: test_account_delete(
            partner_id=pid, account_id=ids["account_id"], acting_user=user
        ),
        _("The test account is deleted."),
        "confirm_form",
        "accounts",
    ),
    "apply_upgrade": PartnerAction(
        DocumentsForm,
        lambda user, pid, form, ids: application_submit_upgrade(
            acting_user=user, partner_id=pid, **_documents(form)
        ),
        _("Your certification application is submitted. Staff will contact you."),
        "documents_form",
        "certification",
    ),
    "application_withdraw": PartnerAction(
        ConfirmForm,
        lambda user, pid, form, ids: application_withdraw(
            acting_user=user, application_id=ids["application_id"]
        ),
        _("The application is withdrawn."),
        "confirm_form",
        "certification",
    ),
    "application_resubmit": PartnerAction(
        ResubmitForm,
        lambda user, pid, form, ids: application_resubmit(
            acting_user=user, application_id=ids["application_id"], **_documents(form)
        ),
        _("Your answer is sent. Staff will review the application again."),
        "resubmit_form",
        "certification",
    ),
    "member_add": PartnerAction(
        MemberForm,
        lambda user, pid, form, ids: invitation_create(
            partner_id=pid,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            acting_user=user,
        ),
        _("The invitation is sent. The person becomes a member once they accept it."),
        "member_form",
        "members",
    ),
    "invitation_resend": PartnerAction(
        ConfirmForm,
        lambda user, pid, form, ids: invitation_resend(
            partner_id=pid, invitation_id=ids["invitation_id"], acting_user=user
        ),
        _("The invitation is sent again, valid for another 7 days."),
        "confirm_form",
        "members",
    ),
    "invitation_cancel": PartnerAction(
        ConfirmForm,
        lambda user, pid, form, ids: invitation_cancel(
            partner_id=pid, invitation_id=ids["invitation_id"], acting_user=user
        ),
        _("The invitation is cancelled: its link no longer works."),
        "confirm_form",
        "members",
    ),
    "member_remove": PartnerAction(
        ConfirmForm, _member_remove, _("The member is removed."), "confirm_form", "members"
    ),
}


def run_action(
    request: HttpRequest, public_id: str, action: str, ids: dict[str, Any]
) -> HttpResponse:
    """Run `ACTIONS[action]` and redirect to its screen: with a message, or with the refused
    form kept for that screen to show."""
    spec = ACTIONS[action]
    user = acting_user(request)
    form = spec.form_class(request.POST, request.FILES)
    leaving = action == "member_remove" and ids.get("user_id") == request.user.pk
    done = _("You have left the partner.") if leaving else spec.done
    if submit(request, form, lambda f: spec.call(user, public_id, f, ids), done) is None:
        keep_refused(request, spec.form_name, form)
        return redirect(partner_url(public_id, spec.screen))
    if leaving:
        return redirect(reverse("portal:partners"))  # the partner is no longer theirs to see
    return redirect(partner_url(public_id, spec.screen))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def partner_action(request: HttpRequest, public_id: str, action: str, **ids: Any) -> HttpResponse:
    """POST: run one of the screens' actions. GET: a destructive action's confirmation page,
    or the action's screen (a reload or a shared link never meets a 405)."""
    if request.method == "POST":
        return run_action(request, public_id, action, ids)
    confirm = CONFIRMATIONS.get(action)
    if confirm is None:
        load_partner(request, public_id)  # a stranger still gets the 404
        return HttpResponseRedirect(partner_url(public_id, ACTIONS[action].screen))
    page = load_partner(request, public_id)
    context = confirm(page, ids, translation.get_language())
    context |= {"page": page, "screen": ACTIONS[action].screen, "confirm_form": ConfirmForm()}
    context["cancel_url"] = partner_url(public_id, ACTIONS[action].screen)
    return render_page(request, "portal/partners/confirm.html", context)
