"""Through a real `devcenter serve`: nothing larger than a route's limit reaches the disk.

A 60 MB unauthenticated upload used to be spooled whole into the temporary directory before
the 401; now it is refused before its body is read, and every route class answers 413 past
its limit.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.front.served import bytes_held_under, raw_request, serving
from tests.running_server import server_env

pytestmark = pytest.mark.slow

MB = 1_000_000
MIB = 1024 * 1024
PIECE = 64 * 1024


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, int, Path]]:
    """One server for the module, its TMPDIR its own (empty) directory."""
    root = tmp_path_factory.mktemp("served-limits")
    spool = root / "tmp"
    spool.mkdir()
    env = server_env(root / "var") | {"TMPDIR": str(spool)}
    (root / "var").mkdir()
    with serving(env) as (port, group):
        yield port, group, spool


def _pieces(total: int) -> Iterator[bytes]:
    for start in range(0, total, PIECE):
        yield b"\0" * min(PIECE, total - start)


def _upload_head(port: int, **extra: str) -> dict[str, str]:
    return {
        "Host": f"127.0.0.1:{port}",
        "Content-Type": "multipart/form-data; boundary=----x",
        "Accept-Language": "en",
        **extra,
    }


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
@pytest.mark.parametrize("path", ["/api/v1/applications", "/partners/new/certification/"])
def test_a_60_mb_unauthenticated_upload_leaves_the_temporary_directory_unchanged(
    server: tuple[int, int, Path], path: str, chunked: bool
) -> None:
    port, group, spool = server
    before = sorted(spool.iterdir())
    peak = 0

    def look() -> None:
        nonlocal peak
        peak = max(peak, bytes_held_under(spool, group))

    head = _upload_head(port) if chunked else _upload_head(port, **{"Content-Length": str(60 * MB)})
    answer, sent = raw_request(
        port, "POST", path, head, _pieces(60 * MB), chunked=chunked, while_sending=look, patience=2
    )
    look()

    assert answer.status == 401
    assert answer.code == "unauthorized"
    assert peak == 0  # not one byte of it was spooled
    assert sorted(spool.iterdir()) == before
    assert sent == 0  # refused before the body was read


# (route class limit, path, headers)
ROUTES = [
    (16 * MIB, "/api/v1/decisions", {"Authorization": "Bearer x"}),
    (1 * MIB, "/api/v1/partners/corporate-general", {}),
    (2 * 10 * MIB + MIB, "/api/v1/applications", {"Authorization": "Bearer x"}),
    (2 * 10 * MIB + MIB, "/partners/new/certification/", {"Cookie": "sessionid=x"}),
    (2_621_440, "/accounts/login/", {}),
]


@pytest.mark.parametrize(("limit", "path", "extra"), ROUTES)
def test_a_declared_length_over_the_route_limit_is_413_at_once(
    server: tuple[int, int, Path], limit: int, path: str, extra: dict[str, str]
) -> None:
    port, _group, _spool = server
    head = _upload_head(port, **extra, **{"Content-Length": str(limit + 1)})

    answer, sent = raw_request(port, "POST", path, head, _pieces(limit + 1), patience=2)

    assert answer.status == 413
    assert answer.code == "payload_too_large"
    assert answer.headers["content-type"] == "application/json"
    assert sent == 0  # answered before the body was sent


@pytest.mark.parametrize(("limit", "path", "extra"), ROUTES[1:])
def test_a_chunked_body_is_cut_off_past_the_route_limit(
    server: tuple[int, int, Path], limit: int, path: str, extra: dict[str, str]
) -> None:
    port, group, spool = server
    peak = 0

    def look() -> None:
        nonlocal peak
        peak = max(peak, bytes_held_under(spool, group))

    answer, _sent = raw_request(
        port,
        "POST",
        path,
        _upload_head(port, **extra),
        _pieces(3 * limit),
        chunked=True,
        while_sending=look,
    )

    assert answer.status == 413
    assert answer.code == "payload_too_large"
    assert peak <= limit
