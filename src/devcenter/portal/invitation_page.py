"""The page an invited person opens from the invitation mail: which partner, which role, until
when, and an accept button (or why it cannot be accepted)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from devcenter.errors import DomainError, NotFoundError
from devcenter.partners.invitations import invitation_accept, invitation_by_token, invitation_check
from devcenter.portal.responses import partner_url, redirect, render_page
from devcenter.users import acting_user


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """GET: the invitation (whose partner, which role, until when) and an accept button, or why
    it cannot be accepted. POST: accept it and open the partner."""
    try:
        found = invitation_by_token(token=token)
    except NotFoundError:
        raise Http404 from None
    if request.method == "POST":
        try:
            invitation_accept(token=token, acting_user=acting_user(request))
        except DomainError as error:
            messages.error(request, error.message(translation.get_language()))
            return redirect(request.path)
        messages.success(request, _("You are a member now."))
        return redirect(partner_url(found.partner.public_id))
    problem = ""
    try:
        invitation_check(found, acting_user(request))
    except DomainError as error:
        problem = error.message(translation.get_language())
    return render_page(
        request, "portal/partners/invitation.html", {"invitation": found, "problem": problem}
    )
