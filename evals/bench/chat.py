"""What the platform adds to a chat turn: the reference request through the chat API vs the graph bare.

Both sides run the same meeting-summary workflow, with the same tool servers (MCP over in-process
HTTP) and the same gateway answered by an instant scripted model (no model latency). The platform
side goes through HTTP on loopback, authentication, thread and run records, the event log, the
PostgreSQL checkpointer and the SSE stream; the bare side calls the runner directly, without
checkpointer, API or event store. Reported: time to first event and to `done` (platform), time to
the outcome (bare), p50/p99, and the difference; the platform also without tracing and audit trail (no
tracer provider, no run recorder), so that the chat platform's own share is told apart from the
trail's (whose budget, under 5 % of a turn, the `audit` benchmark measures). One app serves the three
sides in rotation, turn by turn, each turn from a settled app (see `chat_turns`); the bare runner and
the platform without trail run untraced; what the platform adds is the median of the differences within
a round (the difference of the p50s is reported too). Target (issue 5): the chat platform's share
under 15 ms.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

from agents.runner import AgentRunner
from agents.turn import Caller, TurnRequest
from evals.bench.chat_turns import MESSAGE, USER, bench_settings, settled, timed_turn, untraced
from evals.bench.stats import Report, Series, percentile
from evals.scripted_model import ScriptedChatModel
from server.app import create_app
from server.cli.main import database
from server.cli.serving import serving_on_free_port
from server.gateway.app import GatewayOptions
from server.settings import Settings
from tools.tenant.app import create_tenant_app
from tools.tenant.identity.issuer import ARIANE_API_AUDIENCE, WEB_CLIENT_ID
from tools.tenant.settings import TenantSettings

ROUNDS = 30
WARMUP = 3


async def _platform_turn(client: httpx.AsyncClient, headers: dict[str, str]) -> tuple[float, float]:
    turn = await timed_turn(client, headers)
    return turn.first_ms, turn.done_ms


async def _bare_turn(runner: AgentRunner, caller: Caller) -> tuple[float, float]:
    async def ignore(kind: object, data: object) -> None:
        return None

    turn = TurnRequest(run_id=str(uuid.uuid4()), thread_id=str(uuid.uuid4()), message=MESSAGE, caller=caller)
    start = time.perf_counter()
    outcome = await runner(turn, ignore)
    assert outcome.mode == "generative", outcome
    assert len(outcome.citations) == 3, outcome
    elapsed = (time.perf_counter() - start) * 1000
    return elapsed, elapsed


def _app(settings: Settings, tenant: Any) -> Any:
    options = GatewayOptions(upstream_transport=httpx.ASGITransport(app=ScriptedChatModel().app))
    return create_app(
        settings,
        identity_transport=httpx.ASGITransport(app=tenant),
        gateway=options,
        agents_in_process=True,
    )


async def run() -> Report:
    with tempfile.TemporaryDirectory(prefix="ariane-bench-") as folder:
        base = bench_settings(Path(folder))
        with database(base) as settings:
            tenant = create_tenant_app(TenantSettings(data_dir=Path(folder) / "tenant"))
            provider = tenant.state.identity
            user = provider.directory.user_by_mail(USER)
            token = provider.tokens.access_token(
                user, audience=ARIANE_API_AUDIENCE, scope="access_as_user", client_id=WEB_CLIENT_ID
            )
            headers = {"Authorization": f"Bearer {token}"}
            app = _app(settings, tenant)
            async with (
                serving_on_free_port(app) as base_url,
                httpx.AsyncClient(base_url=base_url, timeout=60) as c,
            ):
                me = (await c.get("/api/me", headers=headers)).json()
                bare_runner = AgentRunner(app.state.context.agents.endpoints, checkpointer=None)
                caller = Caller(
                    id=me["id"], email=USER, display_name=me["display_name"], roles=me["roles"], token=token
                )
                sides: dict[str, Callable[[], Awaitable[tuple[float, float]]]] = {
                    "bare": lambda: _bare_turn(bare_runner, caller),
                    "no_trail": lambda: _platform_turn(c, headers),
                    "platform": lambda: _platform_turn(c, headers),
                }
                samples: dict[str, list[tuple[float, float]]] = {side: [] for side in sides}
                for index in range(WARMUP + ROUNDS):
                    names = list(sides)
                    for side in names[index % 3 :] + names[: index % 3]:  # each side in each place in turn
                        await settled(app)
                        with contextlib.nullcontext() if side == "platform" else untraced(app):
                            sample = await sides[side]()
                        if index >= WARMUP:
                            samples[side].append(sample)
    bare = [sample[1] for sample in samples["bare"]]
    platform, no_trail = samples["platform"], samples["no_trail"]
    first = [sample[0] for sample in platform]
    done = [sample[1] for sample in platform]
    untraced_done = [sample[1] for sample in no_trail]
    added = percentile(done, 50) - percentile(bare, 50)
    chat_alone = percentile(untraced_done, 50) - percentile(bare, 50)
    # The three sides of one round ran one after the other: the difference within a round shares the
    # machine's momentary speed, which two separate medians do not.
    paired_added = percentile([a - b for a, b in zip(done, bare, strict=True)], 50)
    paired_alone = percentile([a - b for a, b in zip(untraced_done, bare, strict=True)], 50)
    return Report(
        benchmark="chat",
        description="a meeting summary: chat API + checkpointer + event log vs the same graph run bare",
        series=[
            Series("graph bare, to outcome (reference)", bare),
            Series("chat API, to first event", first),
            Series("chat API, to done", done),
            Series("chat API without tracing and audit trail, to done", untraced_done),
        ],
        reference="graph bare, to outcome (reference)",
        notes={
            "platform added, median within rounds (ms)": round(paired_added, 2),
            "chat platform alone added, median within rounds (ms)": round(paired_alone, 2),
            "platform added, difference of p50s (ms)": round(added, 2),
            "chat platform alone added, difference of p50s (ms)": round(chat_alone, 2),
            "target (chat platform, issue 5)": "< 15 ms",
            "met": paired_alone < 15.0,
            "rounds": ROUNDS,
        },
    )
