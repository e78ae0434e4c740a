"""`devcenter policy diff NEW.toml`: what changes, and which real partners gain or lose."""

from __future__ import annotations

import json
from importlib.resources import files
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from devcenter.partners.services import partner_suspend
from tests.partners.factories import corporate_general_partner, individual_partner

SHIPPED = files("devcenter.policy").joinpath("mixi_platform.toml").read_text(encoding="utf-8")
GRAPH_API_ROW = "graph_api       = { corporate_certified = true, corporate_general = false"

pytestmark = pytest.mark.django_db


def diff(path: Path, *args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("policy", "diff", str(path), *args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "new.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_same_policy_changes_nothing(tmp_path: Path) -> None:
    code, out = diff(write(tmp_path, SHIPPED))

    assert code == 0
    assert "nothing changes" in out


def test_opening_graph_api_to_general_partners_names_who_gains(tmp_path: Path) -> None:
    general = sorted(corporate_general_partner().public_id for _ in range(3))
    suspended = corporate_general_partner()
    partner_suspend(partner_id=suspended.public_id, actor="system", reason="test")
    individual_partner()
    new = write(
        tmp_path,
        SHIPPED.replace(GRAPH_API_ROW, GRAPH_API_ROW.replace("general = false", "general = true")),
    )

    code, out = diff(new, "--json")

    assert code == 3
    shown = json.loads(out)
    changed = {
        (c["request"]["partner_type"], c["request"]["status"])
        for c in shown["requests"]["service"]
        if c["old"]["code"] != c["new"]["code"]
    }
    assert changed == {("corporate_general", "active"), ("corporate_general", "pending")}
    rows = [row for row in shown["partners"] if row.get("service") == "graph_api"]
    assert rows == [
        {
            "service": "graph_api",
            "gain": {"partners": 3, "first_ids": general},
            "lose": {"partners": 0, "first_ids": []},
        }
    ]
    assert suspended.public_id not in out  # a suspended partner gains nothing


def test_changed_rules_under_the_running_version_are_told_to_take_a_new_version(
    tmp_path: Path,
) -> None:
    opened = SHIPPED.replace(
        GRAPH_API_ROW, GRAPH_API_ROW.replace("general = false", "general = true")
    )
    renamed = opened.replace('version = "', 'version = "9999.01.01-1" # was "', 1)

    same_code, same_out = diff(write(tmp_path, opened))
    json_code, json_out = diff(write(tmp_path, opened), "--json")
    new_code, new_out = diff(write(tmp_path, renamed))

    assert (same_code, json_code, new_code) == (3, 3, 3)
    assert "give it a new version" in same_out
    assert json.loads(json_out)["needs_new_version"] is True
    assert "give it a new version" not in new_out


def test_a_file_that_is_not_utf8_text_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "logo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00binary")

    with pytest.raises(CommandError, match=r"^policy file: file: not UTF-8 text: ") as raised:
        call_command("policy", "diff", str(path))

    assert raised.value.returncode == 1


PAYMENT_ROW = "payment_program = { corporate_certified = true, corporate_general = false, "


def test_a_file_that_fails_its_own_checks_says_so_as_the_staff_page_does(tmp_path: Path) -> None:
    row = PAYMENT_ROW + "individual_card = false, individual = false"
    opened = row.replace("individual = false", "individual = true")
    new = write(tmp_path, SHIPPED.replace(row, opened))

    code, out = diff(new)
    _code, json_out = diff(new, "--json")

    assert code == 3
    assert "the new file fails its own checks (2): the service would refuse to start" in out
    assert "FAIL invariant:no_individual_payment" in out
    failures = json.loads(json_out)["check_failures"]
    assert [f["check"] for f in failures][0] == "invariant:no_individual_payment"


def test_a_file_that_passes_its_checks_lists_no_check_failures(tmp_path: Path) -> None:
    _code, out = diff(write(tmp_path, SHIPPED), "--json")

    assert json.loads(out)["check_failures"] == []
