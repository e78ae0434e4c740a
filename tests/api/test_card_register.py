"""POST /api/v1/partners/{id}/cards."""

from devcenter.partners.models import Card, Partner
from tests.api.conftest import error_code, last_event


def test_verified_card_moves_the_individual_to_individual_card(dev, individual):
    response = dev.post(f"/partners/{individual.public_id}/cards", {"token": "tok_visa"})

    assert response.status_code == 201
    assert response.json()["status"] == "verified"
    assert response.json()["last4"]
    assert Partner.objects.get(pk=individual.pk).partner_type == "individual_card"
    assert last_event().partner == individual.public_id


def test_card_number_is_refused_and_never_stored(dev, individual):
    response = dev.post(f"/partners/{individual.public_id}/cards", {"token": "4242 4242 4242 4242"})

    assert response.status_code == 422
    assert error_code(response) == "card_number_not_accepted"
    assert response.json()["field"] == "token"
    assert not Card.objects.filter(token__contains="4242").exists()  # noqa: S106


def test_declined_card_is_refused(dev, individual):
    response = dev.post(f"/partners/{individual.public_id}/cards", {"token": "tok_declined"})

    assert response.status_code in {402, 409, 422}
    assert error_code(response) == "card_declined"
    assert Partner.objects.get(pk=individual.pk).partner_type == "individual"


def test_stranger_gets_404(other_dev, individual):
    response = other_dev.post(f"/partners/{individual.public_id}/cards", {"token": "tok_visa"})

    assert response.status_code == 404
    assert error_code(response) == "partner_not_found"


def test_replay_with_the_same_key_registers_one_card(dev, individual):
    path = f"/partners/{individual.public_id}/cards"

    first = dev.post(path, {"token": "tok_visa"}, key="card-1")
    again = dev.post(path, {"token": "tok_visa"}, key="card-1")

    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Card.objects.filter(partner=individual).count() == 1
