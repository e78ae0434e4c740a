"""``devcenter apikey create|revoke|list``, in-process and as a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from devcenter.apikeys.models import ApiKey
from devcenter.apikeys.selectors import hash_key


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("apikey", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_create_prints_the_raw_key_alone_on_the_last_line() -> None:
    out, _ = _run("create", "sns", "--scope", "decisions")

    raw = out.rstrip("\n").splitlines()[-1]
    assert raw.startswith("dc_")
    assert raw == raw.strip()
    assert ApiKey.objects.get(name="sns").secret_hash == hash_key(raw)


@pytest.mark.django_db
def test_create_with_user_binds_the_key(django_user_model) -> None:
    user = django_user_model.objects.create_user("dev", email="dev@example.com")

    _run("create", "dev-key", "--scope", "developer", "--user", "DEV@example.com")

    assert ApiKey.objects.get(name="dev-key").user == user


@pytest.mark.django_db
def test_create_with_unknown_user_fails_with_user_not_found() -> None:
    with pytest.raises(CommandError, match="user_not_found"):
        _run("create", "dev-key", "--scope", "developer", "--user", "nobody@example.com")


@pytest.mark.django_db
def test_create_duplicate_fails_with_name_taken() -> None:
    _run("create", "sns", "--scope", "decisions")

    with pytest.raises(CommandError, match="name_taken"):
        _run("create", "sns", "--scope", "decisions")


@pytest.mark.django_db
def test_revoke_then_list_shows_revoked_time_and_never_the_secret() -> None:
    out, _ = _run("create", "sns", "--scope", "decisions")
    raw = out.splitlines()[-1]

    _run("revoke", "sns")
    listing, _ = _run("list")

    header, row = listing.splitlines()
    assert header.split() == ["NAME", "SCOPE", "PREFIX", "CREATED", "LAST", "USED", "REVOKED"]
    assert row.startswith("sns")
    assert raw[:8] in row
    assert raw not in listing
    assert row.split()[-1] != "-"  # revoked time shown


@pytest.mark.django_db
def test_revoke_unknown_fails_with_not_found() -> None:
    with pytest.raises(CommandError, match="not_found"):
        _run("revoke", "nope")


def _devcenter_command() -> list[str]:
    script = Path(sys.executable).with_name("devcenter")
    return [str(script)] if script.exists() else [sys.executable, "-m", "devcenter.cli"]


@pytest.mark.slow
def test_real_cli_create_prints_key_last_and_revoke_exits_1_when_repeated(tmp_path) -> None:
    """A fresh var dir with the embedded SQLite, through the installed console script."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DEVCENTER_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "devcenter.settings"}
    cli = _devcenter_command()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603
            [*cli, *args], env=env, capture_output=True, text=True, timeout=120, check=False
        )

    assert run("migrate", "--noinput", "-v0").returncode == 0
    created = run("apikey", "create", "x", "--scope", "decisions")
    assert created.returncode == 0, created.stderr
    assert created.stdout.splitlines()[-1].startswith("dc_")
    assert (tmp_path / "devcenter.sqlite3").exists()
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"

    assert run("apikey", "revoke", "x").returncode == 0
    again = run("apikey", "revoke", "x")
    assert again.returncode == 1
    assert "already_revoked" in again.stderr
