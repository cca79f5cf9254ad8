"""The gateway's own outgoing transport (aiohttp under httpx) against an upstream over real HTTP.

The other gateway tests hand the upstream to httpx in process; these go through the sockets, so that
what the product sends, streams, retries and reports on failures is tested as it runs.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import anyio
import httpx
import pytest
from pydantic import SecretStr

from server.gateway.upstream_settings import UpstreamSettings
from server.settings import Settings
from tests.fakes.openai_upstream import USAGE, WORDS, FakeOpenAIUpstream
from tests.live_server import serve_on_loopback
from tests.server.gateway.conftest import CLAIRE, UPSTREAM_KEY, chat_body
from tests.tcp_postgres import free_port

pytestmark = pytest.mark.anyio


def _pointed_at(settings: Settings, base_url: str, timeout: float | None = None) -> Settings:
    upstream = UpstreamSettings(base_url=base_url, api_key=SecretStr(UPSTREAM_KEY), timeout_seconds=timeout)
    return settings.model_copy(update={"gateway_upstreams": {"hds_vllm": upstream}})


@asynccontextmanager
async def _gateway_over_http(
    make_gateway_client: Callable[..., Any], settings: Settings, upstream: FakeOpenAIUpstream, **kw: Any
) -> AsyncIterator[httpx.AsyncClient]:
    async with serve_on_loopback(upstream.app) as base:
        async with make_gateway_client(_pointed_at(settings, f"{base}/v1", **kw), over_http=True) as client:
            yield client


async def test_a_completion_goes_over_http_with_the_operator_key_and_comes_back_byte_for_byte(
    gateway_settings: Settings, make_gateway_client: Any, upstream: FakeOpenAIUpstream, auth: Any
) -> None:
    async with _gateway_over_http(make_gateway_client, gateway_settings, upstream) as gateway:
        response = await gateway.post(
            "/v1/chat/completions", json=chat_body("mistral-small-hds"), headers=auth(CLAIRE)
        )
    assert response.status_code == 200, response.text
    assert response.json()["choices"][0]["message"]["content"] == "".join(WORDS)
    assert response.json()["usage"] == USAGE
    seen = upstream.requests[-1]
    assert seen.headers["authorization"] == f"Bearer {UPSTREAM_KEY}"
    assert seen.headers["content-length"] == str(len(json.dumps(seen.body, separators=(",", ":"))))
    assert seen.body["messages"] == [{"role": "user", "content": "Bonjour"}]


async def test_a_stream_is_relayed_event_by_event_over_http(
    gateway_settings: Settings, make_gateway_client: Any, upstream: FakeOpenAIUpstream, auth: Any
) -> None:
    body = chat_body("mistral-small-hds", stream=True)
    async with _gateway_over_http(make_gateway_client, gateway_settings, upstream) as gateway:
        async with gateway.stream(
            "POST", "/v1/chat/completions", json=body, headers=auth(CLAIRE)
        ) as response:
            events = [line async for line in response.aiter_lines() if line.startswith("data:")]
    deltas = [json.loads(e[5:])["choices"][0]["delta"].get("content") for e in events[:-1]]
    assert "".join(d for d in deltas if d) == "".join(WORDS)
    assert events[-1] == "data: [DONE]"


async def test_a_failing_upstream_is_retried_then_reported_as_the_upstreams_failure(
    gateway_settings: Settings, make_gateway_client: Any, upstream: FakeOpenAIUpstream, auth: Any
) -> None:
    async with _gateway_over_http(make_gateway_client, gateway_settings, upstream) as gateway:
        upstream.fail_with = [503]
        recovered = await gateway.post(
            "/v1/chat/completions", json=chat_body("mistral-small-hds"), headers=auth(CLAIRE)
        )
        upstream.fail_with = [503] * 10
        failed = await gateway.post(
            "/v1/chat/completions", json=chat_body("mistral-small-hds"), headers=auth(CLAIRE)
        )
    assert recovered.status_code == 200
    assert failed.status_code == 502
    assert failed.json()["error"]["code"] == "upstream_error"


async def test_an_upstream_that_never_answers_times_out(
    gateway_settings: Settings, make_gateway_client: Any, upstream: FakeOpenAIUpstream, auth: Any
) -> None:
    upstream.gate = asyncio.Event()  # held until the gateway gave up (then the loopback server can stop)
    async with _gateway_over_http(make_gateway_client, gateway_settings, upstream, timeout=0.5) as gateway:
        with anyio.fail_after(20):
            response = await gateway.post(
                "/v1/chat/completions", json=chat_body("mistral-small-hds"), headers=auth(CLAIRE)
            )
        upstream.gate.set()
    assert response.status_code == 504
    assert response.json()["error"]["code"] == "upstream_timeout"
    assert len(upstream.requests) == 2  # tried again once (the provider's `max_retries`), then gave up


async def test_an_upstream_nobody_listens_on_is_unreachable(
    gateway_settings: Settings, make_gateway_client: Any, auth: Any
) -> None:
    settings = _pointed_at(gateway_settings, f"http://127.0.0.1:{free_port()}/v1")
    async with make_gateway_client(settings, over_http=True) as gateway:
        response = await gateway.post(
            "/v1/chat/completions", json=chat_body("mistral-small-hds"), headers=auth(CLAIRE)
        )
    assert response.status_code == 502
    assert response.json()["error"]["code"] == "upstream_unreachable"
