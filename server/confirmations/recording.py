"""Recording a held call when a run ends on one, and the API shape of a held call.

Kept apart from the service (which starts runs through the chat) so that the chat can record without
importing it back.
"""

from __future__ import annotations

from typing import Any

from opentelemetry import trace

from agents.turn import HeldCall, TurnRequest
from server.confirmations import repository
from server.confirmations.schemas import Confirmation, ConfirmationStatus
from tools.database import Pool

tracer = trace.get_tracer("ariane.confirmations")


def confirmation_view(row: dict[str, Any]) -> Confirmation:
    """The API shape of a held call, with the title and description of the tool as approved."""
    definition = row.get("definition") or {}
    annotations = definition.get("annotations") or {}
    return Confirmation(
        id=row["id"],
        run_id=row["run_id"],
        thread_id=row["thread_id"],
        server=row["server"],
        tool=row["tool"],
        title=definition.get("title") or annotations.get("title") or f"{row['server']}/{row['tool']}",
        description=definition.get("description") or "",
        arguments=row["arguments"],
        digest=row["digest"],
        status=ConfirmationStatus(row["status"]),
        created_at=row["created_at"],
        decided_at=row["decided_at"],
        result_run_id=row["result_run_id"],
    )


async def record_held_call(pool: Pool, turn: TurnRequest, call: HeldCall) -> dict[str, Any]:
    """Record the call `turn` was held on; the `confirmation_required` event's payload."""
    with tracer.start_as_current_span("tool_confirmation.hold") as span:
        span.set_attributes(
            {
                "ariane.user.id": turn.caller.id,
                "ariane.run.id": turn.run_id,
                "ariane.tool.server": call.server,
                "ariane.tool.name": call.tool,
                "ariane.tool.digest": call.digest,
            }
        )
        row = await repository.record(pool, turn.run_id, turn.thread_id, turn.caller.id, call)
    return confirmation_view(row).model_dump(mode="json")
