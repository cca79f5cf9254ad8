"""The turn runner: routes a message to a workflow and runs it as the caller, checkpointed per thread."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import httpx
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph.state import CompiledStateGraph, StateGraph

from agents.assistant import AssistantProfile
from agents.citations import Citation, DroppedCitation
from agents.context import RunContext
from agents.documents.graph import build_document_graph
from agents.meetings.graph import build_meeting_graph
from agents.models import ModelAccess, ModelUnavailableError
from agents.routing import IntentRouter, Workflow
from agents.tool_agent import build_tool_agent_graph
from agents.toolbox import ToolBox, ToolConnector, ToolGuard
from agents.turn import AgentError, Caller, Emit, TurnOutcome, TurnRequest

PARIS = ZoneInfo("Europe/Paris")
# Keys each workflow writes; reset at every turn so that nothing of the previous turn leaks in.
_RESET: dict[str, Any] = {"outcome": None, "answer": None, "mode": None, "citations": [], "dropped": []}


class ToolGuards(Protocol):
    """The tool registry's decisions for each run (the server implements it)."""

    async def for_turn(self, caller: Caller, assistant: AssistantProfile) -> ToolGuard:
        """The tools `caller` may use through `assistant` in this run, and their limits."""
        ...


@dataclass(frozen=True)
class AgentEndpoints:
    """Where the agents reach the gateway (`/v1`) and the tool servers (`/mcp/<name>`)."""

    base_url: str
    tools: ToolConnector
    model_transport: httpx.AsyncBaseTransport | None = None
    tool_guards: ToolGuards | None = None


@dataclass
class AgentRunner:
    """Runs turns: routing, then the chosen workflow's graph with the run's context."""

    endpoints: AgentEndpoints
    checkpointer: BaseCheckpointSaver[Any] | None = None
    router: IntentRouter = field(default_factory=IntentRouter)
    _graphs: dict[Workflow, CompiledStateGraph[Any, Any, Any, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        builders: dict[Workflow, Callable[[], StateGraph[Any, Any, Any, Any]]] = {
            Workflow.MEETING_SUMMARY: build_meeting_graph,
            Workflow.DOCUMENT_QUESTION: build_document_graph,
            Workflow.TOOL_AGENT: build_tool_agent_graph,
        }
        for workflow, build in builders.items():
            self._graphs[workflow] = build().compile(checkpointer=self.checkpointer, name=workflow.value)

    async def __call__(self, turn: TurnRequest, emit: Emit) -> TurnOutcome:
        """Run one turn as its caller.

        Raises:
            AgentError: unknown workflow, or models unavailable.
        """
        now = turn.now or datetime.now(PARIS)
        models = ModelAccess(
            self.endpoints.base_url, turn.caller.token, self.endpoints.model_transport, turn.assistant.id
        )
        guards = self.endpoints.tool_guards
        guard = await guards.for_turn(turn.caller, turn.assistant) if guards else None
        try:
            async with ToolBox(self.endpoints.tools, turn.caller.token, now, emit, guard) as tools:
                await tools.open(turn.assistant.tools)
                context = RunContext(turn.caller, now, tools, models, emit, turn.assistant)
                workflow = await self._workflow(turn, models)
                state = await self._graphs[workflow].ainvoke(
                    {"message": turn.message, **_RESET},
                    config={"configurable": {"thread_id": turn.thread_id}},
                    context=context,
                    # One checkpoint per turn, written when it ends: a turn cut short is not resumed
                    # (the chat marks it interrupted), so per-node checkpoints would only cost time.
                    durability="exit",
                )
        except ModelUnavailableError as exc:
            raise AgentError("model_unavailable", exc.message or "Les modèles sont indisponibles.") from exc
        finally:
            await models.aclose()
        return await _deliver(state, workflow, emit)

    async def _workflow(self, turn: TurnRequest, models: ModelAccess) -> Workflow:
        if turn.workflow is None:
            return await self.router.route(turn.message, models, turn.assistant.data_class)
        try:
            return Workflow(turn.workflow)
        except ValueError:
            known = ", ".join(workflow.value for workflow in Workflow)
            raise AgentError(
                "unknown_workflow", f"Parcours inconnu « {turn.workflow} » (connus : {known})."
            ) from None


async def _deliver(state: dict[str, Any], workflow: Workflow, emit: Emit) -> TurnOutcome:
    """Stream the answer and its citations to the user, and return the outcome."""
    answer = state.get("answer") or "Je n'ai pas pu produire de réponse."
    for line in answer.splitlines(keepends=True):
        await emit("token", {"text": line})
    citations = [Citation.model_validate(item) for item in state.get("citations") or []]
    for index, citation in enumerate(citations, start=1):
        await emit("citation", {"index": index, **citation.model_dump(mode="json")})
    return TurnOutcome(
        answer=answer,
        mode=state.get("mode") or "extractive",
        workflow=workflow.value,
        citations=citations,
        dropped=[DroppedCitation.model_validate(item) for item in state.get("dropped") or []],
    )
