"""Every console page renders for staff over the demo data (no 500 anywhere)."""

from __future__ import annotations

import io

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.staff.helpers import staff_console_client

pytestmark = pytest.mark.django_db

OUR_APPS = {"partners", "platform_accounts", "reviews", "audit"}


def test_every_changelist_and_change_page_renders(
    client: Client, settings: object, tmp_path: object
) -> None:
    settings.VAR_DIR, settings.MEDIA_ROOT = tmp_path, tmp_path / "media"
    call_command("demo_load", force=True, stdout=io.StringIO())
    console, _staff = staff_console_client(client)

    assert console.get(reverse("admin:index")).status_code == 200
    for model in admin.site._registry:
        meta = model._meta
        if meta.app_label not in OUR_APPS:
            continue
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert console.get(changelist, follow=True).status_code == 200, changelist
        for obj in model.objects.all()[:3]:
            change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
            # an application's page is the staff review screen: followed, it renders too
            assert console.get(change, follow=True).status_code == 200, change
