"""The turn runner: routes a message to a workflow and runs it as the caller, checkpointed per thread."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph.state import CompiledStateGraph, StateGraph
from langgraph.types import Command

from agents.citations import Citation, DroppedCitation
from agents.context import RunContext
from agents.documents.graph import build_document_graph
from agents.knowledge.graph import build_knowledge_graph
from agents.meetings.graph import build_meeting_graph
from agents.models import ModelAccess, ModelUnavailableError
from agents.robots.graph import build_robot_graph
from agents.routing import IntentRouter, Workflow
from agents.tool_agent import build_tool_agent_graph
from agents.toolbox import ToolBox, ToolConnector
from agents.turn import AgentError, Caller, Emit, TurnOutcome, TurnRequest

PARIS = ZoneInfo("Europe/Paris")
# Keys each workflow writes; reset at every turn so that nothing of the previous turn leaks in.
_RESET: dict[str, Any] = {"outcome": None, "answer": None, "mode": None, "citations": [], "dropped": []}


@dataclass(frozen=True)
class AgentEndpoints:
    """Where the agents reach the gateway (`/v1`) and the tool servers (`/mcp/<name>`)."""

    base_url: str
    tools: ToolConnector
    model_transport: httpx.AsyncBaseTransport | None = None


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
            Workflow.KNOWLEDGE_QUESTION: build_knowledge_graph,
            Workflow.ROBOT_REQUEST: build_robot_graph,
        }
        for workflow, build in builders.items():
            self._graphs[workflow] = build().compile(checkpointer=self.checkpointer, name=workflow.value)

    async def __call__(self, turn: TurnRequest, emit: Emit) -> TurnOutcome:
        """Run one turn as its caller.

        Raises:
            AgentError: unknown workflow, or models unavailable.
        """
        now = turn.now or datetime.now(PARIS)
        assistant = turn.assistant
        models = ModelAccess(
            self.endpoints.base_url,
            turn.caller.token,
            self.endpoints.model_transport,
            assistant.id,
            tuple(assistant.models),
        )
        try:
            async with ToolBox(self.endpoints.tools, turn.caller.token, now, emit, assistant.tools) as tools:
                await tools.open(turn.assistant.tools)
                context = RunContext(turn.caller, now, tools, models, emit, turn.assistant)
                workflow = await self._workflow(turn, models)
                if workflow is Workflow.ROBOT_REQUEST:
                    return await self._robot_request(turn, context, emit)
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

    async def _robot_request(self, turn: TurnRequest, context: RunContext, emit: Emit) -> TurnOutcome:
        # Each request gets a checkpoint thread of its own, so that later turns of the chat thread
        # (other workflows share its id) never overwrite a paused approval. "sync" durability: the
        # pause must be on disk before the user is told it is waiting, to survive a restart.
        key = f"{turn.thread_id}:robot:{turn.run_id}"
        state = await self._graphs[Workflow.ROBOT_REQUEST].ainvoke(
            {"message": turn.message, **_RESET},
            config={"configurable": {"thread_id": key}},
            context=context,
            durability="sync",
        )
        paused = state.get("__interrupt__") or []
        if not paused:
            return await _deliver(state, Workflow.ROBOT_REQUEST, emit)
        request = dict(paused[0].value)
        state["answer"] = (
            f"J'ai préparé la demande de lancement du robot « {request['robot_name']} ». "
            f"Elle attend la validation de : {request['approvers']}."
        )
        outcome = await _deliver(state, Workflow.ROBOT_REQUEST, emit)
        return outcome.model_copy(update={"approval": request | {"checkpoint_key": key}})

    async def resume_robot_request(
        self, checkpoint_key: str, decision: dict[str, Any], caller: Caller, emit: Emit
    ) -> TurnOutcome:
        """Resume a paused robot request with the manager's decision (`Command(resume=...)`).

        The resumed step only reports the decision, so it needs neither tools nor models: it runs
        without the requester's token, which may have expired by the time someone decides.
        """
        now = datetime.now(PARIS)
        models = ModelAccess(self.endpoints.base_url, caller.token, self.endpoints.model_transport)
        try:
            async with ToolBox(self.endpoints.tools, caller.token, now, emit) as tools:
                context = RunContext(caller, now, tools, models, emit)
                state = await self._graphs[Workflow.ROBOT_REQUEST].ainvoke(
                    Command(resume=decision),
                    config={"configurable": {"thread_id": checkpoint_key}},
                    context=context,
                    durability="sync",
                )
        finally:
            await models.aclose()
        return await _deliver(state, Workflow.ROBOT_REQUEST, emit)

    async def _workflow(self, turn: TurnRequest, models: ModelAccess) -> Workflow:
        allowed = _assistant_workflows(turn)
        if turn.workflow is None and len(allowed) == 1:
            return allowed[0]  # nothing to choose
        if turn.workflow is None:
            return await self.router.route(turn.message, models, turn.assistant.data_class, allowed)
        try:
            chosen = Workflow(turn.workflow)
        except ValueError:
            known = ", ".join(workflow.value for workflow in Workflow)
            raise AgentError(
                "unknown_workflow", f"Parcours inconnu « {turn.workflow} » (connus : {known})."
            ) from None
        if allowed and chosen not in allowed:
            raise AgentError(
                "workflow_not_allowed",
                f"L'assistant « {turn.assistant.name} » ne propose pas le parcours « {chosen.value} ».",
            )
        return chosen


def _assistant_workflows(turn: TurnRequest) -> list[Workflow]:
    """The workflows the assistant offers (empty: all).

    Raises:
        AgentError: `assistant_workflow_unavailable` when it names one these agents do not have.
    """
    allowed = []
    for name in turn.assistant.workflows:
        try:
            allowed.append(Workflow(name))
        except ValueError:
            raise AgentError(
                "assistant_workflow_unavailable",
                f"Le parcours « {name} » de l'assistant « {turn.assistant.name} » n'est pas disponible.",
            ) from None
    return allowed


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
