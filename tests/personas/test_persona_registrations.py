"""Personas carry a usable registration of each registrable service their type may use, made
through the registrations app's services (audited); idempotent; deleted with the persona."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from oauth2_provider.models import get_application_model

from devcenter.audit.models import AuditEvent
from devcenter.personas.services import personas_create, personas_delete
from devcenter.policy import default_policy
from devcenter.registrations.models import Credential, Registration
from devcenter.registrations.selectors import credentials_verify, registration_client_usable

pytestmark = pytest.mark.django_db


def usable_services(partner_type: str) -> set[str]:
    policy = default_policy()
    return {
        service
        for service in policy.registrations.registrable
        if policy.decide_partner_service(partner_type, "active", service).allowed
    }


def test_each_persona_registers_every_service_its_type_may_use() -> None:
    personas = personas_create(prefix="acme")

    for persona in personas:
        services = [r.service for r in persona.registrations]
        assert len(services) == len(set(services))
        assert set(services) == usable_services(persona.partner_type), persona.name
    certified = next(p for p in personas if p.name == "certified")
    assert len(certified.registrations) == len(default_policy().registrations.registrable)
    created = AuditEvent.objects.filter(event_type="registration.created").count()
    assert created == sum(len(p.registrations) for p in personas)


def test_the_registrations_are_usable_credentials_issued_e_mail_confirmed() -> None:
    personas = personas_create(prefix="acme")

    rules = default_policy().registrations
    card = next(p for p in personas if p.name == "card")
    by_service = {r.service: r for r in card.registrations}
    for service, registration in by_service.items():
        has_key = rules.of(service).credentials != "none"
        assert (registration.client_id is not None) == has_key, service
        assert registration.status == rules.initial_status
    graph = by_service["graph_api"]
    row = Registration.objects.get(public_id=graph.registration)
    assert row.contact_email_confirmed_at is not None  # the e-mailed link was followed
    assert registration_client_usable(graph.client_id)
    app = by_service["app_pc"]
    assert credentials_verify(client_id=app.client_id, client_secret=app.client_secret)
    page_app = Registration.objects.get(public_id=by_service["page_app"].registration)
    assert page_app.parent.public_id == by_service["page"].registration
    assert AuditEvent.objects.filter(
        event_type="registration.contact_email_confirmed", target_id=graph.registration
    ).exists()


def test_the_suspended_persona_s_registrations_follow_it_into_suspension() -> None:
    personas = personas_create(prefix="acme")

    suspended = next(p for p in personas if p.name == "suspended")
    assert suspended.registrations
    assert {r.status for r in suspended.registrations} == {"suspended"}
    rows = Registration.objects.filter(
        public_id__in=[r.registration for r in suspended.registrations]
    )
    assert {r.suspended_reason for r in rows} == {"partner_suspended"}


def test_a_second_run_returns_the_same_registrations_and_no_secret() -> None:
    first = personas_create(prefix="acme")
    count = Registration.objects.count()

    out = StringIO()
    call_command("personas", "create", "--prefix", "acme", "--json", stdout=out)

    shown = json.loads(out.getvalue())
    assert [[r["registration"] for r in p["registrations"]] for p in shown] == [
        [r.registration for r in p.registrations] for p in first
    ]
    assert all(r["client_secret"] is None for p in shown for r in p["registrations"])
    assert Registration.objects.count() == count


def test_delete_removes_the_registrations_and_their_credentials_audited() -> None:
    personas = personas_create(prefix="acme")
    ids = [r.registration for p in personas for r in p.registrations]
    other = personas_create(prefix="other")
    clients = get_application_model().objects.count()

    personas_delete(prefix="acme")

    assert not Registration.objects.filter(public_id__in=ids).exists()
    assert Registration.objects.count() == sum(len(p.registrations) for p in other)
    assert Credential.objects.count() == sum(
        1 for p in other for r in p.registrations if r.client_id
    )
    graph_clients = sum(1 for p in personas for r in p.registrations if r.service == "graph_api")
    assert get_application_model().objects.count() == clients - graph_clients
    removed = AuditEvent.objects.filter(event_type="registration.deleted", target_id__in=ids)
    assert sorted(removed.values_list("target_id", flat=True)) == sorted(ids)
