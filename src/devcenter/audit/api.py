"""The audit part of the registry API: a partner's history."""

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema

from devcenter.api_support.auth import user_of
from devcenter.api_support.openapi import errors
from devcenter.api_support.params import PathText
from devcenter.audit.models import AuditEvent
from devcenter.audit.selectors import audit_trail
from devcenter.partners.selectors import partner_for_user

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    """One event of the hash-chained audit log."""

    sequence: int
    occurred_at: datetime
    actor: str
    event_type: str
    target_type: str
    target_id: str
    partner: str
    old: Any = None
    new: Any = None
    hash: str


@router.get("/partners/{partner_id}/history", response={200: list[AuditEventOut], **errors()})
def partner_history(request: HttpRequest, partner_id: PathText) -> QuerySet[AuditEvent]:
    """Return the partner's audit trail, oldest first (members and staff)."""
    partner = partner_for_user(acting_user=user_of(request), public_id=partner_id)
    return audit_trail(partner=partner.public_id)
