"""What every developer page answers with: a rendered page, a 303 after a POST, a service
called with a valid form (its refusal put on the form), a partner's screen URL, and the partner's
page for the user (a 404 for a partner they are not a member of).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from devcenter.errors import DomainError, NotFoundError
from devcenter.portal.dashboard import PartnerPage, partner_page
from devcenter.portal.forms import add_domain_error

Call = Callable[[Any], Any]


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Render a portal page."""
    return render(request, template, context, status=status)


def redirect(to: str) -> HttpResponse:
    """Answer a POST with 303 See Other: the browser GETs `to`, and a reload never resubmits."""
    response = HttpResponseRedirect(to)
    response.status_code = 303
    return response


def submit(request: HttpRequest, form: forms.Form, call: Call, done: Any) -> Any:
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


def partner_url(public_id: str, screen: str = "") -> str:
    name = f"portal:partner_{screen}" if screen and screen != "home" else "portal:partner"
    return reverse(name, args=[public_id])


def load_partner(request: HttpRequest, public_id: str) -> PartnerPage:
    """Return the partner's page for the request's user; a partner they may not see is a 404."""
    try:
        return partner_page(user=request.user, public_id=public_id, lang=translation.get_language())
    except NotFoundError:
        raise Http404 from None


def registration_image_response(images: Any, image_id: int) -> FileResponse:
    """Return one of a registration's images (`images`: the screen's (label, image) pairs, so
    only a viewer of that screen gets here), as the type its content was checked to be."""
    for _label, image in images:
        if image.pk == image_id:
            response = FileResponse(image.file.open("rb"), content_type=image.content_type)
            response["Content-Disposition"] = "inline"
            response["Cache-Control"] = "private, max-age=300"
            response["X-Content-Type-Options"] = "nosniff"
            return response
    raise Http404
