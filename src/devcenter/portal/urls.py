"""Routes of the public portal."""

from __future__ import annotations

from django.urls import path

from devcenter.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.landing, name="landing"),
]
