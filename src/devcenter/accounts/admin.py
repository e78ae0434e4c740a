"""Staff console: platform accounts, read-only (written only by `devcenter.accounts.services`)."""

from __future__ import annotations

from django.contrib import admin

from devcenter.accounts.models import PlatformAccount
from devcenter.staff.admin_base import StaffReadOnlyAdmin


@admin.register(PlatformAccount)
class PlatformAccountAdmin(StaffReadOnlyAdmin):
    list_display = [
        "public_id",
        "display_name",
        "kind",
        "partner",
        "emblem",
        "status",
        "created_at",
    ]
    list_filter = ["kind", "status", "emblem"]
    search_fields = ["public_id", "display_name", "partner__public_id"]
    list_select_related = ["partner"]
