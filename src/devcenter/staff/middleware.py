"""The staff console gate: the Django admin and the staff screens (`/staff/`) only for staff
who logged in with TOTP.

Django's own admin log-in form checks a password only, so it is never used: every way into
`/admin/` goes through allauth (log-in, then the MFA step). A staff user without an activated
TOTP authenticator is sent to activate one; one whose session did not pass MFA (a
password-only log-in from before the activation) is sent to allauth's MFA re-authentication.
Anyone else who is logged in gets a 404: the console does not exist for them.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from devcenter.staff.mfa import has_active_totp, session_passed_mfa

# The staff review screens (devcenter.portal.staff_review) sit under this path.
STAFF_SCREENS = "/staff/"


def _redirect(urlname: str, next_url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(urlname)}?{urlencode({'next': next_url})}")


class StaffMfaMiddleware:
    """Refuse the admin to anyone but an active staff user whose session passed TOTP."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith((reverse("admin:index"), STAFF_SCREENS)):
            refusal = self.gate(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def gate(self, request: HttpRequest) -> HttpResponse | None:
        """Return the response that replaces the admin's, or None to let the request through."""
        if request.path == reverse("admin:logout"):
            return None
        user = request.user
        if not user.is_authenticated:
            return _redirect("account_login", self._next_url(request))
        if not (user.is_active and user.is_staff):
            raise Http404
        if not has_active_totp(user):
            messages.warning(
                request, _("Staff must activate two-factor authentication (TOTP) first.")
            )
            return _redirect("mfa_activate_totp", self._next_url(request))
        if not session_passed_mfa(request, user):
            return _redirect("mfa_reauthenticate", self._next_url(request))
        return None

    @staticmethod
    def _next_url(request: HttpRequest) -> str:
        """Return where to come back to: the admin page asked for (or its own `next`)."""
        if request.path == reverse("admin:login"):
            wanted = request.GET.get("next", "")
            allowed = url_has_allowed_host_and_scheme(
                wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            )
            return wanted if wanted and allowed else reverse("admin:index")
        return request.get_full_path()
