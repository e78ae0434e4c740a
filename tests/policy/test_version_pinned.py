"""The shipped policy's version string names exactly one file.

Decisions, the decision log and the point-in-time history all cite `policy_version`; two
different files under one version would make those citations ambiguous. Changing the file
means giving it a new version and recording its SHA-256 here.
"""

from __future__ import annotations

import hashlib

from devcenter.policy import default_policy, shipped_policy_text

# version -> SHA-256 of the shipped file as loaded (newest last).
PINNED = {
    "2026.12.01-1": "dc2a71579e8b75205a93848d25f3d972a542d5d5bcd8065e32db4ada0c44817c",
}


def test_the_shipped_file_is_the_one_its_version_names() -> None:
    version = default_policy().version
    digest = hashlib.sha256(shipped_policy_text().encode("utf-8")).hexdigest()
    assert version in PINNED, f"new policy version {version}: pin it here as {digest}"
    assert PINNED[version] == digest, (
        f"the policy file changed but its version is still {version}: give it a new version"
    )
