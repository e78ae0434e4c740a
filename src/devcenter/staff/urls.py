"""Staff console pages outside the model admins, mounted under /admin/ (behind its MFA gate)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import URLPattern, path

from devcenter.staff.policy_diff_views import policy_diff_page

urlpatterns: list[URLPattern] = [
    path("policy/diff/", admin.site.admin_view(policy_diff_page), name="staff_policy_diff"),
]
