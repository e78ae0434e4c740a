import asyncio
import json
from dataclasses import dataclass

import httpx
import pytest


@dataclass
class Reply:
    status: int
    body: dict
    headers: httpx.Headers


class PlaneClient:
    """Talk to the real ASGI application (decision plane in front of Django) in process."""

    def __init__(self, app, key: str | None = None) -> None:
        self.app = app
        self.key = key

    def request(
        self, method: str, path: str, *, json_body=None, content=None, headers=None
    ) -> Reply:
        async def go():
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://testserver"
            ) as client:
                all_headers = {"authorization": f"Bearer {self.key}"} if self.key else {}
                all_headers.update(headers or {})
                return await client.request(
                    method, path, json=json_body, content=content, headers=all_headers
                )

        response = asyncio.run(go())
        try:
            body = response.json()
        except json.JSONDecodeError:
            body = {"_text": response.text}
        return Reply(response.status_code, body, response.headers)

    def decide(self, *requests, **kwargs) -> Reply:
        return self.request(
            "POST", "/api/v1/decisions", json_body={"requests": list(requests)}, **kwargs
        )


@pytest.fixture
def application():
    from devcenter.asgi import application

    application.keyring.mark_stale()
    return application


@pytest.fixture
def decisions_key(transactional_db):
    from devcenter.apikeys.services import apikey_create

    _, raw = apikey_create(name="svc-test", scope="decisions")
    return raw


@pytest.fixture
def client(application, decisions_key) -> PlaneClient:
    return PlaneClient(application, decisions_key)


@pytest.fixture
def anonymous(application) -> PlaneClient:
    return PlaneClient(application)
