"""Staff console: the audit log, to read only (no add, change or delete, ever)."""

from __future__ import annotations

from django.contrib import admin

from devcenter.audit.models import AuditEvent
from devcenter.staff.admin_base import StaffReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(StaffReadOnlyAdmin):
    list_display = [
        "sequence",
        "occurred_at",
        "event_type",
        "actor",
        "target_type",
        "target_id",
        "partner",
    ]
    list_filter = ["event_type", "target_type"]
    search_fields = ["partner", "target_id", "actor"]
    ordering = ["-sequence"]
    actions = None  # not even the bulk delete
