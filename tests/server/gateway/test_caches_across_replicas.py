"""Two apps on one database: a change made through one is in force on the other at once.

Replica B keeps what it read for an hour (`gateway_policy_refresh_seconds`): only the notice sent by
replica A (`server/work/caches.py`, LISTEN/NOTIFY) can explain that B follows a change so soon.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

import anyio
import httpx
import pytest
from mcp.types import CallToolResult, TextContent

from agents.assistant import GENERAL_ASSISTANT
from agents.toolbox import ToolServerUnavailableError
from agents.turn import Caller
from server.knowledge.sharepoint import SharePointAccess
from server.settings import Settings
from server.work import Cache
from server.work.caches import announce_now
from tests.server.gateway.conftest import CLAIRE, THOMAS, chat_body

pytestmark = pytest.mark.anyio
ADMIN = "/api/admin/gateway"


@dataclass
class Replica:
    client: httpx.AsyncClient
    app: Any

    def heard(self, cache: Cache) -> asyncio.Event:
        """Set once this replica's caches have been told of a change (its own callbacks run first)."""
        event = asyncio.Event()
        self.app.state.caches.on(cache, lambda _key: event.set())
        return event


async def _heard(event: asyncio.Event) -> None:
    with anyio.fail_after(30):
        await event.wait()


@pytest.fixture
def slow_refresh(gateway_settings: Settings) -> Settings:
    return gateway_settings.model_copy(update={"gateway_policy_refresh_seconds": 3600.0})


@pytest.fixture
async def replicas(
    make_gateway_client: Callable[[Settings], Any], slow_refresh: Settings
) -> AsyncIterator[tuple[Replica, Replica]]:
    first, second = make_gateway_client(slow_refresh), make_gateway_client(slow_refresh)
    async with first as a, second as b:
        yield Replica(a, first.app), Replica(b, second.app)


async def test_a_policy_saved_on_one_replica_is_in_force_on_the_other_at_once(replicas, auth):
    a, b = replicas
    personal = chat_body("mistral-medium-eu", "M. Durand, né le 03/02/1971, demande son bulletin.")
    assert (
        await b.client.post("/v1/chat/completions", json=personal, headers=auth(CLAIRE))
    ).status_code == 403
    current = (await a.client.get(f"{ADMIN}/policy", headers=auth(THOMAS))).json()
    edited = (
        current["document"]
        .replace(
            "    models: [mistral-small-hds]\n    data_classes: [personal]",
            "    models: [mistral-small-hds, mistral-medium-eu]\n    data_classes: [personal]",
        )
        .replace(
            "    data_classes: [public, internal]\n    capabilities: {tools: true, streaming: true, "
            "json_schema: true, context_tokens: 131072}",
            "    data_classes: [public, internal, personal]\n    capabilities: {tools: true, "
            "streaming: true, json_schema: true, context_tokens: 131072}",
        )
    )
    heard = b.heard(Cache.POLICY)

    saved = await a.client.put(
        f"{ADMIN}/policy", json={"document": edited, "base_version": 0}, headers=auth(THOMAS)
    )

    assert saved.status_code == 200, saved.text
    await _heard(heard)
    after = await b.client.post("/v1/chat/completions", json=personal, headers=auth(CLAIRE))
    assert after.status_code == 200
    assert (await b.client.get(f"{ADMIN}/policy", headers=auth(THOMAS))).json()["version"] == 1


async def test_a_service_key_revoked_on_one_replica_is_refused_by_the_other_at_once(replicas, auth):
    a, b = replicas
    body = {"name": "robot-facturation", "service": "Direction des finances", "models": ["mistral-small-hds"]}
    created = (await a.client.post(f"{ADMIN}/service-keys", json=body, headers=auth(THOMAS))).json()
    key = {"Authorization": f"Bearer {created['key']}"}
    assert (await b.client.get("/v1/models", headers=key)).status_code == 200  # B holds it for an hour
    heard = b.heard(Cache.SERVICE_KEY)

    await a.client.delete(f"{ADMIN}/service-keys/{created['id']}", headers=auth(THOMAS))

    await _heard(heard)
    refused = await b.client.get("/v1/models", headers=key)
    assert (refused.status_code, refused.json()["error"]["code"]) == (401, "invalid_api_key")


