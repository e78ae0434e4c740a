"""The set-up script that makes Graph API clients the way a partner does, for served runs.

The OAuth server refuses any client no registration holds, so a server under test or bench
gets its clients from registrations: an individual partner with a card registers `graph_api`
services, confirms the contact e-mail with the link's token and issues credentials. The script
runs in `devcenter shell -c` against the server's database and writes what it made as JSON.
"""

from __future__ import annotations

SCRIPT = """
import json
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from devcenter.partners.services import card_register, partner_register_individual
from devcenter.registrations import links
from devcenter.registrations.services import (
    contact_email_confirm, credentials_issue, credentials_rotate, registration_create,
)

developer = get_user_model().objects.create_user(
    username="graph-api-developer", email="graph-api-developer@example.com"
)
EmailAddress.objects.create(
    user=developer, email=developer.email, verified=True, primary=True
)
partner = partner_register_individual(acting_user=developer, registration_name="Graph API 開発者")
card_register(partner_id=partner.public_id, token="tok_visa", acting_user=developer)


def graph_api_client(name, redirect_uris):
    made = registration_create(
        partner_id=partner.public_id, service="graph_api", name=name, acting_user=developer,
        fields={{"description": "プロフィールを表示します", "redirect_uris": redirect_uris,
                "contact_email": developer.email}},
    )
    made.refresh_from_db()
    contact_email_confirm(
        token=links.link_token(links.CONTACT_EMAIL_LINK, made.pk, made.contact_email_nonce)
    )
    return credentials_issue(registration_id=made.public_id, acting_user=developer)


made = {{}}
for key, (name, uris, rotate) in {clients!r}.items():
    issued = graph_api_client(name, uris)
    made[key] = {{"registration": issued.registration.public_id,
                 "client_id": issued.secret.client_id, "secret": issued.secret.client_secret}}
    if rotate:
        rotated = credentials_rotate(registration_id=issued.registration.public_id,
                                     acting_user=developer)
        made[key]["new_secret"] = rotated.secret.client_secret
json.dump(made, open({out!r}, "w"))
"""


def graph_api_clients_script(clients: dict[str, tuple[str, list[str], bool]], out: str) -> str:
    """Return the script that makes `clients` (key: (name, redirect URIs, rotate once?)) and
    writes `{key: {registration, client_id, secret[, new_secret]}}` to `out`."""
    return SCRIPT.format(clients=clients, out=out)
