"""Staff console: partners with their members, cards and audit trail; suspend and restore.

Read-only: a partner's type and status change only through `devcenter.partners.services`
(the suspend/restore actions below call them; types move through registration, cards and
certification).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from devcenter.audit.selectors import audit_trail
from devcenter.audit.services import actor_of
from devcenter.partners import services
from devcenter.partners.models import Card, Membership, Partner
from devcenter.staff.admin_base import StaffReadOnlyAdmin, StaffReadOnlyInline, call_service
from devcenter.staff.forms import PartnerStatusForm

CARD_FIELDS = ("public_id", "brand", "last4", "exp_month", "exp_year", "status", "created_at")


class MembershipInline(StaffReadOnlyInline):
    model = Membership
    fields = ("user", "role", "created_at")
    readonly_fields = fields


class CardInline(StaffReadOnlyInline):
    model = Card
    fields = CARD_FIELDS
    readonly_fields = CARD_FIELDS


def _status_action(
    admin_obj: PartnerAdmin, request: HttpRequest, queryset: QuerySet[Partner], verb: str
) -> HttpResponse | None:
    """Ask for a reason, then call `partner_<verb>` for each selected partner."""
    service: Callable[..., Partner] = (
        services.partner_suspend if verb == "suspend" else services.partner_restore
    )
    form = PartnerStatusForm(request.POST if "reason" in request.POST else None)
    if not form.is_valid():
        context = {
            **admin_obj.admin_site.each_context(request),
            "title": _("Suspend partners") if verb == "suspend" else _("Restore partners"),
            "partners": queryset,
            "form": form,
            "action": f"{verb}_partners",
            "opts": admin_obj.model._meta,
        }
        return TemplateResponse(request, "staff/partner_status_action.html", context)
    reason = form.cleaned_data["reason"]
    for partner in queryset:
        call_service(
            request,
            partial(
                service, partner_id=partner.public_id, actor=actor_of(request.user), reason=reason
            ),
            success=f"{partner.public_id}: {_('done')}",
        )
    return None


@admin.register(Partner)
class PartnerAdmin(StaffReadOnlyAdmin):
    """The partner registry for staff; the partner's page shows its audit trail."""

    list_display = [
        "public_id",
        "registration_name",
        "kind",
        "partner_type",
        "status",
        "created_at",
    ]
    list_filter = ["partner_type", "status", "kind"]
    search_fields = ["public_id", "registration_name", "legal_name", "corporate_number"]
    inlines = [MembershipInline, CardInline]
    actions = ["suspend_partners", "restore_partners"]
    change_form_template = "staff/partner_change_form.html"

    @admin.action(description=_("Suspend the selected partners"))
    def suspend_partners(self, request: HttpRequest, queryset: QuerySet[Partner]) -> Any:
        return _status_action(self, request, queryset, "suspend")

    @admin.action(description=_("Restore the selected partners"))
    def restore_partners(self, request: HttpRequest, queryset: QuerySet[Partner]) -> Any:
        return _status_action(self, request, queryset, "restore")

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        partner = self.get_object(request, object_id)
        context = dict(extra_context or {})
        if partner is not None:
            context["audit_trail"] = audit_trail(partner=partner.public_id)
        return super().change_view(request, object_id, form_url, context)


@admin.register(Membership)
class MembershipAdmin(StaffReadOnlyAdmin):
    list_display = ["partner", "user", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["partner__public_id", "partner__registration_name", "user__email"]


@admin.register(Card)
class CardAdmin(StaffReadOnlyAdmin):
    list_display = ["public_id", "partner", *CARD_FIELDS[1:]]
    list_filter = ["status", "brand"]
    search_fields = ["public_id", "partner__public_id", "last4"]
    exclude = ["token"]  # the provider token identifies the card at the provider
