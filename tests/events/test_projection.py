"""The projection: which audit types are events, under which public type, with which data."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from devcenter.audit.choices import AuditEventType
from devcenter.events.choices import EventType
from devcenter.events.projection import EVENT_TYPE_OF, is_event, project, sequence_of


@pytest.mark.parametrize(
    ("audit_type", "event_type"),
    [
        ("partner.registered", "partner.created"),
        ("card.registered", "card.verified"),
        ("card.expiring", "card.expiring"),
        ("registration.created", "registration.created"),
        ("registration.published", "registration.published"),
        ("registration.rejected", "registration.rejected"),
        ("registration.suspended", "registration.suspended"),
        ("registration.restored", "registration.restored"),
        ("registration.credentials_rotated", "registration.credentials_rotated"),
    ],
)
def test_audit_types_map_to_event_types(audit_type: str, event_type: str) -> None:
    assert EVENT_TYPE_OF[audit_type] == event_type


def test_every_mapped_audit_type_exists_or_is_the_notices_card_expiring() -> None:
    known = set(AuditEventType.values) | {"card.expiring"}
    assert set(EVENT_TYPE_OF) <= known
    assert set(EVENT_TYPE_OF.values()) == set(EventType)


@pytest.mark.parametrize("audit_type", ["apikey.created", "document.uploaded", "persona.created"])
def test_internal_changes_are_no_events(audit_type: str) -> None:
    assert not is_event(audit_type)


def _audit(**fields: object) -> SimpleNamespace:
    base = {"sequence": 42, "occurred_at": datetime.now(tz=UTC), "partner": "ptn_x", "old": None}
    return SimpleNamespace(**{**base, **fields})


def test_data_keeps_no_personal_data_or_secrets() -> None:
    event = project(
        _audit(
            event_type="partner.registered",
            target_type="partner",
            target_id="ptn_x",
            new={
                "kind": "individual",
                "partner_type": "individual",
                "status": "active",
                "registration_name": "山田太郎",
                "corporate_number": "1234567890123",
            },
        )
    )
    assert event.data == {
        "partner": "ptn_x",
        "kind": "individual",
        "partner_type": "individual",
        "status": "active",
    }


def test_a_removal_projects_its_old_state() -> None:
    event = project(
        _audit(
            event_type="registration.deleted",
            target_type="registration",
            target_id="reg_1",
            old={"service": "graph_api", "status": "live", "name": "My app"},
            new=None,
        )
    )
    assert event.data == {"registration": "reg_1", "service": "graph_api", "status": "live"}


def test_type_change_carries_old_new_and_the_policys_services() -> None:
    event = project(
        _audit(
            event_type="partner.type_changed",
            target_type="partner",
            target_id="ptn_x",
            old={"partner_type": "individual", "status": "active"},
            new={"partner_type": "individual_card", "status": "active", "reason": "x"},
        )
    )
    assert event.data["old_type"] == "individual"
    assert event.data["new_type"] == "individual_card"
    assert "graph_api" in event.data["services_gained"]
    assert event.data["services_lost"] == []
    assert "reason" not in event.data


def test_event_ids_round_trip() -> None:
    assert sequence_of("evt_42") == 42
    assert sequence_of("evt_x") is None
    assert sequence_of("42") is None
