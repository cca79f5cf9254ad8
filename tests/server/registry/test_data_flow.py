"""A tool server declares the data it may receive, like a model: what a run has read above that class
never reaches it, whatever argument the model puts it in."""

from typing import Any

import pytest
from mcp.types import CallToolResult, TextContent

from server.gateway.policy import DataClass
from server.registry.flow import DataFlow
from server.registry.runtime import CircuitBreaker, Grant, RegistryGuard, ToolRule
from tests.server.registry.conftest import STAFF
from tests.sse import read_events

pytestmark = pytest.mark.anyio

TRANSCRIPT = (
    "Hélène Marchal : Le plan de continuité du DTNIB sera présenté au comité de direction. "
    "Julien Perrin : Le budget des robots augmente de 12 % l'an prochain."
)


class _UnlimitedFake:
    """A limiter that lets every call through (these tests are about data classes)."""

    async def allow(self, user: str, server: str, tool: str, per_minute: int) -> bool:
        return True


def _rule(data_class: DataClass, *, own: bool = False) -> ToolRule:
    return ToolRule("sha256:x", False, 5, 10, 100_000, data_class=data_class, own=own)


def _guard(floor: DataClass = DataClass.INTERNAL) -> RegistryGuard:
    grant = Grant(
        {
            "meetings": {"get_transcript": _rule(DataClass.HEALTH, own=True)},
            "notes": {"save_note": _rule(DataClass.PUBLIC)},
            "archives": {"archive_text": _rule(DataClass.INTERNAL)},
        }
    )
    runtime = type("Runtime", (), {"limiter": _UnlimitedFake(), "breaker": CircuitBreaker()})()
    return RegistryGuard(grant, runtime, "user-1", flow=DataFlow(floor))  # type: ignore[arg-type]


def _invoke(text: str, sent: list[str]):  # type: ignore[no-untyped-def]
    async def call() -> CallToolResult:
        sent.append(text)
        return CallToolResult(
            content=[TextContent(type="text", text=text)], structured_content={"text": text}
        )

    return call


async def test_a_transcript_read_in_the_run_never_reaches_a_tool_declared_for_public_data():
    guard = _guard(DataClass.PUBLIC)
    sent: list[str] = []

    before = await guard.call("notes", "save_note", {"text": "Rappel : réunion jeudi"}, _invoke("ok", sent))
    read = await guard.call("meetings", "get_transcript", {"meeting": "AG"}, _invoke(TRANSCRIPT, sent))
    leaked = await guard.call("notes", "save_note", {"text": TRANSCRIPT}, _invoke("ok", sent))
    innocent = await guard.call("notes", "save_note", {"text": "Bonjour"}, _invoke("ok", sent))

    assert (before.ok, read.ok) == (True, True)
    assert (leaked.code, innocent.code) == ("data_class_not_allowed", "data_class_not_allowed")
    assert sent == ["ok", TRANSCRIPT]
    assert guard.flow.current is DataClass.INTERNAL


async def test_health_data_in_an_argument_is_refused_to_a_server_declared_for_internal_data():
    guard = _guard()
    sent: list[str] = []

    refused = await guard.call(
        "archives", "archive_text", {"text": "Patient IPP 12345678, suivi en oncologie"}, _invoke("ok", sent)
    )
    allowed = await guard.call("archives", "archive_text", {"text": "Note de service"}, _invoke("ok", sent))

    assert (refused.code, allowed.ok) == ("data_class_not_allowed", True)
    assert sent == ["ok"]


async def test_a_tool_declared_for_less_than_the_assistant_is_not_offered_in_the_chat(
    registry, tool_model, fake_server
):
    await registry.register(
        name="badges", **fake_server.declaration(), assistants=["ariane"], data_class="public"
    )
    await registry.approve("badges", read_only=("lookup_badge",))
    tool_model.calls = {"lookup_badge": {"badge": "42"}}
    headers = registry.headers(STAFF)
    thread = (await registry.client.post("/api/threads", json={}, headers=headers)).json()["id"]

    async with registry.client.stream(
        "POST",
        f"/api/threads/{thread}/runs",
        json={"message": "Mon badge 42 ?", "workflow": "tool_agent"},
        headers=headers,
    ) as response:
        events: list[dict[str, Any]] = await read_events(response)

    assert [e for e in events if e["event"] == "tool_start"] == []
    assert "lookup_badge" not in tool_model.offered()


async def test_a_declaration_cannot_promise_health_data_to_a_host_outside_hds(registry):
    health = await registry.register(name="cloud", url="https://outils.example.org/mcp", hosting="eu_cloud",
                                     data_class="health")  # fmt: skip
    personal = await registry.register(name="monde", url="https://outils.example.org/mcp", hosting="non_eu",
                                       data_class="personal")  # fmt: skip

    assert (health.status_code, personal.status_code) == (400, 400)
