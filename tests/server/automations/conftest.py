"""Ariane and the tenant served on loopback (the local robots and the command line reach them over HTTP)."""

from __future__ import annotations

import asyncio
import json
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anyio
import httpx
import psycopg
import pytest
import uvicorn
from fastapi import FastAPI
from pydantic import SecretStr

from server.app import create_app
from server.audit.launch_replay import replay_launch
from server.audit.repository import trace_records
from server.automations.settings import AutomationsSettings
from server.cli.audit import render_replay, render_run
from server.gateway.app import GatewayOptions
from server.gateway.upstream_settings import UpstreamSettings
from server.settings import Settings
from tools.tenant.settings import TenantSettings

MAIL_KEY = {"X-Mail-Key": "ariane-mail-local-key"}
ALERTS = "alertes-securite@chru-exemple.fr"
SOC = {"address": "soc@vigiesante-exemple.fr", "name": "Vigie Santé — centre de veille"}


# Schedules on fixed clocks are activated on this known day, so that those clocks fall after it
# whatever day the suite runs (activated « now », a slot of the past is never due).
ACTIVATED = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def activated_on_known_day(site: Site, automation_id: str) -> None:
    """Date the automation's activation back to `ACTIVATED`."""
    url = site.app.state.context.settings.database_url.get_secret_value()
    with psycopg.connect(url) as conn:
        conn.execute("UPDATE automations SET decided_at = %s WHERE id = %s", (ACTIVATED, automation_id))


async def until(condition: Callable[[], Awaitable[Any]], seconds: float = 90) -> Any:
    """Wait (bounded) for an observable state; the tests assert on what it then is."""
    with anyio.fail_after(seconds):
        while not (value := await condition()):
            await anyio.sleep(0.1)
    return value


@dataclass
class Site:
    """The app under test, its tenant, and a user's headers."""

    api: httpx.AsyncClient
    tenant: httpx.AsyncClient
    tenant_app: FastAPI
    app: FastAPI
    token_for: Callable[[str], str]
    url: str

    def as_(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token_for(f'{name}@chru-exemple.fr')}"}

    async def sign_in(self, *names: str) -> None:
        for name in names:
            assert (await self.api.get("/api/me", headers=self.as_(name))).status_code == 200

    async def deliver(
        self, subject: str, body: str, internet_id: str | None = None, sender: dict[str, str] = SOC
    ) -> None:
        mail: dict[str, Any] = {"from": sender, "to": [{"address": ALERTS}], "subject": subject, "body": body}
        if internet_id:
            mail["internet_message_id"] = internet_id
        response = await self.tenant.post("/mail-api/inbound", json=mail, headers=MAIL_KEY)
        assert response.status_code == 200, response.text


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def tenant_settings(tmp_path: Path) -> TenantSettings:
    """The tenant on a port of its own: its tokens name it, and the local robots reach it there."""
    return TenantSettings(host="127.0.0.1", port=_free_port(), data_dir=tmp_path / "tenant")


@asynccontextmanager
async def _serving(app: Any, port: int) -> AsyncIterator[str]:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    with anyio.fail_after(60):
        while not server.started:
            assert not task.done(), "the tenant could not start"
            await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        with anyio.fail_after(20):
            await task


@pytest.fixture
def model_upstream() -> Any | None:
    """The models' upstream (a scripted ASGI app with `.app`); none: no model is reachable."""
    return None


