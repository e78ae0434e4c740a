"""POST /api/v1/partners/individual."""

from devcenter.partners.models import Partner
from tests.api.conftest import error_code, last_event
from tests.api.factories import ApiCaller, api_key
from tests.partners.factories import UserFactory


def test_registers_the_caller_as_an_individual(dev, developer):
    response = dev.post("/partners/individual", {"registration_name": "個人開発者"})

    assert response.status_code == 201
    assert response.json()["partner_type"] == "individual"
    assert Partner.objects.get(public_id=response.json()["id"]).user == developer
    assert last_event().partner == response.json()["id"]


def test_a_user_without_verified_email_is_refused_409_and_nothing_written(db):
    caller = ApiCaller(api_key(UserFactory()))

    response = caller.post("/partners/individual", {"registration_name": "未確認"})

    assert response.status_code == 409
    assert error_code(response) == "platform_user_required"
    assert not Partner.objects.exists()


def test_second_individual_registration_is_409(dev, individual):
    response = dev.post("/partners/individual", {"registration_name": "二つ目"})

    assert response.status_code == 409
    assert error_code(response) == "already_registered"


def test_wrong_type_is_422_with_field(dev):
    response = dev.post("/partners/individual", {"registration_name": 5})

    assert response.status_code == 422
    assert error_code(response) == "invalid_field"
    assert response.json()["field"] == "registration_name"


def test_message_follows_accept_language(dev):
    response = dev.post("/partners/individual", {}, headers={"Accept-Language": "en-US,en"})

    assert response.status_code == 422
    assert error_code(response) == "invalid_field"
    assert response.json()["message"] == "This field is invalid."
    assert response["Content-Language"] == "en"
