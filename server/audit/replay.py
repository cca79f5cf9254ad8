"""Replay of a recorded run, exact or what-if, from the records of its trace."""

from __future__ import annotations

import difflib
import json
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.memory import InMemorySaver

from agents.assistant import AssistantProfile
from agents.context import RunContext
from agents.messages import speaking
from agents.models import ModelAccess
from agents.node_spans import NodeSpans
from agents.replay import (
    NOT_RECORDED,
    Normalise,
    ReplayScript,
    ReplayToolBox,
    ReplayTransport,
    Step,
    first_difference,
)
from agents.routing import Workflow
from agents.runner import AgentEndpoints, AgentRunner, answer_paused_request, outcome_of
from agents.turn import Caller
from server.errors import ApiError
from server.messages import MESSAGES
from tools.i18n import DEFAULT_LANGUAGE, Language, Text, joined

IDENTICAL = "identique"


class ReplayImpossibleError(ApiError):
    """The run cannot be replayed as asked (content not captured, model not allowed…)."""

    status_code = 409
    code = "replay_impossible"


@dataclass
class RecordedRun:
    """What a run's records hold, parsed."""

    run_id: str
    trace_id: str
    start: dict[str, Any]
    workflow: str | None = None
    steps: list[Step] = field(default_factory=list)
    definitions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    outcome: dict[str, Any] | None = None
    outcome_captured: bool = True
    end: dict[str, Any] | None = None
    uncaptured_steps: int = 0

    @classmethod
    def of(cls, run_id: str, trace_id: str, rows: list[dict[str, Any]]) -> RecordedRun:
        """Parse the records of a run's trace (spans are skipped)."""
        run: RecordedRun | None = None
        for row in rows:
            kind = row["kind"]
            if kind == "span":
                continue
            body = json.loads(row["body"])
            if kind == "run_start":
                run = cls(run_id, trace_id, body)
            elif run is None:
                continue
            elif kind == "workflow":
                run.workflow = body.get("workflow")
                run.steps.clear()  # steps before the graph (routing) are not replayed
                run.uncaptured_steps = 0
            elif kind in {"model_call", "tool_call"}:
                run.steps.append(Step(int(body["step"]), kind, body))
                run.uncaptured_steps += 0 if body.get("captured") else 1
            elif kind == "tool_list" and body.get("captured"):
                run.definitions[body["server"]] = body["tools"]
            elif kind == "outcome":
                run.outcome, run.outcome_captured = body.get("outcome"), bool(body.get("captured"))
            elif kind == "run_end":
                run.end = body
        if run is None:
            raise ReplayImpossibleError(MESSAGES("audit.start_not_found"))
        return run

    def missing(self) -> list[Text]:
        """What replay would need and the record does not hold (content capture was off, or cut short)."""
        missing = []
        if not self.start.get("captured") or self.start.get("message") is None:
            missing.append(MESSAGES("audit.missing.message"))
        if self.workflow is None:
            missing.append(MESSAGES("audit.missing.workflow"))
        if self.uncaptured_steps:
            missing.append(MESSAGES("audit.missing.steps", count=self.uncaptured_steps))
        if not self.outcome_captured or self.outcome is None:
            missing.append(MESSAGES("audit.missing.outcome"))
        return missing


@dataclass(frozen=True)
class Replayer:
    """Re-executes recorded runs with the current code."""

    base_url: str
    normalise: Normalise
    versions: dict[str, Any]
    live_transport: httpx.AsyncBaseTransport | None = None

    async def replay(
        self,
        run: RecordedRun,
        *,
        model: str | None = None,
        token: str = "rejeu",
        language: Language = DEFAULT_LANGUAGE,
    ) -> dict[str, Any]:
        """Exact replay (`model` None) or what-if with `model`, live through the gateway as `token`.

        The report's sentences are in `language` (the auditor's); its status values never change.

        Raises:
            ReplayImpossibleError: content missing, or `model` not allowed.
        """
        missing = run.missing()
        if missing:
            raise ReplayImpossibleError(
                MESSAGES("audit.not_captured", missing=joined(missing)),
                code="content_not_captured",
            )
        assert run.workflow is not None
        assert run.outcome is not None
        started = time.perf_counter()
        script = ReplayScript(list(run.steps), self.normalise, exact=model is None)
        live = None
        if model is not None:
            live = _WhatIfModels(self.live_transport or httpx.AsyncHTTPTransport(), model)
            await self._check_allowed(model, token, run)
        outcome, events = await self._run(run, script, ReplayTransport(script, live), token)
        report: dict[str, Any] = {
            "run_id": run.run_id,
            "workflow": run.workflow,
            "steps": len(run.steps),
            "code": self._code(run),
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        }
        if model is not None:
            return report | _what_if(run, outcome, model, script, events, language)
        return report | _exact(run, outcome, script, self.normalise, language)

    async def _run(
        self, run: RecordedRun, script: ReplayScript, transport: httpx.AsyncBaseTransport, token: str
    ) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
        events: list[tuple[str, dict[str, Any]]] = []

        async def emit(kind: Any, data: dict[str, Any]) -> None:
            events.append((str(kind), data))

        start = run.start
        now = datetime.fromisoformat(start["now"])
        assistant = AssistantProfile.model_validate(start["assistant"])
        caller = Caller.model_validate({**start["caller"], "token": token})
        models = ModelAccess(self.base_url, token, transport, assistant.id)
        workflow = Workflow(str(run.workflow))
        # A robot request pauses (a LangGraph interrupt) for its approval, which needs a checkpointer:
        # the replay's own, in memory, as nothing of it is resumed. Its tool calls come from the record,
        # so no robot is ever asked for or run again.
        paused = InMemorySaver() if workflow is Workflow.ROBOT_REQUEST else None
        runner = AgentRunner(AgentEndpoints(self.base_url, tools=_NoTools()), checkpointer=paused)
        graph = runner.graph(workflow)
        try:
            async with ReplayToolBox.of(script, run.definitions, now, emit) as tools:
                context = RunContext(caller, now, tools, models, emit, assistant)
                initial = {
                    "message": start["message"],
                    "history": start.get("history") or [],
                    "outcome": None,
                    "answer": None,
                    "mode": None,
                    "citations": [],
                    "dropped": [],
                }
                if workflow is Workflow.ATTACHMENT_QUESTION:
                    initial |= {
                        "attachments": start.get("attachments") or [],
                        "attached": start.get("attached") or [],
                    }
                config = RunnableConfig(callbacks=[NodeSpans()])
                if paused is not None:
                    config["configurable"] = {"thread_id": f"replay:{run.run_id}"}
                # The run's fixed texts in the language it was run in (recorded with its caller).
                with speaking(caller.language):
                    state = await graph.ainvoke(initial, context=context, config=config)
                    answer_paused_request(state, caller.language)
                    outcome = outcome_of(state, workflow).model_dump(mode="json")
        finally:
            await models.aclose()
        return outcome, events

    async def _check_allowed(self, model: str, token: str, run: RecordedRun) -> None:
        access = ModelAccess(self.base_url, token, self.live_transport, run.start["assistant"]["id"])
        try:
            response = await access._client().get(f"{access.v1}/models", headers=access._headers())
        finally:
            await access.aclose()
        listed = response.json().get("data", []) if response.status_code == 200 else []
        if not any(
            item.get("id") == model and item.get("ariane", {}).get("kind") == "chat" for item in listed
        ):
            raise ReplayImpossibleError(
                MESSAGES("audit.model_not_allowed", model=model),
                code="model_not_allowed",
            )

    def _code(self, run: RecordedRun) -> dict[str, Any]:
        recorded = run.start.get("versions", {}).get("code", {})
        current = self.versions.get("code", {})
        same = recorded.get("agents") == current.get("agents")
        return {"recorded": recorded, "current": current, "same": same}


