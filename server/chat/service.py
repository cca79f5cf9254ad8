"""Chat use cases: threads of the signed-in user, and runs executed by the agents in the background."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import Any

from opentelemetry import context as otel_context

from agents.assistant import GENERAL_ASSISTANT, AssistantProfile
from agents.conversation import MAX_TURNS, PriorTurn
from agents.turn import AgentError, AttachedPassage, Caller, ToolDecision, TurnRequest, TurnRunner
from server.assistants.schemas import Issue, IssueKind
from server.assistants.service import AssistantService
from server.attachments.service import AttachmentService
from server.auth.schemas import User
from server.chat import repository
from server.chat.hub import Emit, RunHub
from server.chat.schemas import (
    MAX_MESSAGE_CHARS,
    EventType,
    Run,
    RunCreate,
    RunEvent,
    RunStatus,
    Thread,
    ThreadCreate,
)
from server.confirmations.recording import record_held_call
from server.errors import ApiError, NotFoundError
from server.messages import MESSAGES
from tools.database import Pool, is_uuid
from tools.i18n import Language

logger = logging.getLogger(__name__)
# Records the approval a paused turn asks for; returns the `approval_required` event's payload.
ApprovalRecorder = Callable[[TurnRequest, dict[str, Any]], Awaitable[dict[str, Any]]]


class RunConflictError(ApiError):
    """The thread already has a run going."""

    status_code = 409
    code = "run_in_progress"


class ChatService:
    """Threads and runs; one instance per process, built by the app's lifespan."""

    def __init__(
        self,
        pool: Pool,
        hub: RunHub,
        runner: TurnRunner,
        fixed_now: datetime | None = None,
        assistants: AssistantService | None = None,
        approvals: ApprovalRecorder | None = None,
        attachments: AttachmentService | None = None,
    ) -> None:
        self._approvals = approvals
        self._attachments = attachments
        self._pool = pool
        self._hub = hub
        self._runner = runner
        self._fixed_now = fixed_now
        self._assistants = assistants

    async def create_thread(self, user: User, body: ThreadCreate) -> Thread:
        """Start a conversation, with an assistant the user may use (the general one by default).

        Raises:
            NotFoundError: `assistant_not_found`.
        """
        assistant = body.assistant_id.strip() if body.assistant_id else None
        if assistant:
            assistant = (await self._profile(user, assistant))[0].id
        return await repository.create_thread(self._pool, user.id, body.title.strip(), assistant or None)

    async def _profile(self, user: User, assistant_id: str | None) -> tuple[AssistantProfile, list[Issue]]:
        if self._assistants is None:  # a chat without assistants store (never in the app)
            return GENERAL_ASSISTANT, []
        return await self._assistants.profile(user, assistant_id)

    async def _with_model(self, user: User, assistant: AssistantProfile, model: str) -> AssistantProfile:
        offered = await self._assistants.chat_models(user, assistant.id) if self._assistants else []
        if model not in {option.id for option in offered}:
            raise ApiError(MESSAGES("chat.model_not_offered", model=model[:80]), code="model_not_offered")
        # Recorded with the run's profile: the audit trail and its replay see the same choice.
        return assistant.model_copy(update={"models": [model]})

    async def thread_of(self, user: User, thread_id: str) -> Thread:
        """The user's thread.

        Raises:
            NotFoundError: unknown thread, or another user's (indistinguishable on purpose).
        """
        thread = await repository.get_thread(self._pool, user.id, thread_id) if is_uuid(thread_id) else None
        if thread is None:
            raise NotFoundError(MESSAGES("chat.thread_not_found"), code="thread_not_found")
        return thread

    async def run_of(self, user: User, run_id: str) -> Run:
        """The user's run, its error in the user's language.

        Raises:
            NotFoundError: unknown run, or another user's.
        """
        run = await repository.get_run(self._pool, user.id, run_id) if is_uuid(run_id) else None
        if run is None:
            raise NotFoundError(MESSAGES("chat.run_not_found"), code="run_not_found")
        return run_in_language(run, user.language)

    async def runs_of(self, thread: Thread, language: Language) -> list[Run]:
        """A thread's runs, oldest first, their errors in `language`."""
        return [run_in_language(run, language) for run in await repository.list_runs(self._pool, thread.id)]

    async def start_run(self, user: User, thread: Thread, body: RunCreate) -> Run:
        """Create a run and start the agent in the background.

        Raises:
            ApiError: `message_empty`, `message_too_long`, `model_not_offered` (400); RunConflictError (409).
        """
        message = body.message.strip()
        if not message:
            raise ApiError(MESSAGES("chat.message_empty"), code="message_empty")
        if len(message) > MAX_MESSAGE_CHARS:
            raise ApiError(
                MESSAGES("chat.message_too_long", limit=MAX_MESSAGE_CHARS, length=len(message)),
                code="message_too_long",
            )
        return await self._launch(user, thread, message, body.workflow, model=body.model)

    async def start_decision_run(
        self, user: User, thread: Thread, message: str, decision: ToolDecision
    ) -> Run:
        """Start the run that carries out the user's decision on a held tool call.

        Raises:
            RunConflictError: the thread already has a run going (409).
        """
        return await self._launch(user, thread, message, "tool_confirmation", decision)

    async def _launch(
        self,
        user: User,
        thread: Thread,
        message: str,
        workflow: str | None,
        decision: ToolDecision | None = None,
        *,
        model: str | None = None,
    ) -> Run:
        assistant, issues = await self._profile(user, thread.assistant_id)
        if model is not None:  # the composer's pick: the run may use that model only
            assistant = await self._with_model(user, assistant, model)
        run = await repository.create_run(
            self._pool,
            thread.id,
            user.id,
            message,
            workflow,
            (assistant.id, assistant.version),
            self._hub.owner,
        )
        if run is None:
            raise RunConflictError(MESSAGES("chat.run_conflict"))

        async def turn() -> TurnRequest:
            # Read by the run's task, after the stream has opened: the thread's earlier runs (this
            # one aside) and what its files say about the message (an embedding) are no reason to
            # keep the user waiting for the first event.
            runs = [
                earlier
                for earlier in await repository.list_runs(self._pool, thread.id)
                if earlier.id != run.id
            ]
            passages, attached = await self._attached(user, thread, message, runs, decision)
            return TurnRequest(
                run_id=run.id,
                thread_id=thread.id,
                message=message,
                workflow=workflow,
                history=_history(runs),
                assistant=assistant,
                decision=decision,
                attachments=passages,
                attached=attached,
                now=self._fixed_now,
                caller=Caller(
                    id=user.id,
                    email=user.email,
                    display_name=user.display_name,
                    roles=[str(role) for role in user.roles],
                    service=user.service,
                    token=user.token,
                    language=user.language,
                ),
            )

        refusal = _refusal(assistant, issues, user.language)
        # The hub runs the turn in a fresh context: the trace context is carried over explicitly, so
        # that the run's trace links to the request that started it.
        parent = otel_context.get_current()
        self._hub.start(
            run.id, lambda emit: self._execute(run.id, user.language, turn, emit, refusal, parent)
        )
        return run

    async def _attached(
        self, user: User, thread: Thread, message: str, runs: list[Run], decision: ToolDecision | None
    ) -> tuple[list[AttachedPassage], list[str]]:
        """The conversation's attached passages for this message, and the files it carries.

        A file attached since the previous message goes with this one (« Résume ce document »);
        older ones still answer when their passages bear on the question.
        """
        if self._attachments is None or decision is not None:
            return [], []
        files = await self._attachments.of_thread(thread)
        if not files:
            return [], []
        since = runs[-1].created_at if runs else None
        attached = [file.filename for file in files if since is None or file.created_at > since]
        return await self._attachments.passages(user, thread.id, message), attached

    async def events(self, user: User, run_id: str, after: int) -> AsyncIterator[RunEvent]:
        """The run's events after `after`, then live ones until it is done."""
        run = await self.run_of(user, run_id)
        finished = run.status != RunStatus.RUNNING and not self._hub.is_running(run.id)
        async for event in self._in_language(self._hub.events(run.id, after, finished), user.language):
            yield event

    async def new_run_events(self, user: User, run: Run) -> AsyncIterator[RunEvent]:
        """The events of a run this request just started: `started` at once, then the others.

        `started` is not read back: under load, every database round trip before the first byte is felt.
        """
        yield repository.started_event(run.id)
        live = self._hub.events(run.id, repository.STARTED_EVENTS, finished=False)
        async for event in self._in_language(live, user.language):
            yield event

    @staticmethod
    async def _in_language(events: AsyncIterator[RunEvent], language: Language) -> AsyncIterator[RunEvent]:
        async for event in events:
            if event.type == EventType.ERROR:
                event = event.model_copy(update={"data": error_in_language(event.data, language)})
            yield event

    async def stop(self, user: User, run_id: str) -> Run:
        """Stop the user's run if it is still going; return it as it is now."""
        run = await self.run_of(user, run_id)
        if run.status == RunStatus.RUNNING:
            await self._hub.stop_anywhere(run.id)  # this replica or the one running it
        return await self.run_of(user, run_id)

    async def _execute(
        self,
        run_id: str,
        language: Language,  # what the run says, it says in its user's language
        prepare: Callable[[], Awaitable[TurnRequest]],
        emit: Emit,
        refusal: AgentError | None = None,
        parent: otel_context.Context | None = None,
    ) -> None:
        if parent is not None:
            otel_context.attach(parent)  # this task's own context, discarded with it
        status, result = RunStatus.FAILED, {}
        try:
            if refusal is not None:
                raise refusal
            turn = await prepare()
            outcome = await self._runner(turn, emit)
            if outcome.approval is not None and self._approvals is not None:
                await emit(EventType.APPROVAL_REQUIRED, await self._approvals(turn, outcome.approval))
            if outcome.pending_call is not None:  # the user may confirm it, from the thread
                held = await record_held_call(self._pool, turn, outcome.pending_call)
                await emit(EventType.CONFIRMATION_REQUIRED, held)
            status, result = RunStatus.DONE, outcome.model_dump(mode="json", exclude={"approval"})
            # Stored with their footnote number, as the `citation` events carried them.
            result["citations"] = [{"index": i, **c} for i, c in enumerate(result["citations"], start=1)]
        except asyncio.CancelledError:
            status = RunStatus.STOPPED
            result = {"error": {"code": "stopped", "detail": MESSAGES.text("chat.stopped", language)}}
            raise
        except AgentError as exc:
            result = {"error": {"code": exc.code, "detail": exc.detail}}
        except Exception:  # the run's top-level boundary: the user gets a clean error, the log the trace
            logger.exception("run %s failed", run_id)
            detail = MESSAGES.text("chat.internal_error", language)
            result = {"error": {"code": "internal_error", "detail": detail}}
        finally:
            await self._finish(run_id, status, result, emit)

    async def _finish(self, run_id: str, status: RunStatus, result: dict[str, Any], emit: Emit) -> None:
        # Shielded: a stop cancels the task, but the outcome must still be stored and announced.
        async def record() -> None:
            if result.get("error"):
                await emit(EventType.ERROR, result["error"])
            await repository.finish_run(self._pool, run_id, status, result)
            await emit(EventType.DONE, {"run_id": run_id, "status": status, **_public(result)})

        await asyncio.shield(record())


