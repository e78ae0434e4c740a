"""Staff console: registrations with their images, operators and payment enrolments (read-only;
listing and payment decisions go through the staff API, which calls the services)."""

from __future__ import annotations

from django.contrib import admin

from devcenter.registrations.models import Operator, PaymentEnrolment, Registration
from devcenter.staff.admin_base import StaffReadOnlyAdmin, StaffReadOnlyInline


class OperatorInline(StaffReadOnlyInline):
    model = Operator
    fields = ("user", "status", "invited_at", "confirmed_at", "revoked_at")
    readonly_fields = fields


class PaymentEnrolmentInline(StaffReadOnlyInline):
    model = PaymentEnrolment
    fields = ("public_id", "status", "submitted_at", "decided_at")
    readonly_fields = fields


@admin.register(Registration)
class RegistrationAdmin(StaffReadOnlyAdmin):
    list_display = ("public_id", "name", "service", "status", "partner", "created_at")
    list_filter = ("service", "status")
    search_fields = ("public_id", "name", "partner__public_id", "partner__registration_name")
    exclude = ("contact_email_nonce",)
    inlines = (OperatorInline, PaymentEnrolmentInline)


@admin.register(PaymentEnrolment)
class PaymentEnrolmentAdmin(StaffReadOnlyAdmin):
    list_display = ("public_id", "registration", "status", "submitted_at", "decided_at")
    list_filter = ("status",)
