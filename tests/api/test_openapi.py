"""The committed docs/openapi.json is what the code exports (CI fails on drift)."""

from devcenter.api_support.openapi import (
    EXPORT_COMMAND,
    committed_path,
    openapi_document,
    openapi_text,
)


def test_committed_openapi_matches_the_code():
    committed = committed_path().read_text(encoding="utf-8")

    assert committed == openapi_text(), (
        f"docs/openapi.json is out of date: run `{EXPORT_COMMAND}` and commit the result"
    )


def test_the_decision_planes_paths_are_documented():
    paths = openapi_document()["paths"]

    assert {"/api/v1/health", "/api/v1/policy", "/api/v1/decisions"} <= set(paths)


def test_every_post_documents_idempotency_key_and_every_operation_its_errors():
    for path, operations in openapi_document()["paths"].items():
        for method, operation in operations.items():
            if "decision-plane" in operation.get("tags", []):
                continue
            assert {"401", "403", "404", "422"} <= set(operation["responses"]), (method, path)
            if method == "post":
                names = [p["name"] for p in operation.get("parameters", [])]
                assert "Idempotency-Key" in names, path
