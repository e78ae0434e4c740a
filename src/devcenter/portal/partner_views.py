"""The developer pages: a user's partners, one partner's screens, and the registration forms.

Thin views: each parses its form, calls one service (a POST) or one selector (a page) and
renders. Every POST redirects (post / redirect / get): on success to its screen with a message,
on a refusal to the same screen, which shows the refused form again (kept in the session by
`form_state`) with the error at its field and summed up at the top. A destructive or downgrading
action is asked for on a confirmation page (GET) that says what will be lost, and done by its
POST. A partner the user is not a member of is a 404, as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from devcenter.apikeys.errors import ApiKeyError
from devcenter.errors import DomainError, NotFoundError
from devcenter.partners.invitations import (
    invitation_accept,
    invitation_by_token,
    invitation_cancel,
    invitation_check,
    invitation_create,
    invitation_resend,
)
from devcenter.partners.services import (
    card_register,
    card_remove,
    member_remove,
    partner_register_corporate_general,
    partner_register_individual,
    test_account_create,
    test_account_delete,
)
from devcenter.policy import default_policy
from devcenter.portal.api_keys import (
    NEW_KEY_SESSION,
    ApiKeyForm,
    member_api_key_create,
    member_api_key_revoke,
    member_api_keys,
    refusal_text,
)
from devcenter.portal.application_form import application_form_pdf
from devcenter.portal.dashboard import PartnerPage, partner_history, partner_list, partner_page
from devcenter.portal.form_state import keep_refused, refused_forms, restore
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
from devcenter.portal.losses import loss_on_card_removal
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


def redirect(to: str) -> HttpResponse:
    """Answer a POST with 303 See Other: the browser GETs `to`, and a reload never resubmits."""
    response = HttpResponseRedirect(to)
    response.status_code = 303
    return response


def _submit(request: HttpRequest, form: forms.Form, call: Call, done: Any) -> Any:
    """Call the service with the valid `form`; return its result, or None with the form's errors.

    A partner the user may not see raises Http404.
    """
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


def _partner_url(public_id: str, screen: str = "") -> str:
    name = f"portal:partner_{screen}" if screen and screen != "home" else "portal:partner"
    return reverse(name, args=[public_id])


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
    name = template.rsplit("/", 1)[-1].removesuffix(".html")
    if request.method != "POST":
        form = restore(request, name, form_class)
        return _page(request, template, {"form": form, "refused": refused_forms({name: form})})
    form = form_class(request.POST, request.FILES)
    result = _submit(request, form, call, done)
    if result is None:
        keep_refused(request, name, form)
        return redirect(request.path)
    return redirect(_partner_url(result.public_id))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def register_corporate(request: HttpRequest) -> HttpResponse:
    """Register a corporate general partner (instant) from the corporation's details."""
    return _form_page(
        request,
        form_class=CorporateDetailsForm,
        call=lambda form: partner_register_corporate_general(
            acting_user=acting_user(request), details=form.details()
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
            acting_user=acting_user(request),
            registration_name=form.cleaned_data["registration_name"],
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
                acting_user=acting_user(request),
                details=form.details(),
                registry_certificate=form.cleaned_data["registry_certificate"],
                application_form=form.cleaned_data["application_form"],
            ).partner
        ),
        done=_("Your certification application is submitted. Staff will contact you."),
        template="portal/partners/apply_new.html",
    )


# ---------------------------------------------------------------- one partner's screens

# The forms a partner's screens show, by name: a refused one comes back from the session.
SCREEN_FORMS: dict[str, type[forms.Form]] = {
    "card_form": CardForm,
    "test_account_form": TestAccountForm,
    "documents_form": DocumentsForm,
    "resubmit_form": ResubmitForm,
    "member_form": MemberForm,
    "confirm_form": ConfirmForm,  # the confirmation buttons' refusals (remove, delete, leave)
}


def _load(request: HttpRequest, public_id: str) -> PartnerPage:
    try:
        return partner_page(user=request.user, public_id=public_id, lang=translation.get_language())
    except NotFoundError:
        raise Http404 from None


def _screen(request: HttpRequest, public_id: str, screen: str) -> HttpResponse:
    page = _load(request, public_id)
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
    return _page(request, f"portal/partners/{screen}.html", context)


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
            return _run(request, public_id, action, {})
        if request.method == "POST":
            return HttpResponse(status=405)
        return _screen(request, public_id, screen)

    view.__name__ = f"partner_{screen}"
    view.__doc__ = f"The partner's {screen} screen."
    return view


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


def _run(request: HttpRequest, public_id: str, action: str, ids: dict[str, Any]) -> HttpResponse:
    """Run `ACTIONS[action]` and redirect to its screen: with a message, or with the refused
    form kept for that screen to show."""
    spec = ACTIONS[action]
    user = acting_user(request)
    form = spec.form_class(request.POST, request.FILES)
    leaving = action == "member_remove" and ids.get("user_id") == request.user.pk
    done = _("You have left the partner.") if leaving else spec.done
    if _submit(request, form, lambda f: spec.call(user, public_id, f, ids), done) is None:
        keep_refused(request, spec.form_name, form)
        return redirect(_partner_url(public_id, spec.screen))
    if leaving:
        return redirect(reverse("portal:partners"))  # the partner is no longer theirs to see
    return redirect(_partner_url(public_id, spec.screen))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def partner_action(request: HttpRequest, public_id: str, action: str, **ids: Any) -> HttpResponse:
    """POST: run one of the screens' actions. GET: a destructive action's confirmation page,
    or the action's screen (a reload or a shared link never meets a 405)."""
    if request.method == "POST":
        return _run(request, public_id, action, ids)
    confirm = CONFIRMATIONS.get(action)
    if confirm is None:
        _load(request, public_id)  # a stranger still gets the 404
        return HttpResponseRedirect(_partner_url(public_id, ACTIONS[action].screen))
    page = _load(request, public_id)
    context = confirm(page, ids, translation.get_language())
    context |= {"page": page, "screen": ACTIONS[action].screen, "confirm_form": ConfirmForm()}
    context["cancel_url"] = _partner_url(public_id, ACTIONS[action].screen)
    return _page(request, "portal/partners/confirm.html", context)


