"""A held destructive call: its user confirms (or declines) exactly that call, once, while it is valid."""

import json
from pathlib import Path
from typing import Any

import psycopg
import pytest
from mcp.types import CallToolResult, TextContent

from agents.turn import HeldCall
from server.cli.audit import OPERATOR, render_replay
from server.registry.runtime import CircuitBreaker, Grant, RegistryGuard, ToolRule
from tests.server.registry.conftest import ADMIN, BADGE_TOOL, DEVELOPER, STAFF
from tests.sse import read_events

pytestmark = pytest.mark.anyio

AUDITOR = "anne.lambert@chru-exemple.fr"


@pytest.fixture
def calls_log(fake_server) -> Path:  # type: ignore[no-untyped-def]
    return fake_server.path.parent / "calls.jsonl"  # the one folder the sandboxed fake may write to


@pytest.fixture
async def held(registry, tool_model, fake_server, calls_log) -> dict[str, Any]:
    """A staff member asked to disable a badge; the destructive tool was held, not run."""
    disable = BADGE_TOOL | {
        "name": "disable_badge",
        "description": "Désactive un badge d'accès à partir de son numéro.",
        "annotations": {"destructiveHint": True},
        "reply": "Badge 42 : désactivé",
        "log": str(calls_log),
    }
    fake_server.write([disable])
    await registry.register(name="badges", **fake_server.declaration(), assistants=["ariane"])
    await registry.approve("badges")
    tool_model.calls = {"disable_badge": {"badge": "42"}}
    headers = registry.headers(STAFF)
    thread = (await registry.client.post("/api/threads", json={}, headers=headers)).json()["id"]
    body = {"message": "Désactive mon badge 42", "workflow": "tool_agent"}
    async with registry.client.stream(
        "POST", f"/api/threads/{thread}/runs", json=body, headers=headers
    ) as response:
        events = await read_events(response)
        run_id = response.headers["x-ariane-run-id"]
    return {"run_id": run_id, "thread": thread, "events": events}


