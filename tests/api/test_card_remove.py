"""DELETE /api/v1/partners/{id}/cards/{card_id}."""

from devcenter.partners.models import Partner
from devcenter.partners.services import card_register
from tests.api.conftest import error_code, last_event


def test_removing_the_card_moves_back_to_individual(dev, developer, individual):
    card = card_register(partner_id=individual.public_id, token="tok_visa", acting_user=developer)  # noqa: S106

    response = dev.delete(f"/partners/{individual.public_id}/cards/{card.public_id}")

    assert response.status_code == 200
    assert response.json()["status"] == "removed"
    assert Partner.objects.get(pk=individual.pk).partner_type == "individual"
    assert last_event().event_type in {"card.removed", "partner.type_changed"}


def test_unknown_card_is_404(dev, individual):
    response = dev.delete(f"/partners/{individual.public_id}/cards/card_nope")

    assert response.status_code == 404
    assert error_code(response) == "card_not_found"


def test_stranger_gets_404(other_dev, developer, individual):
    card = card_register(partner_id=individual.public_id, token="tok_visa", acting_user=developer)  # noqa: S106

    response = other_dev.delete(f"/partners/{individual.public_id}/cards/{card.public_id}")

    assert response.status_code == 404
    assert error_code(response) == "partner_not_found"
