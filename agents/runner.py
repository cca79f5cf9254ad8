"""The turn runner: routes a message to a workflow and runs it as the caller, checkpointed per thread."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import httpx
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph.state import CompiledStateGraph, StateGraph
from langgraph.types import Command
from opentelemetry import context as otel_context
from opentelemetry import trace

from agents.assistant import AssistantProfile
from agents.attachments.graph import answers_from_attachments, attachment_input, build_attachment_graph
from agents.citations import Citation, DroppedCitation
from agents.confirmation import build_confirmation_graph
from agents.context import RunContext
from agents.documents.graph import build_document_graph
from agents.knowledge.graph import build_knowledge_graph
from agents.meetings.graph import build_meeting_graph
from agents.messages import MESSAGES, say, speaking
from agents.models import ModelAccess, ModelUnavailableError
from agents.node_spans import NodeSpans
from agents.recording import RecordingFailedError, RunAuditor, RunRecorder
from agents.robots.graph import build_robot_graph
from agents.routing import IntentRouter, Workflow
from agents.tool_agent import build_tool_agent_graph
from agents.toolbox import ToolBox, ToolConnector, ToolGuard
from agents.turn import AgentError, Caller, Emit, HeldCall, TurnOutcome, TurnRequest
from agents.workflows import title
from tools.i18n import Language, as_language

PARIS = ZoneInfo("Europe/Paris")
# Keys each workflow writes; reset at every turn so that nothing of the previous turn leaks in.
_RESET: dict[str, Any] = {
    "outcome": None,
    "answer": None,
    "mode": None,
    "citations": [],
    "dropped": [],
    "pending_call": None,
    "fallback": None,
}
_tracer = trace.get_tracer("ariane.agents")
# Outcomes of a workflow that stopped because a tool did not answer (down, too slow, over its limits):
# the run failed, it did not answer. « Not found », « not transcribed » or « not yours » are answers.
TOOL_FAILURES = frozenset(
    {"unavailable", "timeout", "rate_limited", "result_too_large", "tool_error", "unauthenticated"}
)


class ToolGuards(Protocol):
    """The tool registry's decisions for each run (the server implements it)."""

    async def for_turn(
        self, caller: Caller, assistant: AssistantProfile, confirmed: HeldCall | None = None
    ) -> ToolGuard:
        """The tools `caller` may use through `assistant` in this run, and their limits.

        `confirmed`: the one held call the user confirmed, which this run may make once.
        """
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
    auditor: RunAuditor | None = None
    _graphs: dict[Workflow, CompiledStateGraph[Any, Any, Any, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        builders: dict[Workflow, Callable[[], StateGraph[Any, Any, Any, Any]]] = {
            Workflow.MEETING_SUMMARY: build_meeting_graph,
            Workflow.DOCUMENT_QUESTION: build_document_graph,
            Workflow.TOOL_AGENT: build_tool_agent_graph,
            Workflow.KNOWLEDGE_QUESTION: build_knowledge_graph,
            Workflow.ROBOT_REQUEST: build_robot_graph,
            Workflow.TOOL_CONFIRMATION: build_confirmation_graph,
        }
        for workflow, build in builders.items():
            self._graphs[workflow] = build().compile(checkpointer=self.checkpointer, name=workflow.value)
        # No checkpoint: the attached passages live in the conversation's own rows, deleted with it,
        # never in the checkpointer's (each turn is given them again).
        self._graphs[Workflow.ATTACHMENT_QUESTION] = build_attachment_graph().compile(
            name=Workflow.ATTACHMENT_QUESTION.value
        )

    async def aclose(self) -> None:
        """Close the connection pools the runs share (at shutdown)."""
        if self.endpoints.model_transport is not None:
            await self.endpoints.model_transport.aclose()
        close = getattr(self.endpoints.tools, "aclose", None)
        if close is not None:
            await close()

    def graph(self, workflow: Workflow) -> CompiledStateGraph[Any, Any, Any, Any]:
        """The compiled graph of a workflow (replay runs it with recorded collaborators)."""
        return self._graphs[workflow]

    async def __call__(self, turn: TurnRequest, emit: Emit) -> TurnOutcome:
        """Run one turn as its caller, in a trace of its own (one trace id per run).

        Raises:
            AgentError: unknown workflow, models unavailable, or the audit trail cannot be written.
        """
        with speaking(turn.caller.language):
            return await self._speaking(turn, emit)

    async def _speaking(self, turn: TurnRequest, emit: Emit) -> TurnOutcome:
        now = turn.now or datetime.now(PARIS)
        recorder: RunRecorder | None = None
        with _run_span(turn) as span:
            recorder = self.auditor.begin(turn, now, span) if self.auditor else None
            try:
                outcome, approval = await self._run(turn, emit, now, recorder)
            except BaseException as exc:
                if recorder is not None:
                    recorder.record("run_end", {"error": type(exc).__name__})
                raise
        if recorder is not None:
            # After the run's span: its records and all its spans are stored in one write, before
            # anything of the answer goes out.
            try:
                await recorder.seal(outcome.model_dump(mode="json"))
            except RecordingFailedError as exc:
                raise AgentError("audit_unavailable", say("run.audit_unavailable", reason=exc)) from exc
        await _deliver(outcome, emit)
        return outcome.model_copy(update={"approval": approval}) if approval else outcome

    async def _run(
        self, turn: TurnRequest, emit: Emit, now: datetime, recorder: RunRecorder | None
    ) -> tuple[TurnOutcome, dict[str, Any] | None]:
        """The workflow's outcome, and the approval request when a robot request paused for one."""
        assistant = turn.assistant
        models = ModelAccess(
            self.endpoints.base_url,
            turn.caller.token,
            self.endpoints.model_transport,
            assistant.id,
            tuple(assistant.models),
            recorder=recorder,
        )
        approval: dict[str, Any] | None = None
        guards = self.endpoints.tool_guards
        confirmed = turn.decision.call if turn.decision and turn.decision.confirmed else None
        guard = await guards.for_turn(turn.caller, assistant, confirmed) if guards else None
        try:
            async with ToolBox(
                self.endpoints.tools,
                turn.caller.token,
                now,
                emit,
                assistant.tools,
                guard=guard,
                recorder=recorder,
            ) as tools:
                workflow = await self._workflow(turn, models)
                await tools.open(assistant.tools, only=_WORKFLOW_SERVERS.get(workflow))
                context = RunContext(turn.caller, now, tools, models, emit, assistant)
                if recorder is not None:  # what came before (routing) is not replayed: its choice is
                    recorder.record("workflow", {"workflow": workflow.value})
                with _tracer.start_as_current_span(f"graph {workflow.value}"):
                    if workflow is Workflow.ROBOT_REQUEST:
                        state, approval = await self._robot_request(turn, context)
                    elif workflow is Workflow.ATTACHMENT_QUESTION:  # not checkpointed (see __post_init__)
                        state = await self._graphs[workflow].ainvoke(
                            {"message": turn.message, "history": _history(turn), **_RESET}
                            | attachment_input(turn),
                            config={"callbacks": [NodeSpans()]},
                            context=context,
                        )
                    else:
                        state = await self._graphs[workflow].ainvoke(
                            {"message": turn.message, "history": _history(turn), **_RESET},
                            config={
                                "configurable": {"thread_id": turn.thread_id},
                                "callbacks": [NodeSpans()],
                            },
                            context=context,
                            # One checkpoint per turn, written when it ends: a turn cut short is not
                            # resumed (the chat marks it interrupted), so per-node checkpoints would
                            # only cost time.
                            durability="exit",
                        )
        except ModelUnavailableError as exc:
            raise AgentError("model_unavailable", exc.message or say("run.models_unavailable")) from exc
        finally:
            await models.aclose()
        if state.get("outcome") in TOOL_FAILURES:
            detail = state.get("answer") or say("run.tool_silent")
            raise AgentError("tool_failed", say("run.tool_failed", detail=detail))
        return outcome_of(state, workflow), approval

    async def _robot_request(
        self, turn: TurnRequest, context: RunContext
    ) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """The robot workflow's state, and the approval request when it paused for one."""
        # Each request gets a checkpoint thread of its own, so that later turns of the chat thread
        # (other workflows share its id) never overwrite a paused approval. "sync" durability: the
        # pause must be on disk before the user is told it is waiting, to survive a restart.
        key = f"{turn.thread_id}:robot:{turn.run_id}"
        state = await self._graphs[Workflow.ROBOT_REQUEST].ainvoke(
            {"message": turn.message, "history": _history(turn), **_RESET},
            config={"configurable": {"thread_id": key}, "callbacks": [NodeSpans()]},
            context=context,
            durability="sync",
        )
        request = answer_paused_request(state, turn.caller.language)
        return state, None if request is None else request | {"checkpoint_key": key}

    async def resume_robot_request(
        self, checkpoint_key: str, decision: dict[str, Any], caller: Caller, emit: Emit
    ) -> TurnOutcome:
        """Resume a paused robot request with the manager's decision (`Command(resume=...)`).

        The resumed step only reports the decision, so it needs neither tools nor models: it runs
        without the requester's token, which may have expired by the time someone decides. It speaks
        the language the request was made in (kept in the paused state).
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
        return await _deliver(outcome_of(state, Workflow.ROBOT_REQUEST), emit)

    async def request_language(self, checkpoint_key: str) -> Language:
        """The language a paused (or resumed) robot request was made in, kept in its checkpoint."""
        graph = self._graphs[Workflow.ROBOT_REQUEST]
        snapshot = await graph.aget_state({"configurable": {"thread_id": checkpoint_key}})
        return as_language((snapshot.values or {}).get("language"))

    async def _workflow(self, turn: TurnRequest, models: ModelAccess) -> Workflow:
        if turn.decision is not None:
            return Workflow.TOOL_CONFIRMATION
        if turn.workflow == Workflow.TOOL_CONFIRMATION:
            raise AgentError(
                "workflow_not_allowed",
                say("run.confirmation_only"),
            )
        if turn.workflow is None and answers_from_attachments(turn):
            return Workflow.ATTACHMENT_QUESTION
        allowed = _assistant_workflows(turn)
        if turn.workflow is None and len(allowed) == 1:
            return allowed[0]  # nothing to choose
        if turn.workflow is None:
            return await self.router.route(
                turn.message, models, turn.assistant.data_class, allowed, turn.history
            )
        try:
            chosen = Workflow(turn.workflow)
        except ValueError:
            known = ", ".join(workflow.value for workflow in Workflow)
            raise AgentError(
                "unknown_workflow", say("run.unknown_workflow", name=turn.workflow, known=known)
            ) from None
        if allowed and chosen not in allowed:
            raise AgentError(
                "workflow_not_allowed",
                say(
                    "run.workflow_not_offered",
                    assistant=turn.assistant.name,
                    chosen=title(chosen),
                    offered=", ".join(title(workflow) for workflow in allowed),
                ),
            )
        return chosen


def answer_paused_request(state: dict[str, Any], language: Language) -> dict[str, Any] | None:
    """The approval request a robot request paused on, with the answer telling the user (None: no pause).

    Shared with the audit's replay, which must give the paused run the very answer it recorded.
    """
    paused = state.get("__interrupt__") or []
    if not paused:
        return None
    request = dict(paused[0].value)
    state["answer"] = MESSAGES.text(
        "run.approval_waiting", language, robot=request["robot_name"], approvers=request["approvers"]
    )
    return request


# The tool servers each fixed workflow calls: a run opens only those (an MCP session is a round trip
# and its spans); the tool-calling agent opens all those the assistant and the registry give it.
_WORKFLOW_SERVERS: dict[Workflow, frozenset[str]] = {
    Workflow.MEETING_SUMMARY: frozenset({"calendar", "meetings"}),
    Workflow.DOCUMENT_QUESTION: frozenset({"documents"}),
    Workflow.KNOWLEDGE_QUESTION: frozenset({"knowledge"}),
    Workflow.ROBOT_REQUEST: frozenset({"robots"}),
}


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
                say("run.assistant_workflow_unavailable", name=name, assistant=turn.assistant.name),
            ) from None
    return allowed


@contextmanager
def _run_span(turn: TurnRequest) -> Iterator[trace.Span]:
    """The `invoke_agent` span, root of the run's own trace, linked to the request that started it."""
    started_by = trace.get_current_span().get_span_context()
    links = [trace.Link(started_by)] if started_by.is_valid else []
    attributes: dict[str, str | int] = {
        "gen_ai.operation.name": "invoke_agent",
        "gen_ai.agent.name": turn.assistant.id,
        "gen_ai.agent.id": f"{turn.assistant.id}@{turn.assistant.version}",
        "gen_ai.conversation.id": turn.thread_id,
        "ariane.run.id": turn.run_id,
        "ariane.thread.id": turn.thread_id,
        "ariane.user.id": turn.caller.id,
        "ariane.assistant.id": turn.assistant.id,
        "ariane.assistant.version": turn.assistant.version,
    }
    with _tracer.start_as_current_span(
        f"invoke_agent {turn.assistant.id}",
        context=otel_context.Context(),  # a new trace: one trace id per run
        links=links,
        attributes=attributes,
    ) as span:
        yield span


def _history(turn: TurnRequest) -> list[dict[str, Any]]:
    return [prior.model_dump(mode="json") for prior in turn.history]


def outcome_of(state: dict[str, Any], workflow: Workflow) -> TurnOutcome:
    """The outcome a workflow's final state stands for."""
    return TurnOutcome(
        answer=state.get("answer") or say("run.no_answer"),
        mode=state.get("mode") or "extractive",
        workflow=workflow.value,
        citations=[Citation.model_validate(item) for item in state.get("citations") or []],
        dropped=[DroppedCitation.model_validate(item) for item in state.get("dropped") or []],
        pending_call=state.get("pending_call") or None,
        fallback=state.get("fallback") or None,
    )


async def _deliver(outcome: TurnOutcome, emit: Emit) -> TurnOutcome:
    """Stream the answer and its citations to the user, and return the outcome."""
    for line in outcome.answer.splitlines(keepends=True):
        await emit("token", {"text": line})
    for index, citation in enumerate(outcome.citations, start=1):
        await emit("citation", {"index": index, **citation.model_dump(mode="json")})
    return outcome
