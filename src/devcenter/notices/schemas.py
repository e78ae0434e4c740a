"""Out shapes of the impact operation (`GET /partners/{id}/impact?to=TYPE`)."""

from __future__ import annotations

from typing import Any

from ninja import Schema

from devcenter.notices.impact import MoveImpact
from devcenter.partners.schemas import DecisionOut, LabelOut
from devcenter.policy import default_policy


class ImpactServiceOut(Schema):
    service: str
    label: LabelOut


class ImpactAccountOut(Schema):
    account: str
    label: LabelOut
    held: list[str]  # the partner's active platform accounts of this kind (acc_ ids)


class ImpactRegistrationOut(Schema):
    registration: str
    service: str
    name: str
    status: str


class ImpactSideOut(Schema):
    """What the move takes away (`lose`) or gives (`gain`)."""

    services: list[ImpactServiceOut]
    accounts: list[ImpactAccountOut]
    registrations: list[ImpactRegistrationOut]  # lose: suspended; gain: restored


class ImpactOut(Schema):
    """What moving the partner to `to_type` would take away and give, before it happens."""

    partner: str
    from_type: str | None
    to_type: str
    status: str  # the partner's status after the move
    policy_version: str
    decision: DecisionOut  # the policy's decision allowing the move
    lose: ImpactSideOut
    gain: ImpactSideOut


def impact_out(impact: MoveImpact) -> dict[str, Any]:
    """Return `impact` as the API shows it."""
    policy = default_policy()

    def services(codes: tuple[str, ...]) -> list[dict[str, Any]]:
        return [{"service": c, "label": policy.label("service", c).as_dict()} for c in codes]

    def accounts(codes: tuple[str, ...], held: tuple[Any, ...]) -> list[dict[str, Any]]:
        return [
            {
                "account": c,
                "label": policy.label("account", c).as_dict(),
                "held": [a.public_id for a in held if a.kind == c],
            }
            for c in codes
        ]

    def registrations(rows: tuple[Any, ...]) -> list[dict[str, Any]]:
        return [
            {"registration": r.public_id, "service": r.service, "name": r.name, "status": r.status}
            for r in rows
        ]

    return {
        "partner": impact.partner.public_id,
        "from_type": impact.from_type,
        "to_type": impact.to_type,
        "status": impact.status,
        "policy_version": policy.version,
        "decision": impact.decision.as_dict(),
        "lose": {
            "services": services(impact.services_lost),
            "accounts": accounts(impact.accounts_lost, impact.accounts_closed),
            "registrations": registrations(impact.registrations_suspended),
        },
        "gain": {
            "services": services(impact.services_gained),
            "accounts": accounts(impact.accounts_gained, ()),
            "registrations": registrations(impact.registrations_restored),
        },
    }
