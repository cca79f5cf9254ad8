"""Who may use which tool (roles, services, assistants), and the limits every call goes through."""

from typing import Any

import pytest
from mcp.types import CallToolResult, TextContent

from agents.messages import speaking
from agents.toolbox import ToolServerUnavailableError
from server.registry.runtime import (
    CircuitBreaker,
    Grant,
    RateLimiter,
    RegisteredToolConnector,
    RegistryGuard,
    ToolRule,
    grant_for,
)
from tests.server.registry.conftest import ADMIN
from tools.database import open_pool

pytestmark = pytest.mark.anyio


async def _granted(registry, roles, service, assistant, declared) -> dict[str, list[str]]:
    grant = await grant_for(registry.runtime.registry, roles, service, assistant, declared)
    return {server: tools for server, tools in grant.names().items() if server == "badges"}


async def _permissions(registry, **body: Any) -> None:
    response = await registry.client.put(
        "/api/tools/badges/permissions", json=body, headers=registry.headers(ADMIN)
    )
    assert response.status_code == 200, response.text


async def test_the_permission_matrix_of_roles_services_and_assistants(registry, fake_server):
    await registry.register(name="badges", **fake_server.declaration(), services=["DRH"])
    await registry.approve("badges")
    yes, no = {"badges": ["lookup_badge"]}, {}

    declared = [
        (["staff"], "DRH", "coach", ["badges"], yes),
        (["staff"], "DTNIB", "coach", ["badges"], no),
        (["auditor"], "DRH", "coach", ["badges"], no),
        (["staff"], "DRH", "coach", [], no),
        (["staff"], "DRH", "coach", ["badges/lookup_badge"], yes),
        (["staff"], "DRH", "coach", ["badges/other_tool"], no),
    ]
    assert [await _granted(registry, *case[:4]) for case in declared] == [case[4] for case in declared]

    await _permissions(registry, assistants=["coach"], roles=["manager", "staff"])
    named = [
        (["staff"], "DRH", "coach", [], yes),
        (["manager"], "DRH", "coach", [], yes),
        (["staff"], "DRH", "ariane", ["badges"], no),
    ]
    assert [await _granted(registry, *case[:4]) for case in named] == [case[4] for case in named]

    await registry.client.post("/api/tools/badges/suspend", headers=registry.headers(ADMIN))
    assert await _granted(registry, ["staff"], "DRH", "coach", []) == no


async def test_built_in_tools_are_open_to_every_role_through_the_assistants_that_declare_them(registry):
    grant = await grant_for(registry.runtime.registry, ["auditor"], "", "ariane", ["calendar", "meetings"])

    assert grant.names() == {
        "calendar": ["find_meeting", "get_event", "list_events"],
        "meetings": ["get_transcript", "search_transcript"],
    }


async def test_only_administrators_change_permissions(registry, fake_server):
    await registry.register(name="badges", **fake_server.declaration())

    response = await registry.client.put(
        "/api/tools/badges/permissions",
        json={"roles": ["staff"]},
        headers=registry.headers("sophie.girard@chru-exemple.fr"),
    )

    assert response.status_code == 403


async def test_a_confirmation_that_is_not_a_boolean_is_refused_and_changes_nothing(registry, fake_server):
    await registry.register(name="badges", **fake_server.declaration())
    await _permissions(registry, confirmation=True)

    response = await registry.client.put(
        "/api/tools/badges/permissions", json={"confirmation": 0}, headers=registry.headers(ADMIN)
    )
    server = await registry.client.get("/api/tools/badges", headers=registry.headers(ADMIN))

    assert response.status_code == 400
    assert all(tool["confirmation"] for tool in server.json()["tools"])


class _UnlimitedFake:
    """A limiter that lets every call through (tests of the guard's other checks)."""

    async def allow(self, user: str, server: str, tool: str, per_minute: int) -> bool:
        return True


def _guard(rule: ToolRule, *, limiter: RateLimiter | None = None, breaker: CircuitBreaker | None = None):
    runtime = type(
        "Runtime", (), {"limiter": limiter or _UnlimitedFake(), "breaker": breaker or CircuitBreaker()}
    )()
    return RegistryGuard(Grant({"badges": {"lookup_badge": rule}}), runtime, "user-1")  # type: ignore[arg-type]


RULE = ToolRule(
    digest="sha256:x", confirmation=False, timeout_seconds=5, rate_per_minute=2, max_result_bytes=20
)


def _result(text: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=text)])


