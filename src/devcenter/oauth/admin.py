"""The OAuth server's records are not edited in the staff console.

django-oauth-toolkit registers its models (applications, grants, tokens) in the admin. A client
there could be given another redirect URI, client type or grant, or a token be minted, outside
the registrations' rules and the audit log. Each client is managed through its registration
(`devcenter.registrations`), so the toolkit's admin pages are taken away.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)

TOOLKIT_MODELS = (
    get_application_model(),
    get_access_token_model(),
    get_refresh_token_model(),
    get_grant_model(),
    get_id_token_model(),
)

for model in TOOLKIT_MODELS:
    try:
        admin.site.unregister(model)
    except NotRegistered:  # the toolkit's admin module was not loaded (e.g. admin off)
        pass
