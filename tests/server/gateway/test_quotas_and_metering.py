"""Daily quotas under concurrency, metering of each request, and the GenAI span of each call."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import anyio
import httpx
import psycopg
import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from server.gateway.metering import MeteringWriter
from server.gateway.quotas import estimate_input_tokens
from server.settings import Settings
from tests.fakes.openai_upstream import FakeOpenAIUpstream
from tests.server.gateway.conftest import CLAIRE, INES, chat_body, with_policy

pytestmark = pytest.mark.anyio


def _with_quota(settings: Settings, tmp_path: Path, user_tokens: int) -> Settings:
    return with_policy(
        settings, tmp_path, ("user_tokens_per_day: 400000", f"user_tokens_per_day: {user_tokens}")
    )


async def test_concurrent_requests_never_overspend_a_quota(
    gateway_settings: Settings,
    make_gateway_client: Any,
    auth: Any,
    upstream: FakeOpenAIUpstream,
    tmp_path: Path,
    database_url: str,
) -> None:
    per_request = estimate_input_tokens(["Bonjour"]) + 1000
    settings = _with_quota(gateway_settings, tmp_path, 4 * per_request + per_request // 2)
    upstream.gate = asyncio.Event()
    headers = auth(CLAIRE)
    results: list[httpx.Response] = []
    async with make_gateway_client(settings) as client:

        async def one() -> None:
            body = chat_body("mistral-small-hds", max_tokens=1000)
            results.append(await client.post("/v1/chat/completions", json=body, headers=headers))

        with anyio.fail_after(20):
            async with anyio.create_task_group() as group:
                for _ in range(20):
                    group.start_soon(one)
                while len(upstream.requests) + len(results) < 20:  # 4 wait upstream, the rest refused
                    await anyio.sleep(0.01)
                upstream.gate.set()
    statuses = sorted(response.status_code for response in results)
    assert statuses == [200] * 4 + [429] * 16
    refused = next(response for response in results if response.status_code == 429)
    assert refused.json()["error"]["code"] == "quota_exceeded"
    assert int(refused.headers["Retry-After"]) > 0
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT subject, used, reserved FROM gateway_quota_usage ORDER BY subject"
        ).fetchall()
    assert [(used, reserved) for _, used, reserved in rows] == [(60, 0), (60, 0)]  # service, user: 4 x 15


async def test_a_short_service_quota_releases_the_user_hold_it_took(
    gateway_settings: Settings, make_gateway_client: Any, auth: Any, tmp_path: Path, database_url: str
) -> None:
    settings = with_policy(gateway_settings, tmp_path, ("  services: {}", "  services: {DTNIB: 80}"))
    async with make_gateway_client(settings) as client:
        first = await client.post(
            "/v1/chat/completions", json=chat_body("mistral-small-hds", max_tokens=50), headers=auth(CLAIRE)
        )
        second = await client.post(
            "/v1/chat/completions", json=chat_body("mistral-small-hds", max_tokens=50), headers=auth(CLAIRE)
        )
    assert (first.status_code, second.status_code) == (200, 429)
    assert "du service" in second.json()["error"]["message"]
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT subject LIKE 'user:%', used, reserved FROM gateway_quota_usage ORDER BY 1"
        ).fetchall()
    assert rows == [(False, 15, 0), (True, 15, 0)]


async def test_calls_finishing_together_are_each_metered_and_settled_exactly(
    gateway_settings: Settings,
    make_gateway_client: Any,
    auth: Any,
    upstream: FakeOpenAIUpstream,
    database_url: str,
) -> None:
    # Released at once, the answers' metering is written in shared round trips: every call still gets
    # its row, and each subject's quota counts every call's tokens with nothing left reserved.
    upstream.gate = asyncio.Event()
    callers = [CLAIRE] * 18 + [INES] * 12
    async with make_gateway_client(gateway_settings) as client:

        async def one(user: str) -> None:
            body = chat_body("mistral-small-hds", max_tokens=100)
            response = await client.post("/v1/chat/completions", json=body, headers=auth(user))
            assert response.status_code == 200

        with anyio.fail_after(20):
            async with anyio.create_task_group() as group:
                for user in callers:
                    group.start_soon(one, user)
                while len(upstream.requests) < len(callers):
                    await anyio.sleep(0.01)
                upstream.gate.set()
    with psycopg.connect(database_url) as conn:
        metered = conn.execute(
            "SELECT caller_name, count(*), sum(input_tokens + output_tokens) FROM gateway_usage "
            "GROUP BY caller_name ORDER BY caller_name"
        ).fetchall()
        quotas = conn.execute("SELECT subject, used, reserved FROM gateway_quota_usage").fetchall()
    assert sorted(metered) == sorted([(CLAIRE, 18, 18 * 15), (INES, 12, 12 * 15)])
    used = sorted((used, reserved) for _, used, reserved in quotas)
    assert used == [(12 * 15, 0), (12 * 15, 0), (18 * 15, 0), (18 * 15, 0)]  # each user and service


async def test_a_metering_failure_is_logged_and_never_fails_the_call(
    caplog: pytest.LogCaptureFixture,
) -> None:
    class UnreachablePool:  # a test double: the database gone between the answer and its metering
        def connection(self) -> Any:
            raise psycopg.OperationalError("connection refused")

    meter = MeteringWriter(UnreachablePool())  # type: ignore[arg-type]
    with anyio.fail_after(5):
        await asyncio.gather(
            meter.write({"operation": "chat"}, None), meter.write({"operation": "chat"}, None)
        )
    assert "metering of" in caplog.text
    assert "failed" in caplog.text


async def test_each_request_is_metered_with_its_decision(
    gateway: httpx.AsyncClient, auth: Any, database_url: str
) -> None:
    await gateway.post("/v1/chat/completions", json=chat_body("mistral-small-hds"), headers=auth(CLAIRE))
    await gateway.post("/v1/chat/completions", json=chat_body("gpt-4o-mini"), headers=auth(CLAIRE))
    await gateway.post(
        "/v1/chat/completions", json=chat_body("Mistral-Small", "IPP 12345678"), headers=auth(INES)
    )
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT caller_name, service, job_category, requested_model, used_model, data_class, findings, "
            "rule, status_code, error_code, input_tokens, output_tokens, cost_eur > 0, policy_version "
            "FROM gateway_usage ORDER BY id"
        ).fetchall()
    assert rows == [
        (
            CLAIRE,
            "DTNIB",
            "Secrétariat administratif",
            "mistral-small-hds",
            "mistral-small-hds",
            "internal",
            [],
            "staff-general",
            200,
            None,
            12,
            3,
            True,
            0,
        ),
        (
            CLAIRE,
            "DTNIB",
            "Secrétariat administratif",
            "gpt-4o-mini",
            None,
            "internal",
            [],
            None,
            403,
            "model_not_allowed",
            0,
            0,
            False,
            0,
        ),
        (
            INES,
            "Pôle médecine",
            "Secrétariat médical",
            "Mistral-Small",
            "mistral-small-hds",
            "health",
            ["patient_id"],
            "health-data",
            200,
            None,
            12,
            3,
            True,
            0,
        ),
    ]


async def test_one_chat_span_per_call_with_genai_and_policy_attributes(
    gateway: httpx.AsyncClient, auth: Any, spans: InMemorySpanExporter
) -> None:
    await gateway.post(
        "/v1/chat/completions", json=chat_body("mistral-small", stream=True), headers=auth(CLAIRE)
    )
    await gateway.post(
        "/v1/chat/completions", json=chat_body("mistral-medium-eu", "IPP 12345678"), headers=auth(INES)
    )
    finished = spans.get_finished_spans()
    assert [span.name for span in finished] == ["chat mistral-small", "chat mistral-medium-eu"]
    allowed, refused = (dict(span.attributes or {}) for span in finished)
    assert allowed == {
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": "mistral-small",
        "gen_ai.response.model": "mistralai/Mistral-Small-3.2-24B-Instruct-2506",
        "gen_ai.provider.name": "vllm",
        "gen_ai.usage.input_tokens": 12,
        "gen_ai.usage.output_tokens": 3,
        "ariane.caller.kind": "user",
        "ariane.caller.service": "DTNIB",
        "ariane.request.stream": True,
        "ariane.policy.decision": "allowed",
        "ariane.policy.version": 0,
        "ariane.policy.data_class": "internal",
        "ariane.policy.findings": (),
        "ariane.policy.rule": "staff-general",
        "ariane.policy.reason": "données internes autorisées pour mistral-small-hds par staff-general",
        "ariane.policy.requested_model": "mistral-small",
        "ariane.policy.used_model": "mistral-small-hds",
    }
    assert refused["ariane.policy.decision"] == "refused"
    assert refused["error.type"] == "data_class_not_allowed"
    assert refused["ariane.policy.data_class"] == "health"
    assert refused["ariane.policy.findings"] == ("patient_id",)


async def test_a_trace_context_from_outside_does_not_become_the_span_parent(
    gateway: httpx.AsyncClient, auth: Any, spans: InMemorySpanExporter
) -> None:
    # Only Ariane's own parts join a trace (their context is signed): a caller naming another run's
    # trace would otherwise add its spans to it.
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    headers = auth(CLAIRE, traceparent=f"00-{trace_id}-00f067aa0ba902b7-01")
    await gateway.post("/v1/chat/completions", json=chat_body("mistral-small-hds"), headers=headers)
    (span,) = spans.get_finished_spans()
    assert format(span.context.trace_id, "032x") != trace_id  # type: ignore[union-attr]
    assert span.parent is None
