"""`/api/runs/{id}/confirmation`: the user confirms or declines the tool call their run was held on."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from server.confirmations.schemas import Confirmation, ConfirmationDecision
from server.confirmations.service import ConfirmationService
from server.deps import Context, CurrentUser

router = APIRouter(prefix="/api", tags=["confirmations"])


def _confirmations(request: Request, context: Context) -> ConfirmationService:
    return ConfirmationService(
        context.pool,
        context.chat,
        context.assistants,
        request.app.state.registry,
        timedelta(hours=context.settings.registry_confirmation_hours),
    )


Confirmations = Annotated[ConfirmationService, Depends(_confirmations)]

_DECIDE: dict[int | str, dict[str, Any]] = {
    404: {"description": "`confirmation_not_found`: no held call of yours for this run."},
    409: {
        "description": "`confirmation_closed` (already decided), `tool_unavailable`, `tool_changed`, "
        "`confirmation_expired` (nothing executed), `run_in_progress`."
    },
    403: {"description": "`tool_not_allowed`: the tool is no longer open to you (nothing executed)."},
}


@router.get("/runs/{run_id}/confirmation")
async def get_confirmation(user: CurrentUser, confirmations: Confirmations, run_id: str) -> Confirmation:
    """The tool call this run was held on: tool, exact arguments, approved digest, decision."""
    return await confirmations.of_run(user, run_id)


@router.post("/runs/{run_id}/confirmation/confirm", status_code=202, responses=_DECIDE)
async def confirm(user: CurrentUser, confirmations: Confirmations, run_id: str) -> ConfirmationDecision:
    """Confirm: a new run in the thread executes exactly the held call, once, as you.

    Its events stream from `GET /api/runs/{run.id}/events`.
    """
    return await confirmations.decide(user, run_id, confirmed=True)


@router.post("/runs/{run_id}/confirmation/decline", status_code=202, responses=_DECIDE)
async def decline(user: CurrentUser, confirmations: Confirmations, run_id: str) -> ConfirmationDecision:
    """Decline: nothing is executed; a new run in the thread says so."""
    return await confirmations.decide(user, run_id, confirmed=False)


@router.get("/threads/{thread_id}/confirmations")
async def thread_confirmations(
    user: CurrentUser, confirmations: Confirmations, thread_id: str
) -> list[Confirmation]:
    """The held calls of one of your conversations, with their decisions."""
    return await confirmations.of_thread(user, thread_id)