_ISSUE_CODES = {
    IssueKind.MODEL_NOT_ALLOWED: "assistant_model_not_allowed",
    IssueKind.TOOL_NOT_AVAILABLE: "assistant_tool_not_available",
}


def error_in_language(error: dict[str, Any], language: Language) -> dict[str, Any]:
    """A stored error as `language` reads it.

    What a run says itself is stored in its user's language already; an interruption is written by
    whichever process noticed the dead host, which does not know the reader, so it is told here.
    """
    if error.get("code") == "interrupted":
        return {**error, "detail": MESSAGES.text("chat.interrupted", language)}
    return error


def run_in_language(run: Run, language: Language) -> Run:
    """`run` with its error as `language` reads it."""
    if run.error is None:
        return run
    return run.model_copy(update={"error": error_in_language(run.error, language)})


def _refusal(assistant: AssistantProfile, issues: list[Issue], language: Language) -> AgentError | None:
    """Why a run of this assistant must not go on: it refers to what policy no longer allows."""
    if not issues:
        return None
    details = " ".join(issue.detail for issue in issues)
    return AgentError(
        _ISSUE_CODES[issues[0].kind],
        MESSAGES.text("chat.assistant_refusal", language, assistant=assistant.name, details=details),
    )


def _history(runs: list[Run]) -> list[PriorTurn]:
    """The thread's last answered turns, oldest first: what a follow-up question leans on."""
    answered = [run for run in runs if run.status == RunStatus.DONE and run.answer]
    return [
        PriorTurn(
            message=run.request, answer=run.answer or "", workflow=run.workflow, citations=run.citations
        )
        for run in answered[-MAX_TURNS:]
    ]


def _public(result: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value
        for key, value in result.items()
        if key in {"answer", "mode", "workflow", "citations", "fallback"}
    }
