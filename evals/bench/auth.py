"""What authentication costs per request: `/api/me` (token check + user) against `/healthz`.

Both run in the same process, through the same ASGI stack, on the embedded PostgreSQL; the
difference is signature and claim validation, role mapping and the (cached) user record.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import httpx
from pydantic import SecretStr

from evals.bench.stats import Report, Series
from server.app import create_app
from server.cli.main import database
from server.settings import Settings
from tools.tenant.app import create_tenant_app
from tools.tenant.identity.issuer import ARIANE_API_AUDIENCE, WEB_CLIENT_ID
from tools.tenant.settings import TenantSettings

ROUNDS = 2000
WARMUP = 100


async def _time(client: httpx.AsyncClient, path: str, headers: dict[str, str]) -> list[float]:
    for _ in range(WARMUP):
        await client.get(path, headers=headers)
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = await client.get(path, headers=headers)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.text
    return samples


async def run() -> Report:
    with tempfile.TemporaryDirectory() as folder:
        base = Settings(data_dir=Path(folder), web_dist=Path(folder) / "web", _env_file=None)  # type: ignore[call-arg]
        with database(base) as settings:
            assert isinstance(settings.database_url, SecretStr)
            tenant = create_tenant_app(TenantSettings(data_dir=Path(folder) / "tenant"))
            app = create_app(settings, identity_transport=httpx.ASGITransport(app=tenant))
            provider = tenant.state.identity
            user = provider.directory.user_by_mail("claire.dubois@chru-exemple.fr")
            token = provider.tokens.access_token(
                user, audience=ARIANE_API_AUDIENCE, scope="access_as_user", client_id=WEB_CLIENT_ID
            )
            async with app.router.lifespan_context(app):
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                    reference = await _time(client, "/healthz", {})
                    authed = await _time(client, "/api/me", {"Authorization": f"Bearer {token}"})
    return Report(
        benchmark="auth",
        description="per-request cost of bearer-token validation (in process, embedded PostgreSQL)",
        series=[Series("GET /healthz (reference)", reference), Series("GET /api/me (RS256 + user)", authed)],
        reference="GET /healthz (reference)",
    )
