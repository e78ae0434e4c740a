"""The public landing page: the partner program explained from the policy file."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_safe

from devcenter.policy import default_policy
from devcenter.portal.selectors import landing_overview


@require_safe
def landing(request: HttpRequest) -> HttpResponse:
    """Render the partner types, the service and account tables and the moves."""
    lang = translation.get_language()
    context = {
        "overview": landing_overview(default_policy(), lang),
    }
    return render(request, "portal/landing.html", context)
