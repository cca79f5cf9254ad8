"""Ariane in process with every example provider pointed at a fake letter-writing upstream."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from server.app import create_app
from server.gateway.app import GatewayOptions
from server.gateway.upstream_settings import UpstreamSettings
from server.settings import Settings
from tests.fakes.letter_model import FakeLetterModel

INES = "ines.moreau@chru-exemple.fr"  # staff + health_data
CLAIRE = "claire.dubois@chru-exemple.fr"  # staff only
HEADER = ["Civilité", "Nom", "Âge", "Pathologie", "Date du rendez-vous", "Consigne"]
BODY = (
    "Bonjour {{civilite}} {{nom}},\n\nVotre rendez-vous est fixé au {{ Date du rendez-vous }}. {{consigne}}"
)


def table_csv(rows: list[list[str]], header: list[str] = HEADER, delimiter: str = ";") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def patients(count: int) -> list[list[str]]:
    return [
        [
            "Madame" if n % 2 else "Monsieur",
            f"PATIENT{n:03d}",
            str(30 + n % 50),
            "diabète de type 2",
            f"{(n % 27) + 1:02d}/12/2026",
            "Venir à jeun.",
        ]
        for n in range(1, count + 1)
    ]


@pytest.fixture
def letters() -> FakeLetterModel:
    return FakeLetterModel()


@pytest.fixture
def batch_settings(settings: Settings) -> Settings:
    upstream = UpstreamSettings(base_url="http://letters.test/v1", api_key=SecretStr("sk-upstream-secret"))
    return settings.model_copy(
        update={
            "gateway_upstreams": dict.fromkeys(("hds_vllm", "mistral", "azure_fr", "openai"), upstream),
            "gateway_retry_backoff_seconds": 0.0,
            "gateway_policy_refresh_seconds": 0.0,
            "batch_retry_backoff_seconds": 0.01,
        }
    )


@pytest.fixture
async def app(batch_settings: Settings, tenant_app: Any, letters: FakeLetterModel) -> AsyncIterator[Any]:
    options = GatewayOptions(upstream_transport=httpx.ASGITransport(app=letters.app))
    app = create_app(
        batch_settings,
        identity_transport=httpx.ASGITransport(app=tenant_app),
        gateway=options,
        agents_in_process=True,
    )
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ariane.test") as c:
        yield c


@pytest.fixture
def auth(token_for: Callable[[str], str]) -> Callable[[str], dict[str, str]]:
    def headers(email: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token_for(email)}"}

    return headers


async def upload(
    client: httpx.AsyncClient, headers: dict[str, str], data: bytes, name: str = "export.csv", **form: str
) -> httpx.Response:
    return await client.post("/api/batches", headers=headers, files={"file": (name, data)}, data=form)


async def finished(
    app: Any, client: httpx.AsyncClient, headers: dict[str, str], batch_id: str
) -> dict[str, Any]:
    """Wait until this process has nothing left to run for the batch, then its state."""
    await app.state.batch_runs.wait_idle()
    response = await client.get(f"/api/batches/{batch_id}", headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())
