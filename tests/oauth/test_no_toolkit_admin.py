"""The OAuth toolkit's own admin pages are gone: clients change only through registrations."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client

from devcenter.oauth.admin import TOOLKIT_MODELS
from tests.staff.helpers import staff_console_client

pytestmark = pytest.mark.django_db


def test_no_toolkit_model_is_registered_in_the_admin() -> None:
    registered = {model._meta.label for model in admin.site._registry}
    assert {model._meta.label for model in TOOLKIT_MODELS} & registered == set()
    assert "oauth2_provider.Application" in {model._meta.label for model in TOOLKIT_MODELS}


def test_the_toolkit_application_admin_page_is_not_found(client: Client) -> None:
    console = staff_console_client(client)[0]
    assert console.get("/admin/oauth2_provider/application/").status_code == 404
    assert console.get("/admin/").status_code == 200
