"""Standard Webhooks signatures (https://www.standardwebhooks.com/), by the `standardwebhooks`
package: `webhook-id`, `webhook-timestamp` and `webhook-signature` headers; `whsec_` secrets.

After a rotation the previous secret signs alongside the new one (two `v1,` signatures
separated by a space) until its grace period ends, so a receiver can switch over at leisure.
"""

from __future__ import annotations

import base64
import secrets
from datetime import datetime

from standardwebhooks.webhooks import Webhook

SECRET_PREFIX = "whsec_"  # noqa: S105 (the spec's prefix, not a secret)
SECRET_BYTES = 24


def new_secret() -> str:
    """Return a fresh signing secret (`whsec_` and 24 random bytes in base64)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def signed_headers(
    *, message_id: str, timestamp: datetime, body: str, secrets_in_use: list[str]
) -> dict[str, str]:
    """Return the three Standard Webhooks headers for `body`, signed with every secret."""
    signatures = [
        Webhook(secret).sign(msg_id=message_id, timestamp=timestamp, data=body)
        for secret in secrets_in_use
    ]
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": " ".join(signatures),
    }
