"""Deciding on a held tool call: only its user, only once, only while the tool is as it was."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from agents.assistant import GENERAL_ASSISTANT
from agents.confirmation import decision_message
from agents.turn import HeldCall, ToolDecision
from server.assistants.service import AssistantService
from server.auth.schemas import User
from server.chat.schemas import Thread
from server.chat.service import ChatService
from server.confirmations import repository
from server.confirmations.recording import confirmation_view, tracer
from server.confirmations.schemas import Confirmation, ConfirmationDecision, ConfirmationStatus
from server.errors import ApiError, ForbiddenError, NotFoundError
from server.messages import MESSAGES
from server.registry.runtime import RegistryRuntime, grant_for
from tools.database import Pool, is_uuid


class ConfirmationClosedError(ApiError):
    """The held call was already confirmed or declined."""

    status_code = 409
    code = "confirmation_closed"


class ToolNoLongerValidError(ApiError):
    """The tool was suspended, removed or changed since the call was held: it is not executed."""

    status_code = 409
    code = "tool_unavailable"


_DONE = {
    ConfirmationStatus.CONFIRMED: "confirm.already_confirmed",
    ConfirmationStatus.DECLINED: "confirm.already_declined",
}


class ConfirmationService:
    """Held calls of the signed-in user and their decisions (built per request; holds no state)."""

    def __init__(
        self,
        pool: Pool,
        chat: ChatService,
        assistants: AssistantService | None,
        registry: RegistryRuntime,
        valid_for: timedelta,
    ) -> None:
        self._pool = pool
        self._chat = chat
        self._assistants = assistants
        self._registry = registry
        self._valid_for = valid_for

    async def of_run(self, user: User, run_id: str) -> Confirmation:
        """The call the user's run was held on.

        Raises:
            NotFoundError: no held call for this run, or another user's run.
        """
        row = await repository.of_run(self._pool, user.id, run_id) if is_uuid(run_id) else None
        if row is None:
            raise NotFoundError(MESSAGES("confirm.not_found"), code="confirmation_not_found")
        return confirmation_view(row)

    async def of_thread(self, user: User, thread_id: str) -> list[Confirmation]:
        """The held calls of the user's thread, oldest first.

        Raises:
            NotFoundError: unknown thread, or another user's.
        """
        thread = await self._chat.thread_of(user, thread_id)
        return [confirmation_view(row) for row in await repository.of_thread(self._pool, user.id, thread.id)]

    async def decide(self, user: User, run_id: str, confirmed: bool) -> ConfirmationDecision:
        """Record the decision and start the run that carries it out (the confirmed call runs once).

        Raises:
            NotFoundError: no held call of this user for this run (404).
            ConfirmationClosedError: already decided (409).
            ToolNoLongerValidError: `tool_unavailable`, `tool_changed` (409); ForbiddenError:
                `tool_not_allowed` (403) — nothing is executed.
            RunConflictError: the thread has a run going (409); the decision is not recorded.
        """
        with tracer.start_as_current_span("tool_confirmation.decide") as span:
            span.set_attributes(
                {
                    "ariane.user.id": user.id,
                    "ariane.run.id": run_id,
                    "ariane.confirmation.confirmed": confirmed,
                }
            )
            held = await self.of_run(user, run_id)
            span.set_attributes({"ariane.tool.server": held.server, "ariane.tool.name": held.tool})
            if held.status is not ConfirmationStatus.PENDING:
                raise ConfirmationClosedError(MESSAGES(_DONE[held.status]))
            thread = await self._chat.thread_of(user, held.thread_id)
            call = HeldCall(server=held.server, tool=held.tool, arguments=held.arguments, digest=held.digest)
            if confirmed:
                self._not_expired(held)
                await self._still_valid(user, thread, call)
            status = ConfirmationStatus.CONFIRMED if confirmed else ConfirmationStatus.DECLINED
            if not await repository.decide(self._pool, held.id, status):
                raise ConfirmationClosedError(MESSAGES("confirm.just_decided"))
            try:
                decision = ToolDecision(call=call, confirmed=confirmed)
                message = decision_message(call, confirmed)
                run = await self._chat.start_decision_run(user, thread, message, decision)
            except ApiError:  # the run could not start (thread busy…): the call stays to decide
                await repository.undo(self._pool, held.id, status)
                raise
            await repository.set_result(self._pool, held.id, run.id)
            span.set_attribute("ariane.confirmation.run.id", run.id)
            return ConfirmationDecision(confirmation=await self.of_run(user, run_id), run=run)

    def _not_expired(self, held: Confirmation) -> None:
        """Refuse a confirmation given too long after the request (declining stays possible)."""
        if datetime.now(UTC) - held.created_at > self._valid_for:
            hours = self._valid_for.total_seconds() / 3600
            raise ToolNoLongerValidError(
                MESSAGES("confirm.expired", hours=f"{hours:g}"),
                code="confirmation_expired",
            )

    async def _still_valid(self, user: User, thread: Thread, call: HeldCall) -> None:
        """Refuse when the tool is no longer the approved one the user was asked about, or theirs to use."""
        name = f"{call.server}/{call.tool}"
        state = await repository.tool_state(self._pool, call.server, call.tool)
        if state is None:
            raise ToolNoLongerValidError(MESSAGES("confirm.tool_removed", name=name))
        if state["server_status"] != "active" or state["tool_status"] != "active":
            raise ToolNoLongerValidError(MESSAGES("confirm.tool_suspended", name=name))
        if state["approved_digest"] != call.digest:
            raise ToolNoLongerValidError(
                MESSAGES("confirm.tool_changed", name=name),
                code="tool_changed",
            )
        assistant = GENERAL_ASSISTANT
        if self._assistants is not None:
            assistant, _ = await self._assistants.profile(user, thread.assistant_id)
        grant = await grant_for(
            self._registry.registry, [str(r) for r in user.roles], user.service, assistant.id, assistant.tools
        )
        if call.tool not in grant.tools.get(call.server, {}):
            raise ForbiddenError(
                MESSAGES("confirm.tool_not_allowed", name=name),
                code="tool_not_allowed",
            )
