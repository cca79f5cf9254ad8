"""`/api/automations`: mail triggers and schedules, their approval, pause, run-now and history."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import PlainTextResponse

from server.automations import notifications
from server.automations.schemas import Automation, AutomationIn, AutomationPatch, Delivered, Firing
from server.automations.service import AutomationsService
from server.deps import CurrentUser
from server.errors import NotFoundError
from server.messages import MESSAGES

router = APIRouter(prefix="/api/automations", tags=["automations"])


def _service(request: Request) -> AutomationsService:
    service = getattr(request.app.state, "automations", None)
    if service is None:
        raise NotFoundError(MESSAGES("automations.disabled"), code="automations_disabled")
    return service  # type: ignore[no-any-return]


Automations = Annotated[AutomationsService, Depends(_service)]


@router.get("")
async def list_automations(user: CurrentUser, automations: Automations) -> list[Automation]:
    """The automations the caller may see."""
    return await automations.list_for(user)


@router.get("/delivered")
async def delivered(
    user: CurrentUser, automations: Automations, limit: Annotated[int, Query(ge=1, le=100)] = 20
) -> list[Delivered]:
    """What the caller's message and mail automations delivered lately (Activité)."""
    return await automations.delivered(user, limit)


@router.post("", status_code=201)
async def create_automation(user: CurrentUser, automations: Automations, body: AutomationIn) -> Automation:
    """Create a mail trigger or a schedule (tool developers, AI administrators); pending until approved."""
    return await automations.create(user, body)


_NOTIFIED = {
    202: {
        "description": "Notifications reçues (les notifications non reconnues sont ignorées sans le dire)."
    },
    200: {
        "description": "Poignée de main de validation : le jeton renvoyé tel quel.",
        "content": {"text/plain": {"schema": {"type": "string"}}},
    },
    429: {
        "description": "Trop de requêtes de cette adresse dans la minute (`Retry-After`).",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    },
}


@router.post(
    "/graph-notifications",
    status_code=202,
    response_class=Response,
    responses=_NOTIFIED,  # type: ignore[arg-type]
    openapi_extra={"requestBody": {"content": {"application/json": {"schema": notifications.BODY_SCHEMA}}}},
)
async def graph_notifications(
    request: Request,
    automations: Automations,
    validation_token: Annotated[str | None, Query(alias="validationToken", max_length=1024)] = None,
) -> Response:
    """Microsoft Graph's change notifications for mail triggers (no user: Graph calls it).

    With `validationToken` and no body (Graph checking the address before subscribing), the token is
    echoed as text; otherwise each notification whose secret matches polls its trigger's mailbox at
    once. A body is always checked, token or not: Graph's handshake never carries one. Each client
    address may call it `ARIANE_AUTOMATIONS__NOTIFICATIONS_PER_MINUTE` times a minute (429 beyond).
    """
    client = request.client.host if request.client else "unknown"
    await notifications.admit(automations.pool, client, automations.notifications_per_minute, time.time())
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > notifications.MAX_BODY:
            break
    if not body.strip():  # an empty body (never a notification's) notifies nothing, as for a stranger's
        if validation_token is not None:
            return PlainTextResponse(validation_token, headers={"X-Content-Type-Options": "nosniff"})
        return Response(status_code=202)
    await notifications.accept(automations.pool, notifications.parse(bytes(body)))
    return Response(status_code=202)


@router.get("/{automation_id}")
async def get_automation(user: CurrentUser, automations: Automations, automation_id: str) -> Automation:
    """One automation with its last firings."""
    return await automations.get(user, automation_id)


@router.patch("/{automation_id}")
async def update_automation(
    user: CurrentUser, automations: Automations, automation_id: str, body: AutomationPatch
) -> Automation:
    """Rename, change the catch-up policy or who is told."""
    return await automations.update(user, automation_id, body)


@router.delete("/{automation_id}", status_code=204)
async def delete_automation(user: CurrentUser, automations: Automations, automation_id: str) -> Response:
    """Remove an automation (what it already started stays)."""
    await automations.delete(user, automation_id)
    return Response(status_code=204)


@router.post("/{automation_id}/approve")
async def approve_automation(user: CurrentUser, automations: Automations, automation_id: str) -> Automation:
    """Approve a pending automation (one of its robot's approvers): it becomes active."""
    return await automations.decide(user, automation_id, True)


@router.post("/{automation_id}/reject")
async def reject_automation(user: CurrentUser, automations: Automations, automation_id: str) -> Automation:
    """Reject a pending automation."""
    return await automations.decide(user, automation_id, False)


@router.post("/{automation_id}/pause")
async def pause_automation(user: CurrentUser, automations: Automations, automation_id: str) -> Automation:
    """Pause: nothing fires until it is resumed."""
    return await automations.pause(user, automation_id, True)


@router.post("/{automation_id}/resume")
async def resume_automation(user: CurrentUser, automations: Automations, automation_id: str) -> Automation:
    """Resume a paused automation (messages that arrived meanwhile are then handled)."""
    return await automations.pause(user, automation_id, False)


@router.post("/{automation_id}/run", status_code=202)
async def run_automation(user: CurrentUser, automations: Automations, automation_id: str) -> Firing:
    """Fire a schedule now (`run-now`)."""
    return await automations.run_now(user, automation_id)


@router.get("/{automation_id}/firings")
async def automation_firings(
    user: CurrentUser,
    automations: Automations,
    automation_id: str,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[Firing]:
    """The history of firings, newest first."""
    return await automations.firings(user, automation_id, limit)
