"""Staff console views: the inline document preview of the staff review screens.

Mounted by the certification-application admin (`get_urls`) behind `admin_site.admin_view`, and
so also behind the staff MFA gate. It calls selectors of `devcenter.reviews`; no rule is checked
here. The review itself is devcenter.portal.staff_review.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.clickjacking import xframe_options_sameorigin

from devcenter.errors import DomainError
from devcenter.reviews import selectors
from devcenter.reviews.documents import document_response
from devcenter.staff.mfa import staff_refusal


@xframe_options_sameorigin  # shown in an <iframe> on the application page
def document_preview(request: HttpRequest, document_id: str) -> FileResponse:
    """Stream a document inline to staff with TOTP, as its detected content type; else 404."""
    user = request.user
    if not (user.is_authenticated and user.is_staff) or staff_refusal(user, session=request):
        raise Http404
    try:
        document = selectors.document_for_user(
            acting_user=user, document_id=document_id, as_staff=True
        )
        handle = selectors.document_open(document)
    except DomainError as error:
        raise Http404(error.code) from error
    return document_response(
        handle,
        content_type=document.content_type,
        filename=document.original_name or document.public_id,
        inline=True,
    )
