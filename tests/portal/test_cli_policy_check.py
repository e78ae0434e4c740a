"""`devcenter policy check [FILE] [--json]` as an operator runs it."""

import json
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

SHIPPED = files("devcenter.policy").joinpath("mixi_platform.toml").read_text(encoding="utf-8")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own CLI, fixed arguments)
        [sys.executable, "-m", "devcenter.cli", "policy", "check", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_shipped_file_passes_and_says_how_big_the_space_is():
    done = run()

    assert done.returncode == 0, done.stderr
    assert "0 failures" in done.stdout
    assert "requests" in done.stdout


def test_a_broken_file_exits_1_with_the_counterexample(tmp_path: Path):
    path = tmp_path / "broken.toml"
    path.write_text(
        SHIPPED.replace(
            'facts = { legal_entity_registered = false }\nexpect_code = "legal_entity_required"',
            'facts = { legal_entity_registered = false }\nexpect_code = "allowed"',
        ),
        encoding="utf-8",
    )

    done = run(str(path), "--json")

    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["ok"] is False
    assert report["failures"][0]["check"] == "test:an unincorporated association is never certified"
    assert report["failures"][0]["decision"]["code"] == "legal_entity_required"


def test_a_file_that_is_not_utf8_text_is_one_line_and_exit_1(tmp_path: Path):
    path = tmp_path / "logo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00binary")

    done = run(str(path))

    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "CommandError: policy file: file: not UTF-8 text: invalid start byte"
    ]
