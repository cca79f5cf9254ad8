"""Chat completions through the gateway: pass-through, streaming, tools, clamps, upstream failures."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.fakes.openai_upstream import FakeOpenAIUpstream, completion_bytes, stream_events
from tests.server.gateway.conftest import CLAIRE, UPSTREAM_KEY, chat_body

pytestmark = pytest.mark.anyio

HDS_UPSTREAM_NAME = "mistralai/Mistral-Small-3.2-24B-Instruct-2506"
TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "search_documents",
            "description": "Cherche.",
            "parameters": {"type": "object", "properties": {}},
        },
    }
]


async def test_a_completion_is_passed_through_byte_for_byte(
    gateway: httpx.AsyncClient, auth: Any, upstream: FakeOpenAIUpstream
) -> None:
    response = await gateway.post(
        "/v1/chat/completions", json=chat_body("mistral-small-hds"), headers=auth(CLAIRE)
    )
    assert response.status_code == 200, response.text
    assert response.content == completion_bytes(HDS_UPSTREAM_NAME, tools=False)
    seen = upstream.requests[-1]
    assert seen.path == "/v1/chat/completions"
    assert seen.headers["authorization"] == f"Bearer {UPSTREAM_KEY}"
    assert seen.body == {
        "model": HDS_UPSTREAM_NAME,
        "messages": [{"role": "user", "content": "Bonjour"}],
        "max_tokens": 4096,
    }


async def test_a_stream_is_passed_through_event_for_event(
    gateway: httpx.AsyncClient, auth: Any, upstream: FakeOpenAIUpstream
) -> None:
    body = chat_body("mistral-small-hds", stream=True)
    response = await gateway.post("/v1/chat/completions", json=body, headers=auth(CLAIRE))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    # The gateway asked for usage itself (metering) and withholds that chunk from the caller.
    assert upstream.requests[-1].body["stream_options"] == {"include_usage": True}
    assert response.content == b"".join(stream_events(HDS_UPSTREAM_NAME, include_usage=False))


async def test_a_stream_keeps_the_usage_chunk_the_caller_asked_for(
    gateway: httpx.AsyncClient, auth: Any
) -> None:
    body = chat_body("mistral-small-hds", stream=True, stream_options={"include_usage": True})
    response = await gateway.post("/v1/chat/completions", json=body, headers=auth(CLAIRE))
    assert response.content == b"".join(stream_events(HDS_UPSTREAM_NAME, include_usage=True))


async def test_tool_calls_and_response_format_pass_through(
    gateway: httpx.AsyncClient, auth: Any, upstream: FakeOpenAIUpstream
) -> None:
    schema = {"type": "json_schema", "json_schema": {"name": "r", "schema": {"type": "object"}}}
    body = chat_body("mistral-small-hds", tools=TOOLS, tool_choice="auto", response_format=schema)
    response = await gateway.post("/v1/chat/completions", json=body, headers=auth(CLAIRE))
    assert response.content == completion_bytes(HDS_UPSTREAM_NAME, tools=True)
    sent = upstream.requests[-1].body
    assert (sent["tools"], sent["tool_choice"], sent["response_format"]) == (TOOLS, "auto", schema)

    streamed = await gateway.post("/v1/chat/completions", json={**body, "stream": True}, headers=auth(CLAIRE))
    assert streamed.content == b"".join(stream_events(HDS_UPSTREAM_NAME, include_usage=False, tools=True))


async def test_clamps_bound_max_tokens_and_temperature(
    gateway: httpx.AsyncClient, auth: Any, upstream: FakeOpenAIUpstream
) -> None:
    body = chat_body("mistral-small-hds", max_tokens=100_000, temperature=1.9)
    await gateway.post("/v1/chat/completions", json=body, headers=auth(CLAIRE))
    assert (upstream.requests[-1].body["max_tokens"], upstream.requests[-1].body["temperature"]) == (
        4096,
        1.0,
    )
    body = chat_body("mistral-small-hds", max_completion_tokens=50, temperature=0.2)
    await gateway.post("/v1/chat/completions", json=body, headers=auth(CLAIRE))
    sent = upstream.requests[-1].body
    assert (sent["max_completion_tokens"], sent["temperature"], "max_tokens" in sent) == (50, 0.2, False)


async def test_ariane_metadata_is_not_sent_upstream(
    gateway: httpx.AsyncClient, auth: Any, upstream: FakeOpenAIUpstream
) -> None:
    body = chat_body("mistral-small-hds", metadata={"ariane_assistant": "coach-temps-de-travail", "x": "1"})
    await gateway.post("/v1/chat/completions", json=body, headers=auth(CLAIRE))
    assert upstream.requests[-1].body["metadata"] == {"x": "1"}


async def test_azure_openai_gets_its_deployment_url_and_api_key_header(
    gateway: httpx.AsyncClient, auth: Any, upstream: FakeOpenAIUpstream
) -> None:
    response = await gateway.post(
        "/v1/chat/completions", json=chat_body("gpt-4o-azure-fr"), headers=auth(CLAIRE)
    )
    assert response.status_code == 200
    seen = upstream.requests[-1]
    assert seen.path == "/openai/deployments/gpt-4o/chat/completions"
    assert seen.headers["api-key"] == UPSTREAM_KEY
    assert "authorization" not in seen.headers


async def test_an_upstream_failure_falls_back_to_an_allowed_model(
    gateway: httpx.AsyncClient, auth: Any, upstream: FakeOpenAIUpstream
) -> None:
    upstream.fail_with = [503, 503]  # mistral-medium-eu: first try and its retry
    response = await gateway.post(
        "/v1/chat/completions", json=chat_body("mistral-medium-eu"), headers=auth(CLAIRE)
    )
    assert response.status_code == 200
    assert json.loads(response.content)["model"] == HDS_UPSTREAM_NAME
    assert [seen.body["model"] for seen in upstream.requests] == [
        "mistral-medium-latest",
        "mistral-medium-latest",
        HDS_UPSTREAM_NAME,
    ]


async def test_an_upstream_that_keeps_failing_gives_502(
    gateway: httpx.AsyncClient, auth: Any, upstream: FakeOpenAIUpstream
) -> None:
    upstream.fail_with = [500, 500]
    response = await gateway.post(
        "/v1/chat/completions", json=chat_body("mistral-small-hds"), headers=auth(CLAIRE)
    )
    assert response.status_code == 502
    assert response.json()["error"]["code"] == "upstream_error"


async def test_an_upstream_that_does_not_answer_gives_504(
    gateway_settings: Any, make_gateway_client: Any, auth: Any, upstream: FakeOpenAIUpstream
) -> None:
    from server.gateway.upstream_settings import UpstreamSettings

    upstreams = dict(gateway_settings.gateway_upstreams)
    upstreams["hds_vllm"] = UpstreamSettings(base_url="http://upstream.test/v1", timeout_seconds=0.05)
    upstream.hang = True
    async with make_gateway_client(
        gateway_settings.model_copy(update={"gateway_upstreams": upstreams})
    ) as client:
        response = await client.post(
            "/v1/chat/completions", json=chat_body("mistral-small-hds"), headers=auth(CLAIRE)
        )
    assert response.status_code == 504
    assert response.json()["error"]["code"] == "upstream_timeout"


async def test_an_upstream_client_error_is_passed_through(
    gateway: httpx.AsyncClient, auth: Any, upstream: FakeOpenAIUpstream
) -> None:
    upstream.fail_with = [400]
    response = await gateway.post(
        "/v1/chat/completions", json=chat_body("mistral-small-hds"), headers=auth(CLAIRE)
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "upstream failure"


@pytest.mark.parametrize(
    ("content", "status", "code"),
    [
        (b"{not json", 400, "invalid_request"),
        (b"[1, 2]", 400, "invalid_request"),
        (json.dumps({"model": "mistral-small-hds"}).encode(), 400, "invalid_request"),
        (json.dumps(chat_body("mistral-small-hds", "x" * 5_000_000)).encode(), 413, "request_too_large"),
    ],
)
async def test_bad_requests_get_the_openai_error_envelope(
    gateway: httpx.AsyncClient, auth: Any, content: bytes, status: int, code: str
) -> None:
    headers = {**auth(CLAIRE), "Content-Type": "application/json"}
    response = await gateway.post("/v1/chat/completions", content=content, headers=headers)
    assert response.status_code == status
    error = response.json()["error"]
    assert (error["code"], sorted(error)) == (code, ["code", "message", "param", "type"])


async def test_no_credentials_and_unknown_paths_get_the_openai_envelope(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/v1/models")
    assert (response.status_code, response.json()["error"]["type"]) == (401, "authentication_error")
    response = await gateway.get("/v1/nowhere", headers={"Authorization": "Bearer x"})
    assert (response.status_code, response.json()["error"]["code"]) == (404, "not_found")
    response = await gateway.get("/v1/models", headers={"Authorization": "Bearer not-a-jwt"})
    assert (response.status_code, response.json()["error"]["code"]) == (401, "invalid_token")
