"""The public landing page: the partner program explained from the policy file."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_safe

from devcenter.policy import default_policy
from devcenter.portal.language import LANG_PARAM, with_page_language
from devcenter.portal.selectors import landing_overview


@require_safe
@with_page_language
def landing(request: HttpRequest) -> HttpResponse:
    """Render the partner types, the service and account tables and the moves."""
    lang = translation.get_language()
    context = {
        "overview": landing_overview(default_policy(), lang),
        "lang_param": LANG_PARAM,
        # Each language is offered in its own name ("日本語", "English"), as switchers should be.
        "languages": [{"code": code, "name": name} for code, name in settings.LANGUAGES],
    }
    return render(request, "portal/landing.html", context)
