"""Removing a test persona's registrations outright (`devcenter personas delete`).

A real partner's registration is deleted softly (`registration_delete`: the row is kept); a
test persona is removed completely, so its registrations go with it: credentials revoked (an
OAuth client deleted at the authorization server), images and rows deleted, each audited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.files.storage import default_storage
from django.db import transaction

from devcenter.audit.choices import AuditEventType
from devcenter.registrations.credentials import credential_revoke
from devcenter.registrations.models import (
    Credential,
    PaymentEnrolment,
    Registration,
    RegistrationImage,
)
from devcenter.registrations.services import registration_audit, registration_snapshot

if TYPE_CHECKING:
    from devcenter.partners.models import Partner


@transaction.atomic
def registrations_purge(*, partner: Partner, actor: str) -> list[str]:
    """Delete every registration of `partner` (deleted ones too) outright; return their ids.

    For test personas only. Call with the partner locked; page apps go before their page.
    """
    found = list(
        Registration.objects.select_for_update()
        .select_related("partner")
        .filter(partner=partner)
        .order_by("-pk")
    )
    files = list(
        RegistrationImage.objects.filter(registration__in=found).values_list("file", flat=True)
    )
    PaymentEnrolment.objects.filter(registration__in=found).delete()
    for registration in found:
        credential = Credential.objects.filter(registration=registration).first()
        if credential is not None and credential.revoked_at is None:
            credential_revoke(credential)
        registration_audit(
            registration,
            AuditEventType.REGISTRATION_DELETED,
            actor,
            old=registration_snapshot(registration),
            new={"deleted": True, "removed": True},
        )
        registration.delete()
    transaction.on_commit(lambda: _delete_files(files))
    return [registration.public_id for registration in found]


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
