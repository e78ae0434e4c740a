"""The public pages: the landing page (the partner program from the policy file) and the API
reference."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.views.decorators.http import require_safe

from devcenter.policy import default_policy
from devcenter.portal.api_reference import api_reference, api_schema
from devcenter.portal.selectors import landing_overview


@require_safe
def landing(request: HttpRequest) -> HttpResponse:
    """Render the partner types, the service and account tables and the moves."""
    lang = translation.get_language()
    context = {
        "overview": landing_overview(default_policy(), lang),
    }
    return render(request, "portal/landing.html", context)


@require_safe
def api_docs(request: HttpRequest) -> HttpResponse:
    """Render the registry API's OpenAPI document as a page (no script, nothing from another
    origin), with the document itself for tools at `?format=json`."""
    schema = api_schema()
    if request.GET.get("format") == "json":
        return JsonResponse(schema, json_dumps_params={"ensure_ascii": False, "indent": 2})
    return render(request, "portal/api_docs.html", {"docs": api_reference(schema)})


@login_required
@require_safe
def account(request: HttpRequest) -> HttpResponse:
    """Link the account's settings: e-mail, password, two-factor authentication, language."""
    return render(request, "portal/account.html")


def server_error(request: HttpRequest) -> HttpResponse:
    """Render the 500 page in the site's layout without the request's context (which may be
    what failed), in the language the request was being answered in."""
    return HttpResponseServerError(loader.get_template("500.html").render())
