"""The database-away middleware looks before it refuses: a suspicion alone never gives a 503."""

import pytest

from devcenter.operations.database import WATCH


@pytest.fixture
def suspected():
    WATCH.suspect()  # as when the decision plane's read failed a moment ago
    yield WATCH
    WATCH.down = False


def test_a_suspicion_is_checked_and_cleared_when_the_database_answers(client, db, suspected):
    response = client.get("/api/v1/partners")
    assert response.status_code == 401  # Django answered (no key), not 503
    assert suspected.down is False


def test_a_request_without_database_access_is_not_refused(client, suspected):
    """Only a connection failure counts: a probe that cannot tell lets the request through."""
    response = client.get("/", {"lang": "en"})
    assert response.status_code == 200
