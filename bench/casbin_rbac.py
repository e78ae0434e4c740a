"""The policy's service matrix as a pycasbin RBAC model, the comparison of benchmark (a).

Each partner type (and `none`, not registered) is a subject holding one role, `role:<type>`;
each allowed cell of the matrix is a permission `p, role:<type>, <service>, use`.
"""

from __future__ import annotations

from pathlib import Path

import casbin

from devcenter.policy import Policy

NOT_REGISTERED = "none"
ACT = "use"

MODEL_CONF = """\
[request_definition]
r = sub, obj, act

[policy_definition]
p = sub, obj, act

[role_definition]
g = _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = g(r.sub, p.sub) && r.obj == p.obj && r.act == p.act
"""


def subject(partner_type: str | None) -> str:
    """Return the casbin subject for a partner type (None: not registered)."""
    return NOT_REGISTERED if partner_type is None else partner_type


def policy_lines(policy: Policy) -> list[str]:
    """Return the casbin policy lines (roles, then permissions) of the policy's service matrix."""
    subjects = [subject(t) for t in (*policy.partner_types, None)]
    roles = [f"g, {name}, role:{name}" for name in subjects]
    permissions = [
        f"p, role:{subject(partner_type)}, {service}, {ACT}"
        for service, cells in policy.source.service_matrix.items()
        for partner_type, allowed in cells.items()
        if allowed
    ]
    return roles + permissions


def rbac_enforcer(policy: Policy, directory: Path) -> casbin.Enforcer:
    """Write the model and policy files into `directory` and return an enforcer reading them."""
    model_path = directory / "service_matrix_model.conf"
    policy_path = directory / "service_matrix_policy.csv"
    model_path.write_text(MODEL_CONF, encoding="utf-8")
    policy_path.write_text("\n".join(policy_lines(policy)) + "\n", encoding="utf-8")
    return casbin.Enforcer(str(model_path), str(policy_path))