# ---------------------------------------------------------------- confirmations


def _confirm_card_remove(page: PartnerPage, ids: dict[str, Any], lang: str) -> dict[str, Any]:
    if page.card is None or page.card.public_id != ids["card_id"] or not page.can["card_remove"]:
        raise Http404
    loss = loss_on_card_removal(default_policy(), page.partner.partner_type, lang)
    return {
        "title": _("Remove the card?"),
        "lead": _("The card %(brand)s ending in %(last4)s is removed from this partner.")
        % {"brand": page.card.brand, "last4": page.card.last4},
        "loss": loss,
        "button": _("Remove the card"),
        "danger": True,
    }


def _confirm_test_account_delete(
    page: PartnerPage, ids: dict[str, Any], lang: str
) -> dict[str, Any]:
    account = next((a for a in page.test_accounts if a.public_id == ids["account_id"]), None)
    if account is None:
        raise Http404
    return {
        "title": _("Delete the test account?"),
        "lead": _("The test account “%(name)s” is deleted and can no longer sign in.")
        % {"name": account.display_name},
        "lost": [_("The test account and its use in your apps' tests.")],
        "button": _("Delete the test account"),
        "danger": True,
    }


def _confirm_member_remove(page: PartnerPage, ids: dict[str, Any], lang: str) -> dict[str, Any]:
    member = next((m for m in page.members if m.user_id == ids["user_id"]), None)
    if member is None or not member.removable:
        raise Http404
    name = page.partner.registration_name
    if member.is_viewer:
        return {
            "title": _("Leave %(partner)s?") % {"partner": name},
            "lead": _("You will no longer see this partner or act for it."),
            "lost": [_("An owner has to add you again to undo this.")],
            "button": _("Leave the partner"),
            "danger": True,
        }
    return {
        "title": _("Remove %(email)s?") % {"email": member.email},
        "lead": _("%(email)s will no longer see %(partner)s or act for it.")
        % {"email": member.email, "partner": name},
        "lost": [_("Their role: %(role)s.") % {"role": member.role_label}],
        "button": _("Remove the member"),
        "danger": True,
    }


def _confirm_withdraw(page: PartnerPage, ids: dict[str, Any], lang: str) -> dict[str, Any]:
    view = page.latest_application
    if view is None or view.application.public_id != ids["application_id"]:
        raise Http404
    return {
        "title": _("Withdraw the application?"),
        "lead": _("Staff stop reviewing it; to be certified you apply again with both documents."),
        "lost": [_("The application and its place in the review queue.")],
        "button": _("Withdraw the application"),
        "danger": True,
    }


CONFIRMATIONS: dict[str, Callable[[PartnerPage, dict[str, Any], str], dict[str, Any]]] = {
    "card_remove": _confirm_card_remove,
    "test_account_delete": _confirm_test_account_delete,
    "member_remove": _confirm_member_remove,
    "application_withdraw": _confirm_withdraw,
}


# ---------------------------------------------------------------- the application form (申込書)


@login_required
@require_safe
def application_form_download(request: HttpRequest, public_id: str) -> HttpResponse:
    """Download the application form (申込書) filled in with the partner's details, to sign,
    seal and upload with the commercial registry certificate."""
    page = _load(request, public_id)
    pdf = application_form_pdf(page.partner, lang=translation.get_language())
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"application-form-{page.partner.public_id}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_safe
def application_form_blank(request: HttpRequest) -> HttpResponse:
    """Download a blank application form (申込書), for a corporation not registered yet."""
    response = HttpResponse(application_form_pdf(None, lang=translation.get_language()))
    response["Content-Type"] = "application/pdf"
    response["Content-Disposition"] = 'attachment; filename="application-form.pdf"'
    return response


# ---------------------------------------------------------------- the member's API keys


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def partner_api_keys(request: HttpRequest, public_id: str) -> HttpResponse:
    """GET: the member's API keys (a new one shown once). POST: create a key with a name."""
    screen = _partner_url(public_id, "api_keys")
    if request.method == "POST":
        _load(request, public_id)  # a stranger gets the 404
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
    page = _load(request, public_id)
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
    response = _page(request, "portal/partners/api_keys.html", context)
    response["Cache-Control"] = "no-store"  # the new key must not linger in a cache
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def partner_api_key_revoke(request: HttpRequest, public_id: str) -> HttpResponse:
    """POST: revoke one of the member's keys by its name. GET: back to the keys."""
    screen = _partner_url(public_id, "api_keys")
    _load(request, public_id)
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


# ---------------------------------------------------------------- accepting an invitation


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """GET: the invitation (whose partner, which role, until when) and an accept button, or why
    it cannot be accepted. POST: accept it and open the partner."""
    try:
        found = invitation_by_token(token=token)
    except NotFoundError:
        raise Http404 from None
    if request.method == "POST":
        try:
            invitation_accept(token=token, acting_user=acting_user(request))
        except DomainError as error:
            messages.error(request, error.message(translation.get_language()))
            return redirect(request.path)
        messages.success(request, _("You are a member now."))
        return redirect(_partner_url(found.partner.public_id))
    problem = ""
    try:
        invitation_check(found, acting_user(request))
    except DomainError as error:
        problem = error.message(translation.get_language())
    return _page(
        request, "portal/partners/invitation.html", {"invitation": found, "problem": problem}
    )
