"""GET /api/v1/partners/{id}/history."""

from tests.api.conftest import error_code


def test_history_is_the_partners_audit_trail_oldest_first(dev, individual):
    dev.post(f"/partners/{individual.public_id}/cards", {"token": "tok_visa"})

    response = dev.get(f"/partners/{individual.public_id}/history")

    assert response.status_code == 200
    events = response.json()
    assert events[0]["event_type"] == "partner.registered"
    assert "card.registered" in [e["event_type"] for e in events]
    assert [e["sequence"] for e in events] == sorted(e["sequence"] for e in events)
    assert all(e["partner"] == individual.public_id for e in events)


def test_stranger_gets_404(other_dev, individual):
    response = other_dev.get(f"/partners/{individual.public_id}/history")
    assert response.status_code == 404
    assert error_code(response) == "partner_not_found"
