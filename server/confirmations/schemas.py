"""Shapes of the confirmations API."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from server.chat.schemas import Run


class ConfirmationStatus(StrEnum):
    """Where a held call is: waiting for its user, or decided (once, for good)."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    DECLINED = "declined"


class Confirmation(BaseModel):
    """A held tool call: what would run (tool, exact arguments), and the user's decision."""

    id: str
    run_id: str
    thread_id: str
    server: str
    tool: str
    title: str
    description: str
    arguments: dict[str, Any]
    digest: str
    status: ConfirmationStatus
    created_at: datetime
    decided_at: datetime | None
    result_run_id: str | None


class ConfirmationDecision(BaseModel):
    """`POST …/confirm` or `…/decline`: the decision as recorded, and the run that carries it out.

    The run's events stream from `GET /api/runs/{run.id}/events` like any run's.
    """

    confirmation: Confirmation
    run: Run
