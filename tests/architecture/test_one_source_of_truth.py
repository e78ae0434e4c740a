"""No rule restated: partner-type, kind, status and role codes live in the policy file only.

Outside the policy package, the `choices.py` modules (the enums that mirror the policy) and
migrations, no source file or template writes one of those codes as a string literal. Docstrings
may name codes; an OpenAPI tag or an app label that happens to read "staff" is no role.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from devcenter.partners.choices import (
    STAFF_ROLE,
    MemberRole,
    PartnerKind,
    PartnerStatus,
    PartnerType,
)
from devcenter.partners.facts import fact_derivers
from devcenter.policy import default_policy

SOURCE = Path(__file__).resolve().parents[2] / "src" / "devcenter"
EXEMPT_PARTS = ("policy", "migrations", "locale")
# `tags=["staff"]` (OpenAPI), `label = "staff"` (app label), a model field named "owner"
NOT_A_ROLE = {"tags", "label", "verbose_name", "fields"}


def _codes() -> frozenset[str]:
    policy = default_policy()
    kinds = {t.kind for t in policy.source.partner_types}
    return frozenset({*policy.partner_types, *kinds, *policy.statuses, *policy.roles})


def _files(suffix: str) -> list[Path]:
    return sorted(
        path
        for path in SOURCE.rglob(f"*{suffix}")
        if not any(part in EXEMPT_PARTS for part in path.relative_to(SOURCE).parts)
        and path.name != "choices.py"
    )


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found.add(id(value))
    return found


def _exempt_contexts(tree: ast.AST) -> set[int]:
    """Return the ids of constants that name an OpenAPI tag or an app label."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in NOT_A_ROLE:
            found |= {id(n) for n in ast.walk(node.value)}
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id in NOT_A_ROLE for t in node.targets
        ):
            found |= {id(n) for n in ast.walk(node.value)}
    return found


def python_literals(path: Path, codes: frozenset[str], root: Path = SOURCE.parent) -> list[str]:
    """Return `file:line: 'code'` for every code written as a literal in a Python file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree) | _exempt_contexts(tree)
    return [
        f"{path.relative_to(root)}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value in codes
        and id(node) not in skip
    ]


def template_literals(path: Path, codes: frozenset[str]) -> list[str]:
    """Return `file:line: 'code'` for every code quoted in a template."""
    pattern = re.compile(r"""["']({})["']""".format("|".join(map(re.escape, sorted(codes)))))
    return [
        f"{path.relative_to(SOURCE.parent)}:{number}: {match[1]!r}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for match in pattern.finditer(line)
    ]


def test_no_partner_type_kind_status_or_role_literal_outside_the_policy():
    codes = _codes()
    found = [hit for path in _files(".py") for hit in python_literals(path, codes)]
    found += [hit for path in _files(".html") for hit in template_literals(path, codes)]
    assert not found, "rule codes written as literals (ask the policy core or use the enum):\n" + (
        "\n".join(found)
    )


def test_the_check_notices_a_literal(tmp_path):
    """The scan itself works: a planted literal is found, a docstring and a tag are not."""
    planted = tmp_path / "planted.py"
    planted.write_text(
        '"""Names "suspended" in a docstring."""\n'
        'router = Router(tags=["staff"])\n'
        'if partner.status == "suspended":\n'
        "    pass\n",
        encoding="utf-8",
    )

    assert python_literals(planted, _codes(), root=tmp_path) == ["planted.py:3: 'suspended'"]


@pytest.mark.parametrize(
    ("enum_values", "policy_codes"),
    [
        (PartnerType.values, default_policy().partner_types),
        (PartnerStatus.values, default_policy().statuses),
        (MemberRole.values, default_policy().member_roles),
        (PartnerKind.values, sorted({t.kind for t in default_policy().source.partner_types})),
    ],
)
def test_choices_mirror_the_policy(enum_values, policy_codes):
    assert sorted(enum_values) == sorted(policy_codes)


def test_the_staff_role_is_the_policy_s_role_with_no_membership():
    roles = {r.code: r for r in default_policy().source.roles}
    assert roles[STAFF_ROLE].member is False


def test_every_policy_fact_has_exactly_one_deriver():
    assert sorted(fact_derivers()) == sorted(default_policy().facts)
