"""The staff console's policy diff page: staff with TOTP only; an uploaded file is read as TOML
and by the loader (errors shown with their place), then diffed against the registry, in
Japanese and English; nothing is written."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from devcenter.audit.models import AuditEvent
from devcenter.policy import shipped_policy_text
from devcenter.registrations.models import Registration
from devcenter.registrations.services import registration_create
from tests.partners.factories import corporate_general_partner, platform_user
from tests.registrations.factories import partner_of_type, valid_fields
from tests.staff.factories import PASSWORD, StaffFactory
from tests.staff.helpers import staff_console_client

pytestmark = pytest.mark.django_db

URL = "/admin/policy/diff/"
ROW = (
    "graph_api       = { corporate_certified = true, corporate_general = false, "
    "individual_card = true,  individual = false, none = false }"
)
CLOSED_TO_CARD = shipped_policy_text().replace(
    ROW, ROW.replace("individual_card = true", "individual_card = false")
)


def upload(text: str, name: str = "new.toml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), "application/toml")


def post(client: Client, text: str, lang: str = "en") -> Any:
    return client.post(URL, {"policy_file": upload(text)}, headers={"accept-language": lang})


@pytest.fixture
def staff_client(client: Client) -> Client:
    return staff_console_client(client)[0]


def card_registration() -> str:
    user = platform_user()
    partner = partner_of_type("individual_card", user)
    with transaction.atomic():
        made = registration_create(
            partner_id=partner.public_id,
            service="graph_api",
            name="連携",
            fields=valid_fields("graph_api"),
            acting_user=user,
        )
    return made.public_id


def test_the_url_is_the_named_route() -> None:
    assert reverse("staff_policy_diff") == URL


def test_a_staff_user_sees_which_registrations_a_file_would_suspend(staff_client: Client) -> None:
    registration = card_registration()
    corporate_general_partner()
    events = AuditEvent.objects.count()

    answer = post(staff_client, CLOSED_TO_CARD)

    assert answer.status_code == 200
    page = answer.content.decode()
    assert 'id="diff-registrations"' in page
    assert registration in page
    assert "Would be suspended" in page
    # Closing Graph API to card partners breaks a test the file ships: shown, not hidden.
    assert "The file fails its own checks (1)" in page
    assert "an individual needs a card for the Graph API" in page
    assert (AuditEvent.objects.count(), Registration.objects.get().status) == (
        events,
        "in_development",
    )  # nothing written


def test_the_page_is_in_japanese_by_default(staff_client: Client) -> None:
    answer = staff_client.get(URL, headers={"accept-language": "ja"})

    page = answer.content.decode()
    assert answer.status_code == 200
    assert "ポリシーファイル" in page
    assert 'id="staff-policy-diff-link"' in page  # the console's header links here


def test_a_file_that_is_not_toml_is_shown_with_its_line(staff_client: Client) -> None:
    broken = shipped_policy_text().replace('name = "mixi_platform"', 'name = "mixi_platform', 1)

    answer = post(staff_client, broken)

    page = answer.content.decode()
    assert 'id="policy-file-problem"' in page
    assert "not valid TOML" in page
    assert "line 10" in page


def test_a_loader_error_names_its_section(staff_client: Client) -> None:
    broken = CLOSED_TO_CARD.replace(
        "individual_card = false, individual = false, none = false }",
        "individual = false, none = false }",
    )

    page = post(staff_client, broken).content.decode()

    assert 'id="policy-file-problem"' in page
    assert "service_matrix" in page
    assert 'id="policy-diff-result"' not in page


def test_the_same_policy_changes_nothing(staff_client: Client) -> None:
    page = post(staff_client, shipped_policy_text()).content.decode()

    assert 'id="nothing-changes"' in page
    assert "Its own invariants and tests pass" in page


def test_a_file_over_the_limit_is_refused(staff_client: Client, settings: Any) -> None:
    settings.DEVCENTER_POLICY_FILE_MAX_BYTES = 1024

    page = post(staff_client, shipped_policy_text()).content.decode()

    assert "larger than 1 KiB" in page
    assert 'id="policy-diff-result"' not in page


def test_staff_without_totp_and_others_never_see_it(client: Client) -> None:
    staff = StaffFactory()  # no TOTP
    assert client.login(username=staff.username, password=PASSWORD)
    answer = client.get(URL)
    assert answer.status_code == 302
    assert "totp" in answer["Location"] or "mfa" in answer["Location"]

    developer = get_user_model().objects.create_user(username="dev", password=PASSWORD)
    other = Client()
    other.force_login(developer)
    assert other.get(URL).status_code == 404
    assert other.post(URL, {"policy_file": upload(CLOSED_TO_CARD)}).status_code == 404
    assert Client().get(URL).status_code == 302  # anonymous: to the log-in


def test_a_file_problem_is_shown_at_the_field_and_summed_up_above_it(
    staff_client: Client,
) -> None:
    from html.parser import HTMLParser

    class FieldRow(HTMLParser):
        """Collect the ids inside the policy file's form row, and the summary's place."""

        def __init__(self) -> None:
            super().__init__()
            self.depth = 0  # > 0 inside the form row
            self.ids_in_row: list[str] = []
            self.summary_before_row = False

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            names = dict(attrs)
            if self.depth:
                self.depth += tag == "div"
                self.ids_in_row += [names["id"] or ""] if "id" in names else []
            elif tag == "div" and "form-row" in (names.get("class") or ""):
                self.depth = 1
            elif names.get("id") == "error-summary":
                self.summary_before_row = True

        def handle_endtag(self, tag: str) -> None:
            if self.depth and tag == "div":
                self.depth -= 1

    page = post(staff_client, "this is [ not toml\n").content.decode()
    row = FieldRow()
    row.feed(page)

    assert row.summary_before_row  # focus moves there (staff/policy_diff.js)
    assert "policy-file-problem" in row.ids_in_row
    assert "id_policy_file" in row.ids_in_row


def test_the_page_refuses_a_file_over_the_limit_before_sending_it(
    staff_client: Client, settings: Any
) -> None:
    """Past the front door's cut the answer would be its JSON 413, not this page: the field
    carries the limit for the page's script, which shows the error at the field."""
    settings.DEVCENTER_POLICY_FILE_MAX_BYTES = 2048

    page = staff_client.get(URL, headers={"accept-language": "en"}).content.decode()

    assert 'data-max-bytes="2048"' in page
    assert 'id="policy-file-too-large" hidden' in page
    assert "This file is larger than 2 KiB: choose a smaller one." in page
    assert "staff/policy_diff.js" in page
    assert "staff/policy_diff.css" in page


def test_changed_rules_under_the_running_version_are_told_to_take_a_new_version(
    staff_client: Client,
) -> None:
    renamed = CLOSED_TO_CARD.replace('version = "', 'version = "9999.01.01-1" # was "', 1)

    same = post(staff_client, CLOSED_TO_CARD, lang="ja").content.decode()
    other = post(staff_client, renamed, lang="ja").content.decode()

    assert 'id="needs-new-version"' in same
    assert "デプロイする前に新しいバージョンを付けてください" in same
    assert "サービス: 変わるリクエスト" in same  # the kind's heading, in Japanese
    assert 'id="needs-new-version"' not in other


def test_the_console_is_named_devcenter_not_django(staff_client: Client) -> None:
    japanese = staff_client.get(URL, headers={"accept-language": "ja"}).content.decode()
    english = staff_client.get(URL, headers={"accept-language": "en"}).content.decode()

    assert "devcenter スタッフコンソール" in japanese
    assert "devcenter staff console" in english
    assert "Django" not in japanese + english