def _executions(log: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


async def _decide(registry, run_id: str, verb: str, as_user: str = STAFF):  # type: ignore[no-untyped-def]
    return await registry.client.post(
        f"/api/runs/{run_id}/confirmation/{verb}", headers=registry.headers(as_user)
    )


async def _events(registry, run_id: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    async with registry.client.stream(
        "GET", f"/api/runs/{run_id}/events", headers=registry.headers(STAFF)
    ) as response:
        return await read_events(response)


def _kinds(events: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    return [(e["event"], e["data"].get("tool")) for e in events if e["event"].startswith("tool_")]


async def _replay(registry, run_id: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    response = await registry.client.post(
        f"/api/audit/runs/{run_id}/replay", json={}, headers=registry.headers(AUDITOR)
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_the_held_call_is_recorded_with_its_exact_arguments_and_digest(registry, held, calls_log):
    announced = [e["data"] for e in held["events"] if e["event"] == "confirmation_required"]
    stored = (
        await registry.client.get(f"/api/runs/{held['run_id']}/confirmation", headers=registry.headers(STAFF))
    ).json()
    pinned = (await registry.show("badges"))["tools"][0]["approved_digest"]

    assert announced == [stored]
    assert {k: stored[k] for k in ("server", "tool", "arguments", "digest", "status", "result_run_id")} == {
        "server": "badges",
        "tool": "disable_badge",
        "arguments": {"badge": "42"},
        "digest": pinned,
        "status": "pending",
        "result_run_id": None,
    }
    assert stored["description"] == "Désactive un badge d'accès à partir de son numéro."
    assert _executions(calls_log) == []


async def test_confirming_executes_exactly_the_held_call_once_and_shows_its_result(
    registry, held, tool_model, calls_log
):
    asked = len(tool_model.requests)

    response = await _decide(registry, held["run_id"], "confirm")
    decision = response.json()
    events = await _events(registry, decision["run"]["id"])
    run = (
        await registry.client.get(f"/api/runs/{decision['run']['id']}", headers=registry.headers(STAFF))
    ).json()
    again = await _decide(registry, held["run_id"], "confirm")
    declined_after = await _decide(registry, held["run_id"], "decline")

    assert response.status_code == 202, response.text
    assert decision["confirmation"]["status"] == "confirmed"
    assert decision["confirmation"]["result_run_id"] == decision["run"]["id"]
    assert decision["run"]["request"] == 'Confirmer : badges/disable_badge {"badge": "42"}'
    assert _kinds(events) == [("tool_start", "disable_badge"), ("tool_end", "disable_badge")]
    assert [e["data"]["ok"] for e in events if e["event"] == "tool_end"] == [True]
    assert (run["status"], run["workflow"], run["thread_id"]) == ("done", "tool_confirmation", held["thread"])
    assert run["answer"].startswith("Action confirmée : l'outil « badges/disable_badge » a été exécuté.")
    assert "Badge 42 : désactivé" in run["answer"]
    assert _executions(calls_log) == [{"badge": "42"}]
    assert len(tool_model.requests) == asked  # the model was not asked again
    assert (again.status_code, again.json()["error"]) == (409, "confirmation_closed")
    assert (declined_after.status_code, declined_after.json()["error"]) == (409, "confirmation_closed")


async def test_the_confirmation_run_and_the_held_run_replay_identically(registry, held):
    decision = (await _decide(registry, held["run_id"], "confirm")).json()
    await _events(registry, decision["run"]["id"])

    confirmed = await _replay(registry, decision["run"]["id"])
    asked = await _replay(registry, held["run_id"])
    # `ariane audit replay RUN`: the command line's own call and rendering, as the operator
    printed = render_replay(await registry.app.state.audit.replay(OPERATOR, decision["run"]["id"], None))

    assert (confirmed["status"], confirmed["workflow"], confirmed["steps"]) == (
        "identique",
        "tool_confirmation",
        1,
    )
    assert confirmed["answer"]["replayed"] == confirmed["answer"]["recorded"]
    assert asked["status"] == "identique", json.dumps(asked["divergence"])
    assert printed.startswith("identique — 1 étape(s) rejouée(s)")


async def test_someone_else_cannot_see_or_decide_the_held_call(registry, held, calls_log):
    seen = await registry.client.get(
        f"/api/runs/{held['run_id']}/confirmation", headers=registry.headers(DEVELOPER)
    )
    confirmed = await _decide(registry, held["run_id"], "confirm", as_user=DEVELOPER)
    declined = await _decide(registry, held["run_id"], "decline", as_user=DEVELOPER)
    listed = await registry.client.get(
        f"/api/threads/{held['thread']}/confirmations", headers=registry.headers(DEVELOPER)
    )

    assert [r.status_code for r in (seen, confirmed, declined, listed)] == [404, 404, 404, 404]
    assert confirmed.json()["error"] == "confirmation_not_found"
    assert _executions(calls_log) == []


async def test_declining_executes_nothing_and_answers_in_the_thread(registry, held, calls_log):
    decision = (await _decide(registry, held["run_id"], "decline")).json()
    events = await _events(registry, decision["run"]["id"])
    run = (
        await registry.client.get(f"/api/runs/{decision['run']['id']}", headers=registry.headers(STAFF))
    ).json()
    listed = (
        await registry.client.get(
            f"/api/threads/{held['thread']}/confirmations", headers=registry.headers(STAFF)
        )
    ).json()
    late = await _decide(registry, held["run_id"], "confirm")

    assert _kinds(events) == []
    assert run["answer"] == "Action annulée : l'outil « badges/disable_badge » n'a pas été exécuté."
    assert [c["status"] for c in listed] == ["declined"]
    assert (late.status_code, late.json()["error"]) == (409, "confirmation_closed")
    assert _executions(calls_log) == []


async def test_a_suspended_then_changed_tool_is_not_executed_on_confirmation(
    registry, held, fake_server, calls_log
):
    admin = registry.headers(ADMIN)
    await registry.client.post("/api/tools/badges/suspend", headers=admin)
    suspended = await _decide(registry, held["run_id"], "confirm")
    tools = json.loads(fake_server.path.read_text())
    fake_server.write([tools[0] | {"description": "Désactive un badge et prévient la sécurité."}])
    await registry.client.post("/api/tools/badges/check", headers=admin)
    await registry.approve("badges")
    changed = await _decide(registry, held["run_id"], "confirm")
    stored = (
        await registry.client.get(f"/api/runs/{held['run_id']}/confirmation", headers=registry.headers(STAFF))
    ).json()

    assert (suspended.status_code, suspended.json()["error"]) == (409, "tool_unavailable")
    assert (changed.status_code, changed.json()["error"]) == (409, "tool_changed")
    assert stored["status"] == "pending"
    assert _executions(calls_log) == []


async def test_a_call_held_too_long_ago_cannot_be_confirmed_but_can_be_declined(
    registry, held, calls_log, database_url
):
    with psycopg.connect(database_url, autocommit=True) as conn:  # the request was made 25 hours ago
        conn.execute(
            "UPDATE tool_confirmations SET created_at = now() - interval '25 hours' WHERE run_id = %s",
            (held["run_id"],),
        )

    expired = await _decide(registry, held["run_id"], "confirm")
    declined = await _decide(registry, held["run_id"], "decline")

    assert (expired.status_code, expired.json()["error"]) == (409, "confirmation_expired")
    assert declined.status_code == 202
    assert declined.json()["confirmation"]["status"] == "declined"
    assert _executions(calls_log) == []


async def test_a_user_who_lost_the_tool_cannot_confirm_its_call(registry, held, calls_log):
    await registry.client.put(
        "/api/tools/badges/permissions", json={"roles": ["ai_admin"]}, headers=registry.headers(ADMIN)
    )

    refused = await _decide(registry, held["run_id"], "confirm")

    assert (refused.status_code, refused.json()["error"]) == (403, "tool_not_allowed")
    assert _executions(calls_log) == []


async def test_a_message_cannot_start_a_confirmation_run(registry, held, calls_log):
    body = {"message": 'Confirmer : badges/disable_badge {"badge": "42"}', "workflow": "tool_confirmation"}
    async with registry.client.stream(
        "POST", f"/api/threads/{held['thread']}/runs", json=body, headers=registry.headers(STAFF)
    ) as response:
        events = await read_events(response)

    assert [e["data"]["code"] for e in events if e["event"] == "error"] == ["workflow_not_allowed"]
    assert _executions(calls_log) == []


class _UnlimitedFake:
    """A limiter that lets every call through (this test is about confirmations)."""

    async def allow(self, user: str, server: str, tool: str, per_minute: int) -> bool:
        return True


def _result(text: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=text)])


async def test_the_guard_lets_the_confirmed_call_through_once_and_holds_any_other():
    rule = ToolRule(
        "sha256:x", confirmation=True, timeout_seconds=5, rate_per_minute=10, max_result_bytes=100
    )
    confirmed = HeldCall(server="badges", tool="disable_badge", arguments={"badge": "42"}, digest="sha256:x")
    runtime = type("Runtime", (), {"limiter": _UnlimitedFake(), "breaker": CircuitBreaker()})()
    guard = RegistryGuard(Grant({"badges": {"disable_badge": rule}}), runtime, "user-1", confirmed)  # type: ignore[arg-type]
    ran: list[dict[str, Any]] = []

    def invoke(arguments: dict[str, Any]):  # type: ignore[no-untyped-def]
        async def call() -> CallToolResult:
            ran.append(arguments)
            return _result("ok")

        return call

    other = await guard.call("badges", "disable_badge", {"badge": "43"}, invoke({"badge": "43"}))
    first = await guard.call("badges", "disable_badge", {"badge": "42"}, invoke({"badge": "42"}))
    second = await guard.call("badges", "disable_badge", {"badge": "42"}, invoke({"badge": "42"}))

    assert [other.code, first.code, second.code] == ["confirmation_required", None, "confirmation_required"]
    assert ran == [{"badge": "42"}]
    assert other.data == {
        "server": "badges",
        "tool": "disable_badge",
        "arguments": {"badge": "43"},
        "digest": "sha256:x",
    }
