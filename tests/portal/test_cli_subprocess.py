"""The installed `devcenter` script runs the portal commands end to end."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from devcenter.policy import Policy

SCRIPT = Path(sys.executable).with_name("devcenter")


def _devcenter(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DEVCENTER_VAR_DIR"] = str(tmp_path)
    return subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        [str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.skipif(not SCRIPT.exists(), reason="the devcenter script is not installed")
def test_policy_show_in_english(tmp_path: Path, policy: Policy) -> None:
    result = _devcenter("policy", "show", "--lang", "en", tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr
    assert policy.version in result.stdout
    assert "mixi Payment Program" in result.stdout
    assert "○" in result.stdout
    assert "×" in result.stdout


@pytest.mark.skipif(not SCRIPT.exists(), reason="the devcenter script is not installed")
def test_bad_input_exits_2_with_the_field_on_stderr(tmp_path: Path) -> None:
    result = _devcenter(
        "decide", "service", "--partner-type", "x", "--service", "app_pc", tmp_path=tmp_path
    )

    assert result.returncode == 2
    assert "partner_type: unknown partner type 'x'" in result.stderr
    assert result.stdout == ""


@pytest.mark.skipif(not SCRIPT.exists(), reason="the devcenter script is not installed")
def test_denial_exits_0(tmp_path: Path) -> None:
    result = _devcenter(
        "decide",
        "service",
        "--partner-type",
        "individual",
        "--service",
        "payment_program",
        tmp_path=tmp_path,
    )

    assert result.returncode == 0
    assert "拒否" in result.stdout
