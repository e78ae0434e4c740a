"""Idempotency-Key: replay, reuse conflict, in-progress conflict, per-owner scope, purge."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from devcenter.api_support.idempotency import idempotency_purge, request_fingerprint
from devcenter.api_support.models import IdempotencyRecord
from devcenter.partners.models import Partner
from tests.api.conftest import error_code
from tests.api.factories import ApiCaller, lapsed_staff_key


def test_keys_are_per_owner(dev, other_dev):
    first = dev.post("/partners/individual", {"registration_name": "a"}, key="shared")
    second = other_dev.post("/partners/individual", {"registration_name": "a"}, key="shared")

    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]


def test_json_key_order_and_spacing_do_not_matter(dev):
    path = "/api/v1/partners/individual"
    headers = {**dev.headers, "Idempotency-Key": "fmt"}
    dev.client.post(
        path, '{"registration_name": "a"}', content_type="application/json", headers=headers
    )

    again = dev.client.post(
        path, '{ "registration_name":"a" }', content_type="application/json", headers=headers
    )

    assert again["Idempotent-Replayed"] == "true"


def test_error_answers_are_replayed_too(dev, developer):
    dev.post("/partners/individual", {"registration_name": "x"})
    first = dev.post("/partners/individual", {"registration_name": "y"}, key="err")

    again = dev.post("/partners/individual", {"registration_name": "y"}, key="err")

    assert first.status_code == again.status_code == 409
    assert error_code(again) == "already_registered"
    assert again["Idempotent-Replayed"] == "true"


def test_a_running_first_request_makes_a_duplicate_409_in_progress(dev, developer):
    IdempotencyRecord.objects.create(
        owner=developer,
        key="busy",
        method="POST",
        path="/api/v1/partners/individual",
        request_hash="0" * 64,
    )

    response = dev.post("/partners/individual", {"registration_name": "a"}, key="busy")

    assert response.status_code == 409
    assert error_code(response) in {"idempotency_key_in_progress", "idempotency_key_reused"}
    assert not Partner.objects.exists()


def test_same_key_on_another_path_is_reuse(dev, individual):
    dev.post(f"/partners/{individual.public_id}/cards", {"token": "tok_visa"}, key="k")

    response = dev.post("/partners/individual", {"registration_name": "a"}, key="k")

    assert error_code(response) == "idempotency_key_reused"


def test_an_invalid_key_is_422(dev):
    response = dev.post("/partners/individual", {"registration_name": "a"}, key="x" * 256)

    assert response.status_code == 422
    assert error_code(response) == "invalid_field"
    assert response.json()["field"] == "Idempotency-Key"


def test_records_older_than_a_day_are_purged_and_the_key_is_free_again(dev, developer):
    dev.post("/partners/individual", {"registration_name": "a"}, key="old")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))

    assert idempotency_purge(now=timezone.now()) == 1
    assert not IdempotencyRecord.objects.exists()


def test_validation_errors_claim_nothing(dev):
    dev.post("/partners/individual", {}, key="bad-body")

    assert not IdempotencyRecord.objects.exists()


def test_the_purge_command_keeps_fresh_records(dev, developer):
    dev.post("/partners/individual", {"registration_name": "a"}, key="old")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    dev.post("/partners/individual", {"registration_name": "b"}, key="fresh")  # a 409, kept too
    out = StringIO()

    call_command("idempotency", "purge", stdout=out)
    call_command("idempotency", "purge", stdout=out)  # again: nothing left to do

    assert out.getvalue().splitlines() == [
        "Purged 1 idempotency record(s) older than 24 hours.",
        "Purged 0 idempotency record(s) older than 24 hours.",
    ]
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh"]


def _fingerprint_of_registering(name):
    """Return the request hash of `POST /partners/individual` with `name`."""
    request = RequestFactory().post(
        "/api/v1/partners/individual", {"registration_name": name}, content_type="application/json"
    )
    return request_fingerprint(request)


def _claim_left_by_a_crash(owner, key, *, age, request_hash="0" * 64):
    """A claim without an answer, as a worker killed between claim and answer leaves it."""
    record = IdempotencyRecord.objects.create(
        owner=owner,
        key=key,
        method="POST",
        path="/api/v1/partners/individual",
        request_hash=request_hash,
    )
    IdempotencyRecord.objects.filter(pk=record.pk).update(created_at=timezone.now() - age)
    return record


def test_a_claim_whose_lease_expired_is_taken_over_by_the_retry(dev, developer):
    """A request that died leaves its claim; after the 60 s lease the retry runs and answers."""
    fingerprint = _fingerprint_of_registering("a")
    _claim_left_by_a_crash(
        developer, "crashed", age=timedelta(seconds=61), request_hash=fingerprint
    )

    response = dev.post("/partners/individual", {"registration_name": "a"}, key="crashed")
    again = dev.post("/partners/individual", {"registration_name": "a"}, key="crashed")

    assert response.status_code == 201
    assert Partner.objects.count() == 1
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    record = IdempotencyRecord.objects.get(owner=developer, key="crashed")
    assert record.status == 201


def test_a_claim_within_its_lease_is_still_in_progress(dev, developer):
    fingerprint = _fingerprint_of_registering("a")
    _claim_left_by_a_crash(
        developer, "running", age=timedelta(seconds=30), request_hash=fingerprint
    )

    response = dev.post("/partners/individual", {"registration_name": "a"}, key="running")

    assert response.status_code == 409
    assert error_code(response) == "idempotency_key_in_progress"
    assert not Partner.objects.exists()


def test_a_request_taken_over_after_its_lease_does_not_overwrite_the_new_answer(dev, developer):
    """The late finisher of a taken-over claim leaves the newer record alone."""
    from django.http import HttpResponse

    from devcenter.api_support.idempotency import _finish

    stale = _claim_left_by_a_crash(developer, "late", age=timedelta(seconds=61))
    dev.post("/partners/individual", {"registration_name": "a"}, key="late")

    _finish(stale, HttpResponse("{}", status=409))

    assert IdempotencyRecord.objects.get(owner=developer, key="late").status == 201


def test_a_scope_refusal_does_not_use_up_the_key(dev, developer):
    """A developer key on a staff endpoint is 403 insufficient_scope, never stored or replayed."""
    response = dev.post("/staff/applications/apl_x/start-review", key="scope")

    assert response.status_code == 403
    assert error_code(response) == "insufficient_scope"
    assert not IdempotencyRecord.objects.filter(key="scope").exists()


def test_a_staff_refusal_does_not_use_up_the_key(dev, developer):
    response = dev.post("/partners/individual", {"registration_name": "a"}, key="k1")
    assert response.status_code == 201

    refused = ApiCaller(lapsed_staff_key(developer)).post(
        "/staff/applications/apl_x/start-review", key="k2"
    )

    assert refused.status_code == 403
    assert error_code(refused) == "staff_only"
    assert not IdempotencyRecord.objects.filter(key="k2").exists()
