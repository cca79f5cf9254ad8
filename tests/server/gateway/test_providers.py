from __future__ import annotations

import asyncio
from typing import Any

import anyio
import httpx
import pytest
from pydantic import SecretStr

from server.gateway.policy import Provider, ProviderKind
from server.gateway.providers import PoolLanes, resolve_providers
from server.gateway.upstream_settings import UpstreamSettings
from tests.live_server import serve_on_loopback


def test_an_operator_key_only_goes_to_the_url_the_operator_set():
    providers = {
        "policy_url_only": Provider(base_url="https://chosen-by-an-admin.example/v1"),
        "operator_url": Provider(base_url="https://ignored.example/v1"),
        "keyless": Provider(base_url="http://vllm.internal:8000/v1"),
    }
    upstreams = {
        "policy_url_only": UpstreamSettings(api_key=SecretStr("sk-operator")),
        "operator_url": UpstreamSettings(
            base_url="https://api.mistral.ai/v1", api_key=SecretStr("sk-operator")
        ),
    }

    resolved = resolve_providers(providers, upstreams)

    assert {name: provider.base_url for name, provider in resolved.items()} == {
        "operator_url": "https://api.mistral.ai/v1",
        "keyless": "http://vllm.internal:8000/v1",
    }


def test_only_the_operator_sends_the_local_model_to_another_gateway():
    providers = {"local": Provider(kind=ProviderKind.LOCAL, base_url="https://chosen-by-an-admin.example/v1")}

    assert resolve_providers(providers, {}) == {}  # the policy's URL is not followed: served in process
    moved = resolve_providers(
        providers, {"local": UpstreamSettings(base_url="http://ariane-embedder:8002/v1")}
    )
    assert {name: provider.base_url for name, provider in moved.items()} == {
        "local": "http://ariane-embedder:8002/v1"
    }


@pytest.mark.anyio
async def test_pool_lanes_share_the_connection_limit_and_reuse_connections():
    # Several pools take the requests in turn; together they never open more connections than the
    # limit they share, and a later request reuses a kept connection instead of opening one.
    peers: set[tuple[str, int]] = set()

    async def upstream(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        peers.add(scope["client"])
        await anyio.sleep(0.05)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    lanes = PoolLanes(2, httpx.Limits(max_connections=4, max_keepalive_connections=4))
    async with serve_on_loopback(upstream) as base, httpx.AsyncClient(transport=lanes) as client:
        with anyio.fail_after(20):
            first = await asyncio.gather(*(client.get(f"{base}/") for _ in range(12)))
            opened = len(peers)
            again = await asyncio.gather(*(client.get(f"{base}/") for _ in range(4)))

    assert [response.text for response in first + again] == ["ok"] * 16
    assert opened == 4  # two per lane, each serving several requests in turn
    assert len(peers) == 4  # the second round went over kept connections
