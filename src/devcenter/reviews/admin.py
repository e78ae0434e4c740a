"""Staff console: certification applications in the admin send staff to the staff review
screens (devcenter.portal.staff_review: the queue and one application's review panel); the
admin keeps the document preview those screens show, and the documents' metadata.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse

from devcenter.reviews.models import CertificationApplication, Document
from devcenter.staff import views
from devcenter.staff.admin_base import StaffReadOnlyAdmin


@admin.register(CertificationApplication)
class CertificationApplicationAdmin(StaffReadOnlyAdmin):
    """The admin's entry to the reviews: its list and change pages are the review screens."""

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path(
                "document/<str:document_id>/",
                wrap(views.document_preview),
                name="reviews_document_preview",
            ),
            *super().get_urls(),
        ]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return HttpResponseRedirect(reverse("portal:staff_reviews"))

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        application = self.get_object(request, object_id)
        if application is None:
            raise Http404
        return HttpResponseRedirect(reverse("portal:staff_review", args=[application.public_id]))


@admin.register(Document)
class DocumentAdmin(StaffReadOnlyAdmin):
    """Document metadata (the bytes are previewed on the application page)."""

    list_display = ["public_id", "application", "kind", "content_type", "size", "uploaded_at"]
    list_filter = ["kind", "content_type", "superseded"]
    search_fields = ["public_id", "application__public_id", "sha256"]
    exclude = ["file"]  # the storage path is not a URL anyone may follow
