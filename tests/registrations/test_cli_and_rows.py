"""`devcenter registrations list`, the decision plane's snapshot rows, and the status enum
mirroring the policy."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from devcenter.policy import default_policy
from devcenter.registrations.choices import ImageKind, RegistrationStatus
from devcenter.registrations.selectors import registration_snapshot_rows
from tests.registrations.factories import valid_fields


def _create(dev, partner, service="page"):
    return dev.post(
        f"/partners/{partner.public_id}/registrations",
        {"service": service, "name": "ページ", **valid_fields(service)},
    ).json()["id"]


@pytest.mark.django_db
def test_cli_lists_registrations_as_json_and_as_a_table(dev, certified_partner, general_partner):
    mine = _create(dev, certified_partner)
    theirs = _create(dev, general_partner, "plugin")

    out = StringIO()
    call_command("registrations", "list", "--json", stdout=out)
    only = StringIO()
    call_command("registrations", "list", "--partner", general_partner.public_id, stdout=only)

    rows = json.loads(out.getvalue())
    assert [(r["id"], r["service"], r["status"]) for r in rows] == [
        (mine, "page", "in_development"),
        (theirs, "plugin", "in_development"),
    ]
    lines = only.getvalue().splitlines()
    assert lines[0].split() == ["ID", "PARTNER", "SERVICE", "STATUS", "NAME"]
    assert [line.split()[0] for line in lines[1:]] == [theirs]


@pytest.mark.django_db
def test_snapshot_rows_stream_every_live_registration(dev, certified_partner):
    page = _create(dev, certified_partner)
    app = _create(dev, certified_partner, "app_pc")
    client_id = dev.post(f"/registrations/{app}/credentials").json()["client_id"]
    gone = _create(dev, certified_partner)
    dev.delete(f"/registrations/{gone}")

    rows = sorted(registration_snapshot_rows().iterator())

    partner = certified_partner.public_id
    assert rows == sorted(
        [
            (page, None, partner, "page", "in_development"),
            (app, client_id, partner, "app_pc", "in_development"),
        ]
    )


def test_the_status_enum_mirrors_the_policy():
    rules = default_policy().registrations
    assert sorted(RegistrationStatus.values) == sorted(rules.statuses)
    assert rules.initial_status == RegistrationStatus.IN_DEVELOPMENT
    assert rules.suspended_status == RegistrationStatus.SUSPENDED
    assert list(ImageKind.values) == list(rules.image_kinds)
