"""The loader refuses broken policy files and says where."""

import re
from importlib.resources import files

import pytest

from devcenter.policy import PolicyFileError, load_policy

SHIPPED = files("devcenter.policy").joinpath("mixi_platform.toml").read_text(encoding="utf-8")


def broken(old: str, new: str, count: int = 1) -> str:
    assert old in SHIPPED, old
    return SHIPPED.replace(old, new, count)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_shipped_file_loads():
    assert load_policy(SHIPPED).version


def test_matrix_with_a_hole_names_row_column_and_line():
    text = broken(
        "graph_api       = { corporate_certified = true, corporate_general = false, ",
        "graph_api       = { corporate_certified = true, ",
    )
    with pytest.raises(PolicyFileError) as caught:
        load_policy(text)
    assert caught.value.where == "service_matrix.graph_api"
    assert "corporate_general" in caught.value.problem
    assert caught.value.line == line_of(text, "graph_api       =")


def test_missing_matrix_row():
    text = re.sub(r"\npage_app +=.*\n", "\n", SHIPPED, count=1)
    with pytest.raises(PolicyFileError, match="no row for 'page_app'"):
        load_policy(text)


def test_unknown_column():
    with pytest.raises(PolicyFileError, match="unknown column 'corporate'"):
        load_policy(
            broken(
                "app_mobile      = { corporate_certified",
                "app_mobile      = { corporate = true, corporate_certified",
            )
        )


def test_move_to_unknown_type_names_the_move_and_line():
    text = broken(
        'to = "individual_card"\nallowed = true', 'to = "individual_gold"\nallowed = true'
    )
    with pytest.raises(PolicyFileError) as caught:
        load_policy(text)
    assert caught.value.where.startswith("moves[")
    assert caught.value.where.endswith(".to")
    assert "individual_gold" in caught.value.problem
    assert caught.value.line is not None


def test_rule_naming_unknown_action():
    with pytest.raises(PolicyFileError, match="friend.poke") as caught:
        load_policy(
            broken('actions = ["friend.request", "friend.invite"]', 'actions = ["friend.poke"]')
        )
    assert caught.value.where.startswith("action_rules[")


def test_rule_with_unknown_condition():
    with pytest.raises(PolicyFileError, match="unknown condition 'on_tuesday'"):
        load_policy(broken('unless = ["self_target"]', 'unless = ["on_tuesday"]'))


def test_unknown_fact_in_move():
    with pytest.raises(PolicyFileError, match="unknown fact"):
        load_policy(broken('requires = ["platform_user"]', 'requires = ["has_a_cat"]'))


def test_unknown_step_in_move():
    with pytest.raises(PolicyFileError, match="unknown step"):
        load_policy(broken('step = "register_card"', 'step = "register_bitcoin"'))


def test_refused_move_without_code():
    with pytest.raises(PolicyFileError, match="must be a non-empty string"):
        load_policy(broken('allowed = false\ncode = "no_downgrade"', "allowed = false"))


def test_duplicate_code():
    with pytest.raises(PolicyFileError, match="duplicate code 'app_mobile'"):
        load_policy(broken('code = "app_pc"', 'code = "app_mobile"'))


def test_unknown_placeholder_in_message():
    with pytest.raises(PolicyFileError, match="unknown placeholder 'servce'") as caught:
        load_policy(
            broken("{type}は「{service}」を利用できます。", "{type}は「{servce}」を利用できます。")
        )
    assert caught.value.where == "messages.service.allowed"


def test_move_denial_code_without_message():
    with pytest.raises(PolicyFileError, match="no messages.move.never_ever"):
        load_policy(broken('code = "no_downgrade"', 'code = "never_ever"'))


def test_unknown_section():
    with pytest.raises(PolicyFileError, match="unknown section"):
        load_policy(SHIPPED + "\n[extras]\nx = 1\n")


def test_not_toml_names_the_line():
    with pytest.raises(PolicyFileError) as caught:
        load_policy(SHIPPED + "\nthis is = = not toml\n")
    assert caught.value.line == SHIPPED.count("\n") + 2


def test_label_missing_english():
    with pytest.raises(PolicyFileError, match="partner_types\\[0\\].en"):
        load_policy(broken('en = "Corporate, certified"\n', ""))
