"""Factories of the registrations tests: callers, partners of every type, valid fields, images."""

from __future__ import annotations

import io
import itertools
import json
from typing import Any

from django.db import transaction
from PIL import Image

from devcenter.partners.services import card_register, partner_certify
from tests.api.factories import ApiCaller, api_key
from tests.partners.factories import corporate_general_partner, individual_partner, platform_user

_communities = itertools.count(1000)


class Caller(ApiCaller):
    """An API caller that can also PATCH and PUT."""

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(
            f"/api/v1{path}",
            json.dumps(body),
            content_type="application/json",
            headers=self._headers(None),
        )

    def put(self, path: str, body: Any) -> Any:
        return self.client.put(
            f"/api/v1{path}",
            json.dumps(body),
            content_type="application/json",
            headers=self._headers(None),
        )


def caller_for(user: Any, scope: str = "developer") -> Caller:
    return Caller(api_key(user, scope))


def partner_of_type(partner_type: str, user: Any) -> Any:
    """Return a partner of `partner_type` owned by `user`, made through the services."""
    if partner_type == "corporate_general":
        return corporate_general_partner(user=user)
    if partner_type == "corporate_certified":
        partner = corporate_general_partner(user=user)
        with transaction.atomic():
            return partner_certify(partner=partner, actor="system")
    partner = individual_partner(user=user)
    if partner_type == "individual_card":
        card_register(partner_id=partner.public_id, token="tok_visa", acting_user=user)  # noqa: S106
        partner.refresh_from_db()
    return partner


def valid_fields(service: str, *, page: str = "reg_nopage") -> dict[str, Any]:
    """Return fields a registration of `service` may be created with."""
    return {
        "app_pc": {"gadget_xml_url": "https://apps.example.com/gadget.xml"},
        "app_mobile": {"start_url": "https://m.example.com/start"},
        "app_smartphone": {"platforms": ["browser", "ios"], "ios_bundle_id": "com.example.app"},
        "graph_api": {
            "description": "プロフィールを表示します",
            "redirect_uris": ["https://example.com/callback"],
            "contact_email": "dev@example.com",
        },
        "plugin": {
            "service_url": "https://blog.example.com/",
            "plugin_kinds": ["check_button"],
            "permitted_urls": ["https://blog.example.com/"],
        },
        "page": {"description": "公式ページ"},
        "page_app": {
            "page": page,
            "start_url": "https://page.example.com/app",
            "contact_email": "page@example.com",
        },
    }[service]


def png_bytes(size: tuple[int, int] = (16, 16)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def new_community() -> str:
    return str(next(_communities))


__all__ = ["platform_user"]


def upload(name: str = "logo.png", data: bytes | None = None) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, png_bytes() if data is None else data, "image/png")


def listable_app(caller: Any, partner_id: str, platform_key: str, name: str = "占いゲーム") -> str:
    """Create an app_pc with everything a listing request needs; return its id."""
    made = caller.post(
        f"/partners/{partner_id}/registrations",
        {"service": "app_pc", "name": name, "description": "説明", **valid_fields("app_pc")},
    )
    assert made.status_code == 201, made.json()
    reg = made.json()["id"]
    for kind in ("logo", "icon", "screenshot"):
        added = caller.post(
            f"/registrations/{reg}/images", multipart={"kind": kind, "file": upload()}
        )
        assert added.status_code == 200, added.json()
    platform = Caller(platform_key)
    reported = platform.put(f"/registrations/{reg}/user-count", {"count": 10})
    assert reported.status_code == 200, reported.json()
    return str(reg)
