"""The official `openai` client and langchain-openai's `ChatOpenAI` work against the gateway unchanged."""

from __future__ import annotations

from typing import Any

import httpx
import openai
import pytest
from langchain_openai import ChatOpenAI, OpenAIEmbeddings

from tests.server.gateway.conftest import CLAIRE, INES, chat_body

pytestmark = pytest.mark.anyio


def _client(gateway: httpx.AsyncClient, token: str) -> openai.AsyncOpenAI:
    http = httpx.AsyncClient(transport=gateway._transport, base_url="http://ariane.test")
    return openai.AsyncOpenAI(
        base_url="http://ariane.test/v1", api_key=token, http_client=http, max_retries=0
    )


async def test_the_openai_client_lists_streams_and_is_refused_with_reasons(
    gateway: httpx.AsyncClient, token_for: Any
) -> None:
    client = _client(gateway, token_for(CLAIRE))
    models = [model.id async for model in client.models.list()]
    assert models == ["all-minilm-l6-v2", "mistral-small-hds", "mistral-medium-eu", "gpt-4o-azure-fr"]

    stream = await client.chat.completions.create(
        model="mistral-small-hds", messages=[{"role": "user", "content": "Bonjour"}], stream=True
    )
    text = "".join([chunk.choices[0].delta.content or "" async for chunk in stream if chunk.choices])
    assert text == "Bonjour de la passerelle."

    completion = await client.chat.completions.create(
        model="mistral-small-hds", messages=[{"role": "user", "content": "Bonjour"}]
    )
    assert (completion.choices[0].message.content, completion.usage.total_tokens) == (  # type: ignore[union-attr]
        "Bonjour de la passerelle.",
        15,
    )

    with pytest.raises(openai.PermissionDeniedError) as forbidden:
        await client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "x"}])
    assert forbidden.value.code == "model_not_allowed"

    with pytest.raises(openai.PermissionDeniedError) as health:
        await client.chat.completions.create(
            model="mistral-medium-eu",
            messages=[{"role": "user", "content": "NIR du patient : 1 85 05 78 006 084 91"}],
        )
    assert health.value.code == "data_class_not_allowed"
    assert "HDS" in health.value.message

    with pytest.raises(openai.NotFoundError) as unknown:
        await client.chat.completions.create(model="gpt-5", messages=[{"role": "user", "content": "x"}])
    assert unknown.value.code == "model_not_found"


async def test_the_openai_client_embeds_locally_in_384_dimensions(
    gateway: httpx.AsyncClient, token_for: Any
) -> None:
    client = _client(gateway, token_for(INES))
    # The client asks for base64 by default and decodes it.
    result = await client.embeddings.create(model="all-minilm-l6-v2", input=["Bonjour", "Astreinte de nuit"])
    assert [len(item.embedding) for item in result.data] == [384, 384]
    assert result.model == "all-minilm-l6-v2"
    assert result.usage.prompt_tokens > 0
    floats = await client.embeddings.create(
        model="all-minilm-l6-v2", input="Bonjour", encoding_format="float"
    )
    assert floats.data[0].embedding == pytest.approx(result.data[0].embedding, abs=1e-5)


async def test_langchain_chat_openai_calls_tools_through_the_gateway(
    gateway: httpx.AsyncClient, token_for: Any
) -> None:
    http = httpx.AsyncClient(transport=gateway._transport, base_url="http://ariane.test")
    model = ChatOpenAI(
        model="mistral-small-hds",
        base_url="http://ariane.test/v1",
        api_key=token_for(CLAIRE),  # type: ignore[arg-type]
        http_async_client=http,
        max_retries=0,
    )

    def search_documents(query: str) -> str:
        """Search the hospital's documents."""
        return query

    answer = await model.bind_tools([search_documents]).ainvoke("Que dit le règlement sur les astreintes ?")
    assert answer.tool_calls == [  # type: ignore[attr-defined]
        {"name": "search_documents", "args": {"query": "astreinte"}, "id": "call_fake_1", "type": "tool_call"}
    ]
    streamed = "".join([str(chunk.content) async for chunk in model.astream("Bonjour")])
    assert streamed == "Bonjour de la passerelle."

    embeddings = OpenAIEmbeddings(
        model="all-minilm-l6-v2",
        base_url="http://ariane.test/v1",
        api_key=token_for(CLAIRE),  # type: ignore[arg-type]
        http_async_client=http,
        check_embedding_ctx_length=False,
    )
    assert len(await embeddings.aembed_query("Bonjour")) == 384


async def test_embeddings_refuse_token_arrays_and_other_dimensions(
    gateway: httpx.AsyncClient, auth: Any
) -> None:
    tokens = await gateway.post(
        "/v1/embeddings", json={"model": "all-minilm-l6-v2", "input": [1, 2]}, headers=auth(CLAIRE)
    )
    assert (tokens.status_code, tokens.json()["error"]["param"]) == (400, "input")
    dims = await gateway.post(
        "/v1/embeddings",
        json={"model": "all-minilm-l6-v2", "input": "x", "dimensions": 64},
        headers=auth(CLAIRE),
    )
    assert (dims.status_code, dims.json()["error"]["param"]) == (400, "dimensions")
    chat = await gateway.post(
        "/v1/embeddings", json=chat_body("mistral-small-hds") | {"input": "x"}, headers=auth(CLAIRE)
    )
    assert chat.status_code == 404
