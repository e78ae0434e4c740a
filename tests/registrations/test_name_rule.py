"""A name may not start with the platform's own name (mixi / ミクシィ), in any case or width."""

from __future__ import annotations

import pytest

from devcenter.registrations.models import Registration
from tests.registrations.conftest import code_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name", ["mixi占い", "MIXI Game", "MiXi", "ｍｉｘｉ ゲーム", "ＭＩＸＩ", "ミクシィ占い", "ﾐｸｼｨ"]
)
def test_a_name_starting_with_the_platform_s_name_is_refused(dev, certified_partner, name):
    response = dev.post(
        f"/partners/{certified_partner.public_id}/registrations", {"service": "page", "name": name}
    )

    assert response.status_code == 422
    assert (code_of(response), response.json()["field"]) == ("name_reserved", "name")
    assert not Registration.objects.exists()


@pytest.mark.parametrize("name", ["My mixi", "ゲーム for ミクシィ", "mix it"])
def test_other_names_are_fine(dev, certified_partner, name):
    response = dev.post(
        f"/partners/{certified_partner.public_id}/registrations", {"service": "page", "name": name}
    )

    assert response.status_code == 201


def test_renaming_follows_the_same_rule(dev, certified_partner):
    reg = dev.post(
        f"/partners/{certified_partner.public_id}/registrations", {"service": "page", "name": "x"}
    ).json()["id"]

    response = dev.patch(f"/registrations/{reg}", {"name": "Ｍｉｘｉページ"})

    assert (response.status_code, code_of(response)) == (422, "name_reserved")
    assert Registration.objects.get(public_id=reg).name == "x"
