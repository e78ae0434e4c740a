"""Staff console: the review queue and the application page with its documents and buttons.

Read-only: the status moves only through the buttons, each of which calls one
`devcenter.reviews.services` function (see `devcenter.staff.views`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from devcenter.reviews.models import CertificationApplication, Document
from devcenter.reviews.selectors import application_documents
from devcenter.reviews.workflow import OPEN_STATUSES
from devcenter.staff import views
from devcenter.staff.admin_base import StaffReadOnlyAdmin


@admin.register(CertificationApplication)
class CertificationApplicationAdmin(StaffReadOnlyAdmin):
    """The review queue (oldest first, with its age) and one application's review page."""

    list_display = ["public_id", "partner", "kind", "status", "submitted_at", "age"]
    list_filter = ["status", "kind"]
    search_fields = ["public_id", "partner__public_id", "partner__registration_name"]
    ordering = ["submitted_at", "pk"]
    list_select_related = ["partner"]
    change_form_template = "staff/application_change_form.html"

    @admin.display(description=_("waiting for"))
    def age(self, application: CertificationApplication) -> str:
        return timesince(application.submitted_at, timezone.now())

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/review/<str:action>/",
                wrap(views.application_review_action),
                name="reviews_certificationapplication_review",
            ),
            path(
                "document/<str:document_id>/",
                wrap(views.document_preview),
                name="reviews_document_preview",
            ),
            *super().get_urls(),
        ]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        application = self.get_object(request, object_id)
        context = dict(extra_context or {})
        if application is not None:
            context["documents"] = application_documents(application=application)
            context["review_actions"] = [
                (name, action.label, action.form()) for name, action in views.REVIEW_ACTIONS.items()
            ]
            context["is_open"] = application.status in OPEN_STATUSES
        return super().change_view(request, object_id, form_url, context)


@admin.register(Document)
class DocumentAdmin(StaffReadOnlyAdmin):
    """Document metadata (the bytes are previewed on the application page)."""

    list_display = ["public_id", "application", "kind", "content_type", "size", "uploaded_at"]
    list_filter = ["kind", "content_type", "superseded"]
    search_fields = ["public_id", "application__public_id", "sha256"]
    exclude = ["file"]  # the storage path is not a URL anyone may follow
