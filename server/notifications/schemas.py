"""Shapes of the notifications API."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class NotificationKind(StrEnum):
    """What a notification is about."""

    APPROVAL = "approval"
    CONFIRMATION = "confirmation"
    JOB = "job"
    ALERT = "alert"


class Notification(BaseModel):
    """One thing waiting for the user, with where to act on it (an in-app path)."""

    kind: NotificationKind
    id: str
    title: str
    status: str
    at: datetime
    path: str


class Notifications(BaseModel):
    """`GET /api/notifications`: the app bar's badge counts and their items, newest first."""

    approvals: int
    confirmations: int
    jobs: int
    alerts: int = Field(0, description="Open score alerts of governance sent to me (Activité).")
    items: list[Notification]
