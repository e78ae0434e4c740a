"""The audit catalogues grow without migrations: their choices stay out of the migration state."""

from __future__ import annotations

import pytest

from devcenter.audit.models import AuditEvent, AuditEventType, AuditTarget, PendingAuditEvent


@pytest.mark.parametrize("model", [AuditEvent, PendingAuditEvent])
@pytest.mark.parametrize(
    ("name", "catalogue"), [("event_type", AuditEventType), ("target_type", AuditTarget)]
)
def test_a_catalogue_column_shows_labels_but_migrates_without_them(model, name, catalogue) -> None:
    field = model._meta.get_field(name)

    _name, path, _args, kwargs = field.deconstruct()

    assert "choices" not in kwargs  # a new member needs no migration
    assert path == "django.db.models.CharField"  # migrations never import the subclass
    assert kwargs["max_length"] == 50
    assert list(field.choices) == list(catalogue.choices)  # the admin still shows labels
