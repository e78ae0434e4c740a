"""Registering partners: the user's partners, the forms that register a corporate general or an
individual partner, a new corporation's certification application, and the blank application form
(申込書). Each form is post / redirect / get: a refused one comes back from the session.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from devcenter.partners.services import (
    partner_register_corporate_general,
    partner_register_individual,
)
from devcenter.portal.application_form import application_form_pdf
from devcenter.portal.dashboard import partner_list
from devcenter.portal.form_state import keep_refused, refused_forms, restore
from devcenter.portal.forms import CorporateDetailsForm, IndividualForm, NewCertificationForm
from devcenter.portal.responses import Call, partner_url, redirect, render_page, submit
from devcenter.reviews.services import application_submit_new
from devcenter.users import acting_user


@login_required
@require_safe
def partners(request: HttpRequest) -> HttpResponse:
    """List the user's partners with links to register more."""
    listing = partner_list(user=request.user, lang=translation.get_language())
    return render_page(request, "portal/partners/list.html", {"listing": listing})


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
        return render_page(
            request, template, {"form": form, "refused": refused_forms({name: form})}
        )
    form = form_class(request.POST, request.FILES)
    result = submit(request, form, call, done)
    if result is None:
        keep_refused(request, name, form)
        return redirect(request.path)
    return redirect(partner_url(result.public_id))


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


@login_required
@require_safe
def application_form_blank(request: HttpRequest) -> HttpResponse:
    """Download a blank application form (申込書), for a corporation not registered yet."""
    response = HttpResponse(application_form_pdf(None, lang=translation.get_language()))
    response["Content-Type"] = "application/pdf"
    response["Content-Disposition"] = 'attachment; filename="application-form.pdf"'
    return response
