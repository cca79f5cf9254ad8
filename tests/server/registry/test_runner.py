"""`ariane serve` starts no program: registered stdio servers run in the tool runner, over a WebSocket."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import SecretStr
from starlette.applications import Starlette

from server.app import create_app
from server.gateway.app import GatewayOptions
from server.gateway.upstream_settings import UpstreamSettings
from server.registry.runner_app import create_runner_app
from server.registry.runner_client import Opened, RunnerAddress, RunnerRefusedError, runner_streams
from server.registry.setup import registry_runtime
from tests.live_server import serve_on_loopback
from tests.server.registry.conftest import ADMIN, TIME_SERVER, FakeServer, Registry
from tests.server.registry.test_pins_and_chat import _ask, _tool_ends
from tools.database import open_pool

KEY = "cle-partagee-de-test"


@pytest.fixture
async def runner(settings, fake_server: FakeServer) -> AsyncIterator[tuple[Starlette, str]]:  # type: ignore[no-untyped-def]
    """The tool runner on loopback, on the same database, starting stdio servers itself."""
    settings = settings.model_copy(update={"registry_commands": fake_server.allowed()})
    pool = await open_pool(settings.database_url.get_secret_value(), max_size=4)
    try:
        registry = registry_runtime(settings, pool, {}, local_stdio=True, runner=False).registry
        app = create_runner_app(registry, KEY)
        async with serve_on_loopback(app) as url:
            yield app, url
    finally:
        await pool.close()


async def _replica(settings, tenant_app, token_for, tool_model, runner_url: str | None):  # type: ignore[no-untyped-def]
    upstream = UpstreamSettings(base_url="http://tool-model.test/v1", api_key=SecretStr("sk-test"))
    settings = settings.model_copy(
        update={
            "gateway_upstreams": {"hds_vllm": upstream},
            "registry_connect_timeout_seconds": 10.0,
            "registry_runner_url": runner_url,
            "registry_runner_key": SecretStr(KEY),
        }
    )
    return create_app(
        settings,
        identity_transport=httpx.ASGITransport(app=tenant_app),
        gateway=GatewayOptions(upstream_transport=httpx.ASGITransport(app=tool_model.app)),
        agents_in_process=True,
        background=False,  # as `ariane serve`
        seed=False,
    )


@pytest.fixture
def replica(settings, tenant_app, token_for, tool_model):  # type: ignore[no-untyped-def]
    async def start(runner_url: str | None) -> Any:
        app = await _replica(settings, tenant_app, token_for, tool_model, runner_url)
        return app

    return start


# A context manager, not a generator iterated once: a failing assertion in an `async for` body left
# the generator open, and the event loop closed it later in a task of its own, whose exit from the
# lifespan's cancel scope cancelled the next fixture teardown (pytest then kept that test's fixtures,
# its database included, for the following tests).
@contextlib.asynccontextmanager
async def _serving(app: Any, token_for: Any) -> AsyncIterator[Registry]:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://ariane.test", timeout=60
        ) as client:
            yield Registry(app, client, lambda email: {"Authorization": f"Bearer {token_for(email)}"})


@pytest.mark.anyio
async def test_serve_without_a_runner_starts_no_stdio_server(replica, token_for) -> None:  # type: ignore[no-untyped-def]
    async with _serving(await replica(None), token_for) as registry:
        await registry.register(name="time", **TIME_SERVER)

        response = await registry.inspect("time")

        assert (response.status_code, response.json()["error"]) == (409, "stdio_runner_missing")
        assert (await registry.show("time"))["tools"] == []


@pytest.mark.anyio
async def test_a_stdio_server_is_inspected_and_used_in_the_chat_through_the_runner(  # type: ignore[no-untyped-def]
    replica, runner, token_for, tool_model
) -> None:
    runner_app, url = runner
    async with _serving(await replica(url), token_for) as registry:
        await registry.register(name="time", **TIME_SERVER, assistants=["ariane"])
        inspected = await registry.inspect("time")
        approved = await registry.approve("time", read_only=("get_current_time", "convert_time"))
        tool_model.calls = {"get_current_time": {"timezone": "Europe/Paris"}}

        events, run = await _ask(registry, "Quelle heure est-il à Paris ?")

        assert inspected.status_code == 200, inspected.text
        assert inspected.json()["server_info"]["package_fingerprint"]  # measured by the runner
        assert approved.status_code == 200, approved.text
        assert run["status"] == "done", run
        assert _tool_ends(events) == [("get_current_time", True)]
        assert '"timezone": "Europe/Paris"' in tool_model.requests[-1]["messages"][-1]["content"]
        assert runner_app.state.sessions >= 2  # the inspection and the run, both started there


@pytest.mark.anyio
async def test_the_runner_wants_its_key_and_starts_only_registered_stdio_servers(  # type: ignore[no-untyped-def]
    replica, runner, token_for
) -> None:
    runner_app, url = runner
    async with _serving(await replica(url), token_for) as registry:
        await registry.register(name="time", as_user=ADMIN, **TIME_SERVER)
        refused = []
        for address, name in (
            (RunnerAddress(url, "une-autre-cle"), "time"),
            (RunnerAddress(url, KEY), "inconnu"),
        ):
            with pytest.raises(RunnerRefusedError) as error:
                async with runner_streams(address, name, Opened()):
                    pass
            refused.append(error.value.code)

        assert refused == ["runner_unauthorized", "tool_server_not_found"]
        assert runner_app.state.sessions == 0


def test_the_runner_command_refuses_to_start_without_its_key(database_url: str, tmp_path: Path) -> None:
    anchor = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    env = os.environ | {
        "DATABASE_URL": database_url,
        "ARIANE_DATA_DIR": str(tmp_path),
        "ARIANE_REGISTRY_SECRET_KEY": Fernet.generate_key().decode(),
        "ARIANE_AUDIT_ANCHOR_KEY": anchor.decode(),
        "ARIANE_REGISTRY_RUNNER_KEY": "",
    }
    result = subprocess.run(
        [sys.executable, "-c", "from server.cli import main; main()", "runner"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    assert (result.returncode, result.stderr.strip().splitlines()[-1]) == (
        1,
        "ariane: `ariane runner` needs ARIANE_REGISTRY_RUNNER_KEY: the replicas present it",
    )
