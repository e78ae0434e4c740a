"""URL routes served by Django (the decision plane answers /api/v1/* before Django)."""

from __future__ import annotations

from importlib.util import find_spec

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.decorators.csrf import csrf_exempt

from devcenter.api import api
from devcenter.api_support.errors import json_not_found

urlpatterns: list[URLPattern | URLResolver] = [
    # Staff console pages outside the model admins (the policy diff), behind the same MFA gate.
    path("admin/", include("devcenter.staff.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("oauth/", include("devcenter.oauth.urls")),  # the OAuth 2.0 server (devcenter.oauth)
    path("api/v1/", api.urls),  # the registry JSON API (devcenter.api)
    # Any other path below it: a JSON 404 for every method (no session is used, so no CSRF).
    re_path(r"^api/v1/", csrf_exempt(json_not_found)),
]

# The portal is built beside this module; mount it once it exists.
if find_spec("devcenter.portal") is not None and find_spec("devcenter.portal.urls") is not None:
    urlpatterns.append(path("", include("devcenter.portal.urls")))

# Error pages in the portal's layout, in the request's language (templates/404.html, …).
handler403 = "django.views.defaults.permission_denied"
handler404 = "django.views.defaults.page_not_found"
handler500 = "devcenter.portal.views.server_error"
