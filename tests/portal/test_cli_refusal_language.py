"""A command's refusal reads in its language: Japanese by default, English on --lang en."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.partners.factories import corporate_general_partner

pytestmark = pytest.mark.django_db
BEFORE = "2020-01-01T00:00:00Z"


def refusal(*args: str) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("decide", "service", *args, stdout=StringIO())
    return str(refused.value)


def test_an_instant_before_the_partner_is_refused_in_the_commands_language() -> None:
    partner = corporate_general_partner().public_id
    asked = ("--partner", partner, "--service", "graph_api", "--at", BEFORE)

    japanese = refusal(*asked)
    english = refusal(*asked, "--lang", "en")

    assert japanese == "partner: not_found: その時刻にはこのパートナーは登録されていませんでした。"
    assert english == "partner: not_found: The partner was not registered at that time."