async def test_calls_beyond_the_rate_limit_are_refused_until_the_minute_has_passed(database_url):
    now = [1_800_000_000.0]
    pool = await open_pool(database_url, max_size=2)
    try:
        guard = _guard(RULE, limiter=RateLimiter(pool, clock=lambda: now[0]))

        async def invoke() -> CallToolResult:
            return _result("ok")

        codes = [(await guard.call("badges", "lookup_badge", {}, invoke)).code for _ in range(3)]
        now[0] += 60.0
        later = await guard.call("badges", "lookup_badge", {}, invoke)
    finally:
        await pool.close()

    assert codes == [None, None, "rate_limited"]
    assert later.ok


async def test_the_rate_limit_holds_across_replicas(database_url):
    now = [1_800_000_000.0]
    replicas = [await open_pool(database_url, max_size=2) for _ in range(2)]
    try:
        guards = [_guard(RULE, limiter=RateLimiter(pool, clock=lambda: now[0])) for pool in replicas]

        async def invoke() -> CallToolResult:
            return _result("ok")

        codes = [(await guards[n % 2].call("badges", "lookup_badge", {}, invoke)).code for n in range(4)]
    finally:
        for pool in replicas:
            await pool.close()

    assert codes == [None, None, "rate_limited", "rate_limited"]  # 2 per minute in all, not per replica


async def test_a_result_larger_than_the_limit_is_withheld():
    guard = _guard(RULE)

    async def invoke() -> CallToolResult:
        return _result("x" * 21)

    outcome = await guard.call("badges", "lookup_badge", {}, invoke)

    assert (outcome.ok, outcome.code) == (False, "result_too_large")


async def test_a_call_that_hangs_times_out_and_repeated_failures_open_the_circuit_breaker():
    import anyio

    now = [0.0]
    breaker = CircuitBreaker(failures=2, seconds=30, clock=lambda: now[0])
    guard = _guard(ToolRule("sha256:x", False, 0.05, 100, 1000), breaker=breaker)
    hang = anyio.Event()

    async def hanging() -> CallToolResult:
        await hang.wait()
        return _result("jamais")

    async def working() -> CallToolResult:
        return _result("ok")

    first = await guard.call("badges", "lookup_badge", {}, hanging)
    second = await guard.call("badges", "lookup_badge", {}, hanging)
    refused = await guard.call("badges", "lookup_badge", {}, working)
    now[0] = 31.0
    retried = await guard.call("badges", "lookup_badge", {}, working)

    assert [first.code, second.code, refused.code] == ["timeout", "timeout", "unavailable"]
    assert retried.ok


async def test_a_tool_outside_the_grant_is_refused():
    guard = _guard(RULE)

    async def invoke() -> CallToolResult:
        raise AssertionError("must not be called")

    outcome = await guard.call("badges", "other_tool", {}, invoke)

    assert (outcome.ok, outcome.code) == (False, "tool_not_allowed")


@pytest.mark.parametrize(
    ("language", "unknown", "set_aside"),
    [
        ("fr", "Serveur d'outils « badges » inconnu du registre.", "« badges » est momentanément écarté."),
        ("en", "Tool server « badges » is not in the registry.", "« badges » is set aside for the moment."),
    ],
)
async def test_a_server_a_run_cannot_reach_is_told_in_the_run_s_language(
    database_url, language, unknown, set_aside
):
    # What the tool card shows: the run's user reads it, whatever replica or language decided it.
    pool = await open_pool(database_url, max_size=1)
    breaker = CircuitBreaker(failures=1, seconds=30, clock=lambda: 0.0)
    registry = type("Registry", (), {"builtins": {}, "pool": pool})()
    runtime = type("Runtime", (), {"registry": registry, "breaker": breaker})()
    connector = RegisteredToolConnector(builtin=None, runtime=runtime)  # type: ignore[arg-type]
    try:
        with speaking(language):
            with pytest.raises(ToolServerUnavailableError) as missing:
                async with connector.connect("badges", "token"):
                    pass
            async with pool.connection() as conn:
                await conn.execute(
                    "INSERT INTO tool_servers (name, transport, url, status, registered_by) "
                    "VALUES ('badges', 'http', 'http://127.0.0.1:9/mcp', 'active', 'dev@chru-exemple.fr')"
                )
            breaker.failed("badges")
            with pytest.raises(ToolServerUnavailableError) as aside:
                async with connector.connect("badges", "token"):
                    pass
    finally:
        await pool.close()

    assert missing.value.message == unknown
    assert aside.value.message.endswith(set_aside)
