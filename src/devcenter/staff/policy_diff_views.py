"""The staff console's policy diff page: what an uploaded policy file would change.

`/admin/policy/diff/` (staff with TOTP only: the console's MFA gate, and this view asks
`staff_refusal` itself). The upload is bounded twice: the front door's `policy_file` route
class cuts the body, and the form refuses a file over `DEVCENTER_POLICY_FILE_MAX_BYTES`. The
file is read as UTF-8 TOML by the policy loader (an error is shown with its place: section and
line), checked against its own invariants and tests, then diffed against the active policy and
joined with the registry (`registrations.what_if`: the same answer as `devcenter policy diff`).
Nothing is written: the result is rendered in the POST's answer (sending it again recomputes
the same read-only answer).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.http import Http404, HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from devcenter.policy import Policy, PolicyFileError, default_policy, load_policy
from devcenter.policy.checks import check_policy
from devcenter.registrations.what_if import policy_what_if
from devcenter.staff.mfa import staff_refusal

ROWS_SHOWN = 100  # changed requests listed per kind (the count is always whole)
KIND_LABELS = {  # the request space's kinds (devcenter.policy.space), as headings
    "service": _("Services"),
    "account": _("Accounts"),
    "transition": _("Moves between partner types"),
    "action": _("Actions of accounts"),
}


class PolicyFileForm(forms.Form):
    policy_file = forms.FileField(
        label=_("Policy file (TOML)"),
        help_text=_("A copy of mixi_platform.toml with your changes. Nothing is saved."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The page's script refuses a larger file at the field before it is sent: past the
        # front door's cut the answer would be its JSON error, not this page.
        widget = self.fields["policy_file"].widget
        widget.attrs["data-max-bytes"] = str(settings.DEVCENTER_POLICY_FILE_MAX_BYTES)


@dataclass(frozen=True)
class FileProblem:
    """Why the uploaded file is not a policy: where (section, line) and what."""

    where: str
    line: int | None
    problem: str


def policy_diff_page(request: HttpRequest) -> TemplateResponse:
    """Show the upload form; for an uploaded file, its problems or what it would change."""
    if staff_refusal(request.user, session=request) is not None:
        raise Http404
    form = PolicyFileForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {
        **admin.site.each_context(request),
        "title": _("Policy diff"),
        "form": form,
        "active_version": default_policy().version,
        "max_kib": settings.DEVCENTER_POLICY_FILE_MAX_BYTES // 1024,
    }
    if request.method == "POST" and form.is_valid():
        new, problem = _read(form.cleaned_data["policy_file"])
        context["problem"] = problem
        if new is not None:
            context.update(_shown(new))
    return TemplateResponse(request, "staff/policy_diff.html", context)


def _read(upload: Any) -> tuple[Policy | None, FileProblem | None]:
    if upload.size > settings.DEVCENTER_POLICY_FILE_MAX_BYTES:
        limit = settings.DEVCENTER_POLICY_FILE_MAX_BYTES // 1024
        return None, FileProblem("file", None, str(_("larger than %(kib)s KiB") % {"kib": limit}))
    try:
        text = upload.read().decode("utf-8")
    except UnicodeDecodeError as error:
        return None, FileProblem("file", None, str(_("not UTF-8 text: %s") % error.reason))
    try:
        return load_policy(text), None
    except PolicyFileError as error:
        return None, FileProblem(error.where, error.line, error.problem)


def _shown(new: Policy) -> dict[str, Any]:
    lang = "en" if (get_language() or "ja").startswith("en") else "ja"
    report = check_policy(new)
    shown = policy_what_if(new)

    def label(question: str, code: str) -> str:
        known = new.services if question == "service" else new.accounts
        policy = new if code in known else default_policy()
        return policy.label(question, code).get(lang)

    requests = [
        {
            "kind": kind,
            "label": KIND_LABELS.get(kind, kind),
            "count": len(changes),
            "rows": [_request_row(change) for change in changes[:ROWS_SHOWN]],
        }
        for kind, changes in shown["requests"].items()
    ]
    for row in shown["partners"]:
        question = "service" if "service" in row else "account"
        row["question"], row["code"] = question, row[question]
        row["label"] = label(question, row[question])
    for row in shown["registrations"]:
        row["label"] = label("service", row["service"])
    return {
        "shown": shown,
        "requests": requests,
        "check_failures": [failure.line() for failure in report.failures],
        "check_requests": report.requests,
    }


def _request_row(change: dict[str, Any]) -> dict[str, Any]:
    old, new = change["old"] or {}, change["new"] or {}
    request = {k: v for k, v in change["request"].items() if k != "kind"}
    return {
        "request": ", ".join(f"{key}={value}" for key, value in request.items()),
        "old": old.get("code"),
        "new": new.get("code"),
        "old_allowed": old.get("allowed"),
        "new_allowed": new.get("allowed"),
        "unlock_only": old.get("code") == new.get("code"),
    }