async def test_an_assistant_created_on_one_replica_is_usable_on_the_other_at_once(replicas, auth):
    a, b = replicas
    named = auth(CLAIRE) | {"X-Ariane-Assistant": "suivi-des-conges"}
    unknown = await b.client.get("/v1/models", headers=named)  # B remembers that it does not exist
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (403, "assistant_not_allowed")
    heard = b.heard(Cache.ASSISTANT)

    created = await a.client.post(
        "/api/assistants", json={"id": "suivi-des-conges", "name": "Suivi des congés"}, headers=auth(CLAIRE)
    )

    assert created.status_code == 201, created.text
    await _heard(heard)
    assert (await b.client.get("/v1/models", headers=named)).status_code == 200


async def test_an_assistant_archived_on_one_replica_is_refused_to_chat_on_the_other_at_once(replicas, auth):
    a, b = replicas
    body = {"id": "suivi-des-absences", "name": "Suivi des absences"}
    assert (await a.client.post("/api/assistants", json=body, headers=auth(CLAIRE))).status_code == 201
    # B reads it (and keeps it, the hour of its refresh), as every chat turn with it does.
    assert (await b.client.get("/api/assistants/suivi-des-absences", headers=auth(CLAIRE))).status_code == 200
    thread = (
        await b.client.post("/api/threads", json={"assistant_id": "suivi-des-absences"}, headers=auth(CLAIRE))
    ).json()["id"]
    heard = b.heard(Cache.ASSISTANT)

    archived = await a.client.delete("/api/assistants/suivi-des-absences", headers=auth(CLAIRE))

    assert archived.status_code == 204, archived.text
    await _heard(heard)
    refused = await b.client.post(
        f"/api/threads/{thread}/runs", json={"message": "Bonjour"}, headers=auth(CLAIRE)
    )
    assert (refused.status_code, refused.json()["error"]) == (404, "assistant_not_found")


async def test_a_tool_suspended_on_one_replica_stops_a_run_in_progress_on_the_other(
    replicas, auth, token_for
):
    a, b = replicas
    caller = Caller(
        id="u-claire", email=CLAIRE, display_name="Claire", roles=["staff"], token=token_for(CLAIRE)
    )
    guard = await b.app.state.registry.for_turn(caller, GENERAL_ASSISTANT)  # a run on B, started now
    calls: list[str] = []

    async def invoke() -> CallToolResult:
        calls.append("list_events")
        return CallToolResult(content=[TextContent(type="text", text="[]")])

    assert (await guard.call("calendar", "list_events", {}, invoke)).ok
    heard = b.heard(Cache.REGISTRY)

    suspended = await a.client.post("/api/tools/calendar/suspend", headers=auth(THOMAS))

    assert suspended.status_code == 200, suspended.text
    await _heard(heard)
    refused = await guard.call("calendar", "list_events", {}, invoke)
    assert (refused.ok, refused.code, calls) == (False, "tool_not_allowed", ["list_events"])


class _GraphDownFake:
    """A tool connector that cannot reach Graph: any read check fails (the passage is hidden)."""

    @asynccontextmanager
    async def connect(self, server: str, token: str) -> AsyncIterator[Any]:
        raise ToolServerUnavailableError(server, "Graph injoignable (faux connecteur de test)")
        yield

    def meta(self, token: str) -> dict[str, Any]:
        return {}


async def test_sharepoint_access_withdrawn_seen_by_one_replica_is_checked_again_by_the_other(replicas):
    a, b = replicas
    pool = a.app.state.context.pool
    seen_by_a = SharePointAccess(_GraphDownFake(), withdrawn=partial(announce_now, pool, Cache.SHAREPOINT))
    held_by_b = SharePointAccess(_GraphDownFake())
    b.app.state.caches.on(Cache.SHAREPOINT, held_by_b.forget)
    held_by_b.remember("u-claire", "item-1")  # B read the item for Claire a moment ago
    assert await held_by_b.may_read("u-claire", "jeton", "item-1")
    heard = b.heard(Cache.SHAREPOINT)

    await seen_by_a.withdraw("item-1")  # A found the item no longer readable

    await _heard(heard)
    assert not await held_by_b.may_read("u-claire", "jeton", "item-1")  # B asks Graph again