def _exact(
    run: RecordedRun, outcome: dict[str, Any], script: ReplayScript, normalise: Normalise, language: Language
) -> dict[str, Any]:
    divergence = script.divergence
    if divergence is None and script.unused():
        step = script.unused()[0]
        divergence_dict: dict[str, Any] | None = {
            "step": step.number,
            "kind": step.kind,
            "path": "",
            "expected": _short(
                step.data.get("request") or {k: step.data.get(k) for k in ("server", "tool", "arguments")},
                language,
            ),
            "got": MESSAGES.text("audit.replay.stops_before", language),
        }
    elif divergence is not None:
        divergence_dict = {
            "step": divergence.step,
            "kind": divergence.kind,
            "path": divergence.path,
            "expected": _short(divergence.expected, language),
            "got": _short(divergence.got, language),
        }
    else:
        difference = first_difference(run.outcome, normalise(outcome))
        divergence_dict = (
            None
            if difference is None
            else {
                "step": len(run.steps) + 1,
                "kind": "answer",
                "path": difference[0],
                "expected": _short(difference[1], language),
                "got": _short(difference[2], language),
            }
        )
    return {
        "mode": "exact",
        "status": IDENTICAL if divergence_dict is None else "divergence",
        "divergence": divergence_dict,
        "answer": {"recorded": (run.outcome or {}).get("answer"), "replayed": outcome.get("answer")},
    }


def _what_if(
    run: RecordedRun,
    outcome: dict[str, Any],
    model: str,
    script: ReplayScript,
    events: list[tuple[str, dict[str, Any]]],
    language: Language,
) -> dict[str, Any]:
    recorded = str((run.outcome or {}).get("answer") or "")
    replayed = str(outcome.get("answer") or "")
    label = MESSAGES.text("audit.replay.recorded", language)
    diff = list(difflib.unified_diff(recorded.splitlines(), replayed.splitlines(), label, model, lineterm=""))
    fallbacks = [data.get("detail") for kind, data in events if kind == "error"]
    return {
        "mode": "what_if",
        "model": model,
        "status": "identique" if recorded == replayed else "différente",
        "answer": {"recorded": recorded, "replayed": replayed, "replayed_mode": outcome.get("mode")},
        "diff": diff,
        "tools_not_replayed": len(
            [n for n in script.steps if n.kind == "tool_call" and n.number not in script.served]
        ),
        "notes": [note for note in fallbacks if note],
        "unrecorded_tool_code": NOT_RECORDED,
    }


def _short(value: Any, language: Language = DEFAULT_LANGUAGE, limit: int = 2000) -> Any:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if len(text) <= limit:
        return value
    return MESSAGES.text("audit.replay.truncated", language, start=text[:limit], length=len(text))


class _NoTools:
    def connect(self, server: str, token: str) -> Any:
        raise RuntimeError("replay never connects to a tool server")

    def meta(self, token: str) -> dict[str, Any]:
        return {}


class _WhatIfModels(httpx.AsyncBaseTransport):
    """The live gateway, whose model list is narrowed to the chosen chat model (and the embeddings)."""

    def __init__(self, live: httpx.AsyncBaseTransport, model: str) -> None:
        self._live = live
        self._model = model

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._live.handle_async_request(request)
        if not request.url.path.endswith("/models") or response.status_code != 200:
            return response
        listed = json.loads(await response.aread())
        kept = [
            m
            for m in listed.get("data", [])
            if m["id"] == self._model or m.get("ariane", {}).get("kind") != "chat"
        ]
        return httpx.Response(200, json={"object": "list", "data": kept}, request=request)
