"""The OAuth endpoints: DOT's views, the consent page in the portal's layout, introspection.

Faces only: DOT and oauthlib run the protocol with `GraphApiServer` and `GraphApiValidator`;
introspection asks the selector.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.http import OAuth2ResponseRedirect
from oauth2_provider.views import AuthorizationView, TokenView
from oauth2_provider.views.mixins import OAuthLibMixin
from oauthlib.common import Request as OauthlibRequest
from oauthlib.oauth2.rfc6749 import errors

from devcenter.apikeys.choices import ApiKeyScope
from devcenter.apikeys.selectors import apikey_by_raw_key
from devcenter.oauth.redirect_uris import LOOPBACK_HOSTS
from devcenter.oauth.scopes import scope_labels
from devcenter.oauth.selectors import token_introspection

LANG_PARAM = "lang"
REDIRECT_URI_MISMATCH = "redirect_uri_mismatch"
ERROR_MESSAGES = {
    REDIRECT_URI_MISMATCH: _(
        "The redirect URI is not one this service registered, so you were not sent back to it."
    ),
    "invalid_client": _("This service is unknown or may not ask for access right now."),
}
GENERIC_ERROR = _("The service sent a request that cannot be processed.")


def error_code_of(error: errors.OAuth2Error) -> str:
    """Return the code the page shows: oauthlib's, with a mismatching redirect URI named."""
    if isinstance(error, errors.MismatchingRedirectURIError):
        return REDIRECT_URI_MISMATCH
    if isinstance(error, errors.InvalidClientIdError | errors.MissingClientIdError):
        return "invalid_client"
    return str(error.error)


class ConsentView(AuthorizationView):  # type: ignore[misc]  # DOT ships no type hints
    """`GET /oauth/authorize` (login required): the consent page; its POST allows or denies."""

    template_name = "oauth/consent.html"

    def redirect(self, redirect_to: str, application: Any) -> HttpResponse:
        """Redirect to https, or to http on a loopback host (RFC 8252 §7.3): the only http
        URIs the services register; oauthlib has already matched the URI exactly."""
        parts = urlsplit(redirect_to)
        schemes = ["https", "http"] if parts.hostname in LOOPBACK_HOSTS else ["https"]
        response: HttpResponse = OAuth2ResponseRedirect(redirect_to, schemes)
        return response

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        context = {**context, **self._page_context(context)}
        response: HttpResponse = super().render_to_response(context, **kwargs)
        if context.get("error") is None and context.get("redirect_uri"):
            # The consent form's answer redirects to the client, and browsers hold a form's
            # redirects to `form-action` too: allow this request's (verified) redirect URI.
            parts = urlsplit(context["redirect_uri"])
            target = f"{parts.scheme}://{parts.netloc}{parts.path}"
            response._csp_update = {"form-action": [target]}  # type: ignore[attr-defined]
        return response

    def _page_context(self, context: dict[str, Any]) -> dict[str, Any]:
        page: dict[str, Any] = {"lang_param": self._switcher_param()}
        error = context.get("error")
        if error is not None:
            code = error_code_of(error)
            page |= {"error_code": code, "error_message": ERROR_MESSAGES.get(code, GENERIC_ERROR)}
            return page
        redirect_uri = context.get("redirect_uri") or ""
        page |= {
            "scope_items": scope_labels(list(context.get("scopes", []))),
            "return_host": urlsplit(redirect_uri).netloc,
        }
        return page

    def _switcher_param(self) -> str:
        """Keep the authorization request in the language switcher's `?lang=` links.

        The portal's switcher links to `?{lang_param}=<code>`: prefixing the request's own
        query (without `lang`) makes the links switch language without losing the request.
        """
        kept = [(k, v) for k, v in self.request.GET.items() if k != LANG_PARAM]
        return f"{urlencode(kept)}&{LANG_PARAM}" if kept else LANG_PARAM


class GraphApiTokenView(TokenView):  # type: ignore[misc]  # DOT ships no type hints
    """`POST /oauth/token`: every grant goes to oauthlib (DOT special-cases the device grant,
    which this server does not run: oauthlib answers `unsupported_grant_type`)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = self.authorization_flow_token_response(request)
        return response


@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(never_cache, name="dispatch")
class IntrospectView(OAuthLibMixin, View):  # type: ignore[misc]  # DOT ships no type hints
    """`POST /oauth/introspect` (RFC 7662) for the Graph API gateway and for clients.

    The caller authenticates with an API key of scope `decisions` (`Authorization: Bearer`),
    which may introspect any token, or with client credentials (Basic or body), which see only
    their own tokens as active.
    """

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        authenticated, client_id = self._caller(request)
        if not authenticated:
            response = JsonResponse({"error": "invalid_client"}, status=401)
            response["WWW-Authenticate"] = 'Basic realm="oauth", Bearer realm="oauth"'
            return response
        token = request.POST.get("token")
        if not token:
            return JsonResponse({"error": "invalid_request"}, status=400)
        return JsonResponse(dict(token_introspection(token=token, client_id=client_id)))

    def _caller(self, request: HttpRequest) -> tuple[bool, str | None]:
        """Return (authenticated, client_id); a decisions key has no client_id."""
        scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer":
            key = apikey_by_raw_key(raw.strip())
            return key is not None and key.scope == ApiKeyScope.DECISIONS, None
        core = self.get_oauthlib_core()
        uri, method, body, headers = core._extract_params(request)
        oauth_request = OauthlibRequest(uri, method, body, headers)
        if core.server.request_validator.authenticate_client(oauth_request):
            return True, str(oauth_request.client.client_id)
        return False, None


@csrf_exempt
def bench_bare(request: HttpRequest) -> HttpResponse:
    """The benchmark's yardstick: a Django view through the same middleware, doing nothing.

    Mounted only with `DEVCENTER_BENCH_BARE=1` (bench/oauth.py), like the decision plane's.
    """
    return JsonResponse({"bare": True})
