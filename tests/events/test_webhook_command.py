"""`devcenter webhook add URL --events …` prints the signing secret alone on the last line."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from devcenter.events.models import WebhookEndpoint


def _run(*args: str) -> str:
    out = StringIO()
    call_command("webhook", *args, stdout=out)
    return out.getvalue()


def test_add_prints_the_secret_last_and_list_shows_it(db: None, receiver: Any) -> None:
    output = _run("add", receiver.url, "--events", "card.removed,partner.type_changed")
    secret = output.rstrip("\n").splitlines()[-1]
    endpoint = WebhookEndpoint.objects.get()
    assert secret == endpoint.secret
    assert endpoint.partner == ""  # a platform endpoint
    assert endpoint.event_types == ["card.removed", "partner.type_changed"]
    assert endpoint.public_id in _run("list")
    _run("disable", endpoint.public_id)
    endpoint.refresh_from_db()
    assert not endpoint.enabled
    rotated = _run("rotate", endpoint.public_id).strip()
    assert rotated != secret
    _run("remove", endpoint.public_id)
    assert not WebhookEndpoint.objects.exists()


def test_all_means_every_type(db: None, receiver: Any) -> None:
    _run("add", receiver.url, "--events", "all")
    assert WebhookEndpoint.objects.get().event_types == []


def test_unknown_type_is_refused_with_its_code(db: None, receiver: Any) -> None:
    with pytest.raises(CommandError, match="unknown_event_type"):
        _run("add", receiver.url, "--events", "card.exploded")
