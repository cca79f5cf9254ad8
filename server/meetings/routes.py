"""`GET /api/meetings/{id}/transcript`: a transcript read as the user, through the meetings tool server.

The server does not read Microsoft 365 itself: it calls the same MCP tool the agents use, with the
user's token, so the tenant enforces exactly the same access.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from agents.toolbox import ToolBox
from server.deps import Context, CurrentUser
from server.errors import ApiError, NotFoundError, ServiceUnavailableError

router = APIRouter(prefix="/api", tags=["meetings"])


class NotTranscribedError(ApiError):
    """The meeting exists for the user but has no transcript."""

    status_code = 409
    code = "not_transcribed"


class TranscriptView(BaseModel):
    """The meeting and all its cues."""

    meeting: dict[str, Any]
    cues: list[dict[str, Any]]


async def _silent(kind: object, data: object) -> None:
    return None


@router.get("/meetings/{meeting_id}/transcript")
async def transcript(user: CurrentUser, context: Context, meeting_id: str) -> TranscriptView:
    """Every cue of a meeting's transcript the user may read.

    Raises:
        NotFoundError: unknown meeting, or one the user may not see (404 `meeting_not_found`).
        NotTranscribedError: the meeting was not transcribed (409).
        ServiceUnavailableError: Microsoft 365 cannot be reached (503 `m365_unavailable`).
    """
    async with ToolBox(context.tools, user.token, datetime.now().astimezone(), _silent) as tools:
        outcome = await tools.whole_transcript(meeting_id)
    if not outcome.ok:
        _raise(outcome.code, outcome.message)
    return TranscriptView(meeting=outcome.data["meeting"] | {"id": meeting_id}, cues=outcome.data["cues"])


def _raise(code: str | None, message: str) -> None:
    if code == "not_transcribed":
        raise NotTranscribedError(message)
    if code == "unavailable":
        raise ServiceUnavailableError(message, code="m365_unavailable")
    raise NotFoundError(message, code="meeting_not_found")
