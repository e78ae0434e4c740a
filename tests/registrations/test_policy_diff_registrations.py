"""`devcenter policy diff NEW.toml`, joined with registrations: which registrations a new policy
would suspend or restore (they follow their partner's entitlements), with exact counts and the
first ids, from grouped counts; suspended partners gain nothing; nothing is written."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from devcenter.audit.models import AuditEvent
from devcenter.partners.models import Card
from devcenter.partners.services import card_remove, partner_suspend
from devcenter.policy import shipped_policy_text
from devcenter.registrations.models import Registration
from devcenter.registrations.services import registration_create, registration_delete
from devcenter.registrations.what_if import policy_what_if
from tests.partners.factories import corporate_general_partner, platform_user
from tests.registrations.factories import partner_of_type, valid_fields

pytestmark = pytest.mark.django_db

SHIPPED = shipped_policy_text()
GRAPH_API_ROW = (
    "graph_api       = { corporate_certified = true, corporate_general = false, "
    "individual_card = true,  individual = false, none = false }"
)


def edited(tmp_path: Path, row: str, name: str) -> Path:
    assert GRAPH_API_ROW in SHIPPED
    path = tmp_path / f"{name}.toml"
    path.write_text(SHIPPED.replace(GRAPH_API_ROW, row), encoding="utf-8")
    return path


OPEN_TO_GENERAL = GRAPH_API_ROW.replace("corporate_general = false", "corporate_general = true")
CLOSED_TO_CARD = GRAPH_API_ROW.replace("individual_card = true", "individual_card = false")
OPEN_TO_INDIVIDUAL = GRAPH_API_ROW.replace("individual = false", "individual = true")


def diff(path: Path) -> tuple[int, dict[str, Any], str]:
    """Run the command twice (--json and text); return the exit code, the JSON and the text."""
    shown: dict[str, Any] = {}
    texts: list[str] = []
    codes = []
    for args in (["--json"], []):
        out = StringIO()
        try:
            call_command("policy", "diff", str(path), *args, stdout=out)
            codes.append(0)
        except SystemExit as exit_:
            codes.append(int(exit_.code or 0))
        if args:
            shown = json.loads(out.getvalue())
        else:
            texts.append(out.getvalue())
    assert codes[0] == codes[1]
    return codes[0], shown, texts[0]


def register(partner: Any, user: Any, service: str = "graph_api") -> str:
    with transaction.atomic():
        made = registration_create(
            partner_id=partner.public_id,
            service=service,
            name="連携サービス",
            fields=valid_fields(service),
            acting_user=user,
        )
    return made.public_id


class Registry:
    """Known partners and registrations, made through the services."""

    def __init__(self) -> None:
        self.card_user = platform_user()
        card_a = partner_of_type("individual_card", self.card_user)
        card_b = partner_of_type("individual_card", platform_user())
        self.card_graph = sorted(
            [
                register(card_a, self.card_user),
                register(card_a, self.card_user),
                register(card_b, card_b.memberships.get().user),
            ]
        )
        self.card_plugin = register(card_a, self.card_user, "plugin")  # not graph_api
        gone = register(card_b, card_b.memberships.get().user)
        with transaction.atomic():
            registration_delete(registration_id=gone, acting_user=card_b.memberships.get().user)
        # A suspended card partner: its registrations are suspended already and stay so.
        self.suspended_user = platform_user()
        suspended = partner_of_type("individual_card", self.suspended_user)
        self.of_suspended = register(suspended, self.suspended_user)
        with transaction.atomic():
            partner_suspend(partner_id=suspended.public_id, actor="system", reason="test")
        # A partner whose card was removed: individual, its Graph API registration suspended.
        self.lost_user = platform_user()
        lost = partner_of_type("individual_card", self.lost_user)
        self.card_lost = register(lost, self.lost_user)
        card = Card.objects.get(partner=lost, status="verified")
        with transaction.atomic():
            card_remove(
                partner_id=lost.public_id, card_id=card.public_id, acting_user=self.lost_user
            )
        self.general = sorted(corporate_general_partner().public_id for _ in range(3))
        general_suspended = corporate_general_partner()
        with transaction.atomic():
            partner_suspend(partner_id=general_suspended.public_id, actor="system", reason="t")
        self.general_suspended = general_suspended.public_id
        self.suspended_partner = suspended.public_id

    def state(self) -> tuple[int, list[tuple[str, str, str]]]:
        rows = Registration.objects.order_by("public_id").values_list(
            "public_id", "status", "suspended_reason"
        )
        return AuditEvent.objects.count(), list(rows)


@pytest.fixture
def registry() -> Registry:
    return Registry()


def graph_api_row(shown: dict[str, Any], key: str) -> list[dict[str, Any]]:
    return [row for row in shown[key] if row.get("service") == "graph_api"]


def test_opening_graph_api_to_general_partners_moves_no_registration(
    tmp_path: Path, registry: Registry
) -> None:
    before = registry.state()

    code, shown, text = diff(edited(tmp_path, OPEN_TO_GENERAL, "open"))

    assert code == 3
    assert graph_api_row(shown, "partners") == [
        {
            "service": "graph_api",
            "gain": {"partners": 3, "first_ids": registry.general},
            "lose": {"partners": 0, "first_ids": []},
        }
    ]
    assert shown["registrations"] == []  # general partners hold no Graph API registration
    assert registry.general_suspended not in json.dumps(shown)  # suspended gain nothing
    assert "registrations would be" not in text
    assert registry.state() == before  # nothing written


def test_closing_graph_api_to_card_partners_suspends_their_registrations(
    tmp_path: Path, registry: Registry
) -> None:
    before = registry.state()

    code, shown, text = diff(edited(tmp_path, CLOSED_TO_CARD, "closed"))

    assert code == 3
    [partners] = graph_api_row(shown, "partners")
    assert partners["lose"]["partners"] == 2  # card_a and card_b, not the suspended one
    assert registry.suspended_partner not in partners["lose"]["first_ids"]
    assert graph_api_row(shown, "registrations") == [
        {
            "service": "graph_api",
            "suspend": {"registrations": 3, "first_ids": registry.card_graph},
            "restore": {"registrations": 0, "first_ids": []},
        }
    ]
    assert registry.card_plugin not in json.dumps(shown["registrations"])
    assert registry.of_suspended not in json.dumps(shown["registrations"])
    assert registry.card_lost not in json.dumps(shown["registrations"])
    assert (
        f"graph_api: 3 registrations would be suspended ({', '.join(registry.card_graph)})" in text
    )
    assert registry.state() == before


def test_opening_graph_api_to_individuals_restores_what_losing_the_card_suspended(
    tmp_path: Path, registry: Registry
) -> None:
    before = registry.state()

    code, shown, text = diff(edited(tmp_path, OPEN_TO_INDIVIDUAL, "individual"))

    assert code == 3
    assert graph_api_row(shown, "registrations") == [
        {
            "service": "graph_api",
            "suspend": {"registrations": 0, "first_ids": []},
            "restore": {"registrations": 1, "first_ids": [registry.card_lost]},
        }
    ]
    assert f"graph_api: 1 registrations would be restored ({registry.card_lost})" in text
    assert registry.state() == before


def test_the_same_policy_moves_nothing(tmp_path: Path, registry: Registry) -> None:
    path = tmp_path / "same.toml"
    path.write_text(SHIPPED, encoding="utf-8")

    code, shown, text = diff(path)

    assert (code, shown["changed"], shown["registrations"]) == (0, False, [])
    assert "nothing changes" in text


def test_the_registry_is_read_in_grouped_queries(
    tmp_path: Path, registry: Registry, django_assert_max_num_queries: Any
) -> None:
    """The query count does not grow with the registry: groups and the first ids only."""
    from devcenter.policy import load_policy_file

    new = load_policy_file(edited(tmp_path, CLOSED_TO_CARD, "closed"))
    for _ in range(3):
        user = platform_user()
        register(partner_of_type("individual_card", user), user)
    with django_assert_max_num_queries(12):
        shown = policy_what_if(new)
    assert graph_api_row(shown, "registrations")[0]["suspend"]["registrations"] == 6
