"""The registration pages: the services screen, a create form per service, and a screen per
registration (edit, images, credentials, listing, operators, payment enrolment, delete).

Thin views in the portal's manner: a GET renders one page from `registration_pages`, a POST
calls one registrations service and redirects (post / redirect / get): on success to the
screen with a message, on a refusal to the same screen, which takes the refused form back
(`form_state`) with the error at its field and summed up at the top. Deleting, rotating a
secret and revoking an operator are asked for on a confirmation page that says what is lost.
A registration the user has no role for is a 404; its operator sees it and nothing else of
the partner.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from devcenter.errors import DomainError, NotFoundError
from devcenter.policy import default_policy
from devcenter.portal.dashboard import PartnerPage, partner_page
from devcenter.portal.form_state import keep_refused, refused_forms, restore
from devcenter.portal.forms import ConfirmForm, add_domain_error
from devcenter.portal.registration_forms import (
    ImageForm,
    OperatorForm,
    PaymentForm,
    PayoutForm,
    RegistrationForm,
    initial_of,
    registration_form_class,
)
from devcenter.portal.registration_pages import (
    RegistrationScreen,
    page_choices,
    registration_screen,
    service_label,
    service_rows,
)
from devcenter.portal.responses import redirect, registration_image_response
from devcenter.registrations import operators, payments, services
from devcenter.registrations.errors import RegistrationErrorCode
from devcenter.users import acting_user

NEW_SECRET_SESSION = "portal.new_registration_secret"  # noqa: S105 (a session key)
NOT_FOUND = {RegistrationErrorCode.REGISTRATION_NOT_FOUND, "partner_not_found"}


def _lang() -> str:
    return translation.get_language() or "ja"


def _submit(request: HttpRequest, form: forms.Form, call: Callable[[], Any], done: Any) -> Any:
    """Call the service once the form is valid; return its result, or None with the refusal
    at the form's field (or above it). A registration the user may not see is a 404."""
    if not form.is_valid():
        return None
    try:
        result = call()
    except NotFoundError as error:
        if error.field is None and error.code in NOT_FOUND:
            raise Http404 from None
        add_domain_error(form, error, _lang())
        return None
    except DomainError as error:
        add_domain_error(form, error, _lang())
        return None
    messages.success(request, done)
    return result if result is not None else True


def _partner(request: HttpRequest, public_id: str) -> PartnerPage:
    try:
        return partner_page(user=request.user, public_id=public_id, lang=_lang())
    except NotFoundError:
        raise Http404 from None


# ---------------------------------------------------------------- the services screen


