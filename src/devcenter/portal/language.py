"""The page language: `?lang=` first, then LocaleMiddleware's choice (cookie, Accept-Language).

LocaleMiddleware already picks a language from the language cookie, then Accept-Language, then
`LANGUAGE_CODE` (Japanese). A `?lang=ja|en` link of the switcher overrides that for the request
and is remembered in the same cookie, so LocaleMiddleware honours it on the next visit; for a
signed-in person it is also kept with their account, as the language of their notices' e-mails.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from devcenter.notices.services import language_preference_set

LANG_PARAM = "lang"
COOKIE_AGE = timedelta(days=365)

View = Callable[..., HttpResponse]


def query_language(request: HttpRequest) -> str | None:
    """Return the supported language named by `?lang=`, or None when absent or unknown."""
    asked = request.GET.get(LANG_PARAM, "").strip()
    if not asked:
        return None
    try:
        return translation.get_supported_language_variant(asked)
    except LookupError:
        return None


def page_language(request: HttpRequest) -> str:
    """Return the language to render `request` in."""
    return (
        query_language(request)
        or getattr(request, "LANGUAGE_CODE", None)
        or translation.get_language_from_request(request)
    )


class PageLanguageMiddleware:
    """Render every page in the `?lang=` language when one is given, and remember it.

    Placed after LocaleMiddleware, which has already chosen from the cookie, Accept-Language
    or Japanese; LocaleMiddleware then labels the response (Content-Language, Vary).
    """

    def __init__(self, get_response: View) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = query_language(request)
        if chosen is not None:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        # The same URL answers differently by header and by cookie: caches must know.
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        if chosen is not None:
            _remember(response, chosen)
            _remember_for_notices(request, chosen)
        return response


def language_switcher(request: HttpRequest) -> dict[str, object]:
    """Context processor: what the base template's language switcher needs."""
    # Each language is offered in its own name ("日本語", "English"), as switchers should be.
    languages = [{"code": code, "name": name} for code, name in settings.LANGUAGES]
    return {"lang_param": LANG_PARAM, "languages": languages}


def _remember_for_notices(request: HttpRequest, lang: str) -> None:
    """Keep a signed-in person's choice: their notices' e-mails are written in it."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        language_preference_set(acting_user=user, language=lang)


def _remember(response: HttpResponse, lang: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        lang,
        max_age=settings.LANGUAGE_COOKIE_AGE or int(COOKIE_AGE.total_seconds()),
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
    )
