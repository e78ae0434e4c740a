"""`/oauth/…`: authorize (+ consent POST), token, revoke (RFC 7009), introspect (RFC 7662)."""

from __future__ import annotations

import os

from django.urls import URLPattern, path
from oauth2_provider.views import RevokeTokenView

from devcenter.oauth.views import ConsentView, GraphApiTokenView, IntrospectView, bench_bare

app_name = "oauth"

urlpatterns: list[URLPattern] = [
    path("authorize", ConsentView.as_view(), name="authorize"),
    path("token", GraphApiTokenView.as_view(), name="token"),
    path("revoke", RevokeTokenView.as_view(), name="revoke"),
    path("introspect", IntrospectView.as_view(), name="introspect"),
]

# The benchmark's bare Django view (bench/oauth.py), never mounted otherwise.
if os.environ.get("DEVCENTER_BENCH_BARE") == "1":
    urlpatterns.append(path("_bench/bare", bench_bare))