@login_required
@require_safe
def partner_services(request: HttpRequest, public_id: str) -> HttpResponse:
    """The partner's services: each service's decision, and each registrable service with its
    registrations and a register button where the partner may register it."""
    page = _partner(request, public_id)
    context = {
        "page": page,
        "screen": "services",
        "rows": service_rows(page=page, lang=_lang()),
    }
    return render(request, "portal/partners/services.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def registration_new(request: HttpRequest, public_id: str, service: str) -> HttpResponse:
    """GET: the form of `service` (or why the partner may not register it). POST: register it."""
    if service not in default_policy().registrations.registrable:
        raise Http404
    page = _partner(request, public_id)
    form_class = registration_form_class(
        service, _lang(), page_choices(partner=page.partner, service=service)
    )
    if request.method == "POST":
        form = form_class(request.POST)
        created = _submit(
            request,
            form,
            lambda: services.registration_create(
                partner_id=public_id,
                service=service,
                name=form.cleaned_data["name"],
                fields=form.service_fields(),
                acting_user=acting_user(request),
            ),
            _("The service is registered. It is in development until you request listing."),
        )
        if created is None:
            keep_refused(request, "registration_form", form)
            return redirect(request.path)
        return redirect(reverse("portal:registration", args=[created.public_id]))
    form = restore(request, "registration_form", form_class)
    row = next(r for r in service_rows(page=page, lang=_lang()) if r.code == service)
    context = {
        "page": page,
        "screen": "services",
        "row": row,
        "form": form,
        "refused": refused_forms({"registration_form": form}),
        "service_label": service_label(service, _lang()),
    }
    return render(request, "portal/registrations/new.html", context)


# ---------------------------------------------------------------- one registration


def _screen(request: HttpRequest, registration_id: str) -> RegistrationScreen:
    try:
        return registration_screen(user=request.user, public_id=registration_id, lang=_lang())
    except NotFoundError:
        raise Http404 from None


@login_required
@require_safe
def registration_image(
    request: HttpRequest, registration_id: str, image_id: int
) -> HttpResponseBase:
    """One image of a registration, for whoever may see the registration's screen."""
    return registration_image_response(_screen(request, registration_id).images, image_id)


def _edit_class(screen: RegistrationScreen) -> type[RegistrationForm]:
    registration = screen.registration
    return registration_form_class(
        registration.service,
        _lang(),
        page_choices(partner=registration.partner, service=registration.service),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def registration(request: HttpRequest, registration_id: str) -> HttpResponse:
    """GET: the registration's screen. POST: save the edit form (changed fields only)."""
    screen = _screen(request, registration_id)
    if request.method == "POST":
        return _edit(request, screen)
    initial = initial_of(screen.registration)
    bound: dict[str, forms.Form] = {
        "edit_form": restore(request, "edit_form", _edit_class(screen), initial=initial),
        "image_form": restore(request, "image_form", ImageForm, kinds=screen.image_kinds),
        "operator_form": restore(request, "operator_form", OperatorForm),
        "payment_form": restore(request, "payment_form", PaymentForm),
        "payout_form": restore(
            request,
            "payout_form",
            PayoutForm,
            initial={"holder_name": screen.registration.partner.registration_name},
        ),
        "confirm_form": restore(request, "confirm_form", ConfirmForm),
    }
    secret = request.session.pop(NEW_SECRET_SESSION, None)
    if secret and secret.get("registration") != registration_id:
        secret = None
    context = {
        "screen_data": screen,
        "page": screen.page,
        "screen": "services",
        **bound,
        "refused": refused_forms(bound),
        "new_secret": secret,
    }
    response = render(request, "portal/registrations/detail.html", context)
    response["Cache-Control"] = "no-store"  # a new secret must not linger in a cache
    return response


def _edit(request: HttpRequest, screen: RegistrationScreen) -> HttpResponse:
    registration = screen.registration
    form = _edit_class(screen)(request.POST, initial=initial_of(registration))

    def call() -> Any:
        changed = set(form.changed_data)
        return services.registration_update(
            registration_id=registration.public_id,
            acting_user=acting_user(request),
            name=form.cleaned_data["name"] if "name" in changed else None,
            fields={
                code: value
                for code, value in form.service_fields(partial=True).items()
                if code in changed
            },
        )

    if _submit(request, form, call, _("The changes are saved.")) is None:
        keep_refused(request, "edit_form", form)
    return redirect(request.path)


@dataclass(frozen=True)
class RegistrationAction:
    """One action of the registration screen: its form, the service call, what it says when
    done, the name its refused form is kept under."""

    form_class: type[forms.Form]
    call: Callable[[HttpRequest, str, Any, dict[str, Any]], Any]
    done: Any
    form_name: str


def _image_add(request: HttpRequest, reg: str, form: Any, ids: dict[str, Any]) -> Any:
    return services.image_add(
        registration_id=reg,
        kind=form.cleaned_data["kind"],
        upload=form.cleaned_data["file"],
        acting_user=acting_user(request),
    )


def _keep_secret(request: HttpRequest, issued: services.Issued) -> Any:
    request.session[NEW_SECRET_SESSION] = {
        "registration": issued.registration.public_id,
        "client_id": issued.secret.client_id,
        "client_secret": issued.secret.client_secret,
    }
    return issued


ACTIONS: dict[str, RegistrationAction] = {
    "image_add": RegistrationAction(ImageForm, _image_add, _("The image is added."), "image_form"),
    "credentials_issue": RegistrationAction(
        ConfirmForm,
        lambda request, reg, form, ids: _keep_secret(
            request,
            services.credentials_issue(registration_id=reg, acting_user=acting_user(request)),
        ),
        _("The credentials are issued. Copy the secret now."),
        "confirm_form",
    ),
    "credentials_rotate": RegistrationAction(
        ConfirmForm,
        lambda request, reg, form, ids: _keep_secret(
            request,
            services.credentials_rotate(registration_id=reg, acting_user=acting_user(request)),
        ),
        _("A new secret is issued. Copy it now."),
        "confirm_form",
    ),
    "contact_email_resend": RegistrationAction(
        ConfirmForm,
        lambda request, reg, form, ids: services.contact_email_resend(
            registration_id=reg, acting_user=acting_user(request)
        ),
        _("A new confirmation link is sent. The earlier link no longer works."),
        "confirm_form",
    ),
    "listing_request": RegistrationAction(
        ConfirmForm,
        lambda request, reg, form, ids: services.listing_request(
            registration_id=reg, acting_user=acting_user(request)
        ),
        _("Listing is requested. Staff will review it."),
        "confirm_form",
    ),
    "operator_grant": RegistrationAction(
        OperatorForm,
        lambda request, reg, form, ids: operators.operator_grant(
            registration_id=reg, email=form.cleaned_data["email"], acting_user=acting_user(request)
        ),
        _("The invitation is sent. The person becomes an operator once they confirm it."),
        "operator_form",
    ),
    "operator_revoke": RegistrationAction(
        ConfirmForm,
        lambda request, reg, form, ids: operators.operator_revoke(
            registration_id=reg, user_id=ids["user_id"], acting_user=acting_user(request)
        ),
        _("The operator is removed."),
        "confirm_form",
    ),
    "payment_enrol": RegistrationAction(
        PaymentForm,
        lambda request, reg, form, ids: payments.payment_enrol(
            registration_id=reg,
            business_plan=form.cleaned_data["business_plan"],
            acting_user=acting_user(request),
        ),
        _("The business plan is submitted. Staff will review it."),
        "payment_form",
    ),
    "payout_set": RegistrationAction(
        PayoutForm,
        lambda request, reg, form, ids: payments.payout_account_set(
            partner_id=_screen(request, reg).registration.partner.public_id,
            acting_user=acting_user(request),
            **form.cleaned_data,
        ),
        _("The payout account is saved."),
        "payout_form",
    ),
    "delete": RegistrationAction(
        ConfirmForm,
        lambda request, reg, form, ids: services.registration_delete(
            registration_id=reg, acting_user=acting_user(request)
        ),
        _("The registration is deleted."),
        "confirm_form",
    ),
}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def registration_action(
    request: HttpRequest, registration_id: str, action: str, **ids: Any
) -> HttpResponse:
    """POST: run one action of the registration screen. GET: a destructive action's
    confirmation page, or the screen (a reload or a shared link never meets a 405)."""
    here = reverse("portal:registration", args=[registration_id])
    if request.method == "POST":
        spec = ACTIONS[action]
        screen = _screen(request, registration_id)  # a stranger gets the 404
        form = spec.form_class(request.POST, request.FILES)
        result = _submit(
            request, form, lambda: spec.call(request, registration_id, form, ids), spec.done
        )
        if result is None:
            keep_refused(request, spec.form_name, form)
            return redirect(here)
        if action == "delete":
            partner = screen.registration.partner.public_id
            return redirect(reverse("portal:partner_services", args=[partner]))
        return redirect(here)
    confirm = CONFIRMATIONS.get(action)
    screen = _screen(request, registration_id)
    if confirm is None:
        return HttpResponseRedirect(here)
    context = confirm(screen, ids)
    context |= {
        "screen_data": screen,
        "page": screen.page,
        "screen": "services",
        "confirm_form": ConfirmForm(),
        "cancel_url": here,
    }
    return render(request, "portal/registrations/confirm.html", context)


# ---------------------------------------------------------------- confirmations


def _confirm_delete(screen: RegistrationScreen, ids: dict[str, Any]) -> dict[str, Any]:
    if not screen.can["delete"]:
        raise Http404
    lost = [_("The registration and its place in the listing.")]
    if screen.client_id:
        lost.append(_("Its credentials: they stop working at once."))
    if screen.operators:
        lost.append(_("Its operators' access."))
    return {
        "title": _("Delete “%(name)s”?") % {"name": screen.registration.name},
        "lead": _("The registration is deleted; this cannot be undone."),
        "lost": lost,
        "button": _("Delete the registration"),
        "danger": True,
    }


def _confirm_rotate(screen: RegistrationScreen, ids: dict[str, Any]) -> dict[str, Any]:
    if not screen.can["credentials"] or not screen.client_id:
        raise Http404
    return {
        "title": _("Issue a new secret?"),
        "lead": _(
            "A new secret is issued and shown once. The old secret stays valid for "
            "%(hours)s hours (the grace period), then it stops working."
        )
        % {"hours": screen.grace_hours},
        "lost": [_("The old secret, after %(hours)s hours.") % {"hours": screen.grace_hours}],
        "button": _("Issue a new secret"),
        "danger": False,
    }


def _confirm_operator_revoke(screen: RegistrationScreen, ids: dict[str, Any]) -> dict[str, Any]:
    operator = next((o for o in screen.operators if o.user_id == ids["user_id"]), None)
    if operator is None:
        raise Http404
    return {
        "title": _("Remove %(email)s as operator?") % {"email": operator.email},
        "lead": _("%(email)s can no longer edit this registration or see its credentials.")
        % {"email": operator.email},
        "lost": [_("Their access to this registration, at once.")],
        "button": _("Remove the operator"),
        "danger": True,
    }


CONFIRMATIONS: dict[str, Callable[[RegistrationScreen, dict[str, Any]], dict[str, Any]]] = {
    "delete": _confirm_delete,
    "credentials_rotate": _confirm_rotate,
    "operator_revoke": _confirm_operator_revoke,
}


# ---------------------------------------------------------------- the e-mailed links


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def operator_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET: ask the invited user to confirm the operator grant. POST: confirm it and open the
    registration (or say why the link no longer works)."""
    if request.method == "POST":
        try:
            operator = operators.operator_confirm(token=token, acting_user=acting_user(request))
        except DomainError as error:
            messages.error(request, error.message(_lang()))
            return redirect(request.path)
        messages.success(request, _("You are an operator of this registration now."))
        return redirect(reverse("portal:registration", args=[operator.registration.public_id]))
    context = {
        "title": _("Become an operator"),
        "lead": _(
            "You were invited to operate a registration: edit it and see its credentials. "
            "Confirm to accept."
        ),
        "button": _("Confirm"),
    }
    return render(request, "portal/registrations/link.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def contact_email_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET: ask to confirm the contact e-mail address. POST: confirm it (the link is the proof,
    no log-in needed)."""
    if request.method == "POST":
        try:
            services.contact_email_confirm(token=token)
        except DomainError as error:
            messages.error(request, error.message(_lang()))
        else:
            messages.success(request, _("The contact e-mail address is confirmed."))
        return redirect(request.path)
    context = {
        "title": _("Confirm the contact e-mail address"),
        "lead": _("This address was given as the contact of a service registered on the platform."),
        "button": _("Confirm the address"),
    }
    return render(request, "portal/registrations/link.html", context)
