"""Shapes of the notifications API."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel


class NotificationKind(StrEnum):
    """What a notification is about."""

    APPROVAL = "approval"
    CONFIRMATION = "confirmation"
    JOB = "job"


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
    items: list[Notification]
