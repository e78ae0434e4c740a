"""`devcenter personas create|delete`: test partners platform services run against."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from devcenter.apikeys.models import ApiKey
from devcenter.audit.models import AuditEvent
from devcenter.errors import InvalidError
from devcenter.partners.models import Partner
from devcenter.personas.services import personas_create, personas_delete
from devcenter.policy import default_policy

pytestmark = pytest.mark.django_db


def test_one_persona_per_partner_type_and_a_suspended_one() -> None:
    personas = personas_create(prefix="acme")

    policy = default_policy()
    assert {p.partner_type for p in personas} == set(policy.partner_types)
    assert [p.name for p in personas if p.status == "suspended"] == ["suspended"]
    certified = next(p for p in personas if p.name == "certified")
    assert {a["kind"] for a in certified.accounts} == {"partner_account", "partner_test_account"}
    assert all(p.api_key and p.api_key.startswith("dc_") for p in personas)
    assert AuditEvent.objects.filter(event_type="persona.created").count() == len(personas)


def test_a_second_run_returns_the_same_personas_and_issues_no_new_key() -> None:
    first = personas_create(prefix="acme")
    second = personas_create(prefix="acme")

    assert [p.partner for p in second] == [p.partner for p in first]
    assert all(p.api_key is None for p in second)
    assert Partner.objects.count() == len(first)
    assert ApiKey.objects.count() == len(first)


def test_delete_removes_them_completely_and_audits_it() -> None:
    personas = personas_create(prefix="acme")
    personas_create(prefix="other")

    assert personas_delete(prefix="acme") == len(personas)

    assert not Partner.objects.filter(public_id__in=[p.partner for p in personas]).exists()
    assert not get_user_model().objects.filter(email__startswith="acme-").exists()
    assert not ApiKey.objects.filter(name__startswith="persona-acme-").exists()
    assert Partner.objects.count() == len(personas)  # the other set stays
    assert AuditEvent.objects.filter(event_type="persona.deleted").count() == len(personas)
    assert personas_delete(prefix="acme") == 0


def test_a_bad_prefix_is_refused() -> None:
    with pytest.raises(InvalidError) as refused:
        personas_create(prefix="Acme Inc")
    assert refused.value.code == "invalid_prefix"


def test_the_command_prints_json_and_refuses_production(settings) -> None:
    out = StringIO()
    call_command("personas", "create", "--prefix", "ci", "--json", stdout=out)
    assert len(json.loads(out.getvalue())) == 5

    settings.DEVCENTER_PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("personas", "create", "--prefix", "ci")
    call_command("personas", "delete", "--prefix", "ci", "--allow-production", stdout=StringIO())
    assert not Partner.objects.exists()


def test_delete_with_production_settings_is_refused_naming_delete(settings) -> None:
    personas_create(prefix="ci")
    settings.DEVCENTER_PRODUCTION = True

    with pytest.raises(CommandError, match=r"--allow-production to delete personas") as refused:
        call_command("personas", "delete", "--prefix", "ci")

    assert refused.value.returncode == 1
    assert Partner.objects.count() == 5


def test_delete_with_json_prints_json() -> None:
    personas_create(prefix="ci")
    out = StringIO()

    call_command("personas", "delete", "--prefix", "ci", "--json", stdout=out)

    assert json.loads(out.getvalue()) == {"prefix": "ci", "deleted": 5}
