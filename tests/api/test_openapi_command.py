"""`devcenter openapi export` writes the document; `--check` fails with the fix to run."""

import pytest
from django.core.management import CommandError, call_command

from devcenter.api_support.openapi import openapi_text


def test_export_writes_the_document(tmp_path):
    out = tmp_path / "openapi.json"

    call_command("openapi", "export", "--output", str(out))

    assert out.read_text(encoding="utf-8") == openapi_text()


def test_check_names_the_command_when_stale(tmp_path):
    out = tmp_path / "openapi.json"
    out.write_text("{}", encoding="utf-8")

    with pytest.raises(CommandError, match="devcenter openapi export"):
        call_command("openapi", "export", "--output", str(out), "--check")