@asynccontextmanager
async def open_site(
    settings: Settings,
    tenant_app: FastAPI,
    tenant_settings: TenantSettings,
    token_for: Callable[[str], str],
    automations: Callable[[str], AutomationsSettings],
    model_upstream: Any | None = None,
) -> AsyncIterator[Site]:
    """Ariane (with `automations(its own URL)`, the models of `model_upstream`) and the tenant, each
    served on a loopback port."""
    port = tenant_settings.port
    async with _serving(tenant_app, port) as tenant_url:
        ariane_port = _free_port()
        update: dict[str, Any] = {
            "tenant_port": port,
            "automations": automations(f"http://127.0.0.1:{ariane_port}"),
            "robots_sweep_seconds": 0.5,
        }
        gateway = None
        if model_upstream is not None:
            upstream = UpstreamSettings(base_url="http://models.test/v1", api_key=SecretStr("sk-upstream"))
            update |= {
                "gateway_upstreams": dict.fromkeys(("hds_vllm", "mistral", "azure_fr", "openai"), upstream),
                "gateway_retry_backoff_seconds": 0.0,
            }
            gateway = GatewayOptions(upstream_transport=httpx.ASGITransport(app=model_upstream.app))
        configured = settings.model_copy(update=update)
        app = create_app(configured, identity_transport=httpx.ASGITransport(app=tenant_app), gateway=gateway)
        # Served on loopback (its lifespan runs there): the command line reaches it as a user would.
        async with _serving(app, ariane_port) as url:
            tenant_transport = httpx.ASGITransport(app=tenant_app)
            async with (
                httpx.AsyncClient(base_url=url, timeout=60) as api,
                httpx.AsyncClient(transport=tenant_transport, base_url=tenant_url) as tenant,
            ):
                yield Site(api, tenant, tenant_app, app, token_for, url)


@pytest.fixture
async def site(
    settings: Settings, tenant_app: FastAPI, tenant_settings: TenantSettings, token_for, model_upstream
) -> AsyncIterator[Site]:  # type: ignore[no-untyped-def]
    quick = AutomationsSettings(poll_seconds=0.2, schedule_seconds=0.2)
    async with open_site(
        settings, tenant_app, tenant_settings, token_for, lambda _: quick, model_upstream
    ) as opened:
        yield opened


async def audited_and_replayed(site: Site, run_id: str, approval: dict[str, Any], approver: str) -> None:
    """Both runs of the firing (request, resumed) are in the audit trail on behalf of the owner and
    replay « identique »."""
    anne = site.as_("anne.lambert")  # the auditor
    asked = await site.api.get(f"/api/audit/runs/{approval['id']}", headers=anne)
    assert asked.status_code == 200, asked.text
    request = asked.json()
    assert (request["summary"]["workflow"], request["summary"]["user_email"]) == (
        "automation_request",
        approval["requester"]["email"],
    )
    assert (request["launch"]["inputs"], request["launch"]["job"]) == (approval["inputs"], None)
    replay = await site.api.post(f"/api/audit/runs/{approval['id']}/replay", json={}, headers=anne)
    assert (replay.status_code, replay.json()["status"]) == (200, "identique"), replay.text
    assert replay.json()["answer"]["recorded"] == request["outcome"]["answer"]
    shown = await site.api.get(f"/api/audit/runs/{run_id}", headers=anne)
    assert shown.status_code == 200, shown.text
    run = shown.json()
    launch = run["launch"]
    assert (run["summary"]["workflow"], run["summary"]["user_email"]) == (
        "robot_launch",
        approval["requester"]["email"],
    )
    assert (launch["actor"]["kind"], launch["approval"]["approver"]["email"]) == ("automation", approver)
    assert (launch["inputs"], launch["digest"], launch["job"]["status"]) == (
        approval["inputs"],
        approval["digest"],
        "succeeded",
    )
    printed = render_run(run)  # `ariane audit show` prints this
    assert f"décision : approved par {approver}" in printed
    assert f"tâche : {launch['job']['id']} succeeded" in printed
    replay = await site.api.post(f"/api/audit/runs/{run_id}/replay", json={}, headers=anne)
    assert (replay.status_code, replay.json()["status"]) == (200, "identique"), replay.text
    assert replay.json()["answer"]["replayed"] == replay.json()["answer"]["recorded"]
    assert render_replay(replay.json()).startswith("identique")  # `ariane audit replay` prints this
    # A record whose inputs were changed after the fact no longer replays: the digest says so.
    account = json.dumps(next(iter(approval["inputs"].values())))
    for recorded in (approval["id"], run_id):
        rows = await trace_records(site.app.state.audit.pool, uuid.UUID(recorded).hex)
        forged = [row | {"body": row["body"].replace(account, '"autre"')} for row in rows]
        report = await replay_launch(recorded, forged, model=None, versions={})
        assert (report["status"], report["divergence"]["kind"]) == ("divergence", "inputs_digest"), recorded
