"""URL routes served by Django (the decision plane answers /api/v1/* before Django)."""

from __future__ import annotations

from importlib.util import find_spec

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
]

# The portal is built beside this module; mount it once it exists.
if find_spec("devcenter.portal") is not None and find_spec("devcenter.portal.urls") is not None:
    urlpatterns.append(path("", include("devcenter.portal.urls")))
