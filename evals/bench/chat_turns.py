"""What the chat and audit benchmarks share: settings, a timed meeting summary, turns untraced in one app.

Both run a hundred meeting summaries or more as one user; under the default policy's daily quota
(200 000 tokens) the last ones would be refused the model and answered extractively (local embeddings,
ten times slower), so that one side would measure another path. The benchmarks lift the user quota in
a copy of the default policy, and every timed turn must have been answered by the model.
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml
from opentelemetry.trace import NoOpTracerProvider
from pydantic import SecretStr

from server.gateway.upstream_settings import UpstreamSettings
from server.settings import Settings
from server.telemetry import installed

# Julien Perrin's talk: no health vocabulary, so the gateway lets the (instant) model answer and the
# turn measures the platform, not the local embeddings of the extractive fallback.
MESSAGE = "Résume-moi l'intervention de Julien Perrin à l'assemblée générale DTNIB en 3 points"
USER = "claire.dubois@chru-exemple.fr"


def bench_settings(folder: Path, **values: Any) -> Settings:
    """Settings for an in-process Ariane in `folder`, its model an instant scripted one, no user quota."""
    default = Settings.model_fields["gateway_policy_file"].default
    policy = yaml.safe_load(Path(default).read_text(encoding="utf-8"))
    policy["quotas"]["user_tokens_per_day"] = None
    policy_file = folder / "bench-policy.yaml"
    policy_file.write_text(yaml.safe_dump(policy, allow_unicode=True), encoding="utf-8")
    upstream = UpstreamSettings(base_url="http://scripted-model.bench/v1", api_key=SecretStr("sk-bench"))
    return Settings(  # type: ignore[call-arg]
        data_dir=folder,
        web_dist=folder / "web",
        gateway_embeddings_preload=False,
        gateway_upstreams={"hds_vllm": upstream},
        gateway_policy_file=policy_file,
        _env_file=None,
        **values,
    )


@contextmanager
def untraced(app: Any) -> Iterator[None]:
    """The app as if built with `TelemetryOptions(audit=False)`: no tracer provider, no run recorder.

    One app serving both sides of a comparison turn by turn: apps built alike differ by a few per cent
    in speed (memory layout, connections), as much as the trail costs.
    """
    runner = app.state.context.agents
    auditor, runner.auditor = runner.auditor, None
    try:
        with installed(NoOpTracerProvider()):
            yield
    finally:
        runner.auditor = auditor


async def settled(app: Any) -> None:
    """Before a timed turn: nothing left by the one before (its trailing spans written, its garbage
    collected), so that what a turn pays for is its own."""
    await app.state.audit.writer.flush()
    gc.collect()


@dataclass(frozen=True)
class TimedTurn:
    """One chat turn seen from the client: to its first event and to `done` (ms), and its run."""

    first_ms: float
    done_ms: float
    run_id: str


async def timed_turn(client: httpx.AsyncClient, headers: dict[str, str], message: str = MESSAGE) -> TimedTurn:
    """Ask `message` in a new thread and read the stream to `done`; the answer must be the model's.

    Raises:
        AssertionError: the turn failed or was answered another way (it would not be comparable).
    """
    thread = (await client.post("/api/threads", json={}, headers=headers)).json()["id"]
    start = time.perf_counter()
    first: float | None = None
    done: dict[str, Any] | None = None
    async with client.stream(
        "POST", f"/api/threads/{thread}/runs", json={"message": message}, headers=headers
    ) as response:
        run_id = response.headers["x-ariane-run-id"]
        lines = response.aiter_lines()
        async for line in lines:
            if first is None and line.startswith("event:"):
                first = time.perf_counter()
            if line == "event: done":
                data = await anext(lines)
                done = json.loads(data.removeprefix("data:"))
                break
    end = time.perf_counter()
    assert first is not None, "the run's stream sent nothing"
    assert done is not None, "the run's stream ended without `done`"
    assert done.get("status") == "done", done
    assert done.get("mode") == "generative", done
    return TimedTurn((first - start) * 1000, (end - start) * 1000, run_id)
