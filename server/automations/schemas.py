"""Shapes of `/api/automations`."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from server.robots.schemas import Person

_ADDRESS = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class AutomationStatus(StrEnum):
    """Where an automation is: waiting for the robot's approvers, running, paused, refused."""

    PENDING = "pending"
    ACTIVE = "active"
    PAUSED = "paused"
    REJECTED = "rejected"


class MailFilter(BaseModel):
    """Which messages of the mailbox fire the trigger (all given conditions; case-insensitive)."""

    model_config = ConfigDict(extra="forbid")

    sender: str | None = Field(
        None, max_length=320, description="The sender's address, or its domain (`@vigiesante-exemple.fr`)."
    )
    subject: str | None = Field(None, max_length=200, description="Words the subject contains.")
    body: str | None = Field(None, max_length=200, description="Words the body contains.")


Action = Literal["robot", "chat", "mail"]


class AutomationIn(BaseModel):
    """A new automation: what fires it, what it does (a robot, a message, a mail), on whose behalf."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120)
    kind: Literal["mail", "schedule"]
    action: Action = Field(
        "robot",
        description="`robot`: a robot request (approved by the robot's approvers); `chat`: a message in "
        "a conversation of the owner's; `mail`: a mail to the `notify` addresses.",
    )
    robot_id: str | None = Field(
        None, min_length=1, max_length=120, description="The robot (action `robot`)."
    )
    message: str | None = Field(
        None,
        min_length=1,
        max_length=4000,
        description="Text of a `chat` or `mail` action, with placeholders filled at each firing "
        "(`{{ objet }}`, `{{ expediteur }}`, `{{ indices }}`, `{{ creneau }}`…).",
    )
    model: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        description="A robot's automation may ask a model, through the gateway under the automations' "
        "service key: a mail trigger's reads the robot's inputs in the message (the rules read what it "
        "does not give), a schedule's interprets the robot's report for the mail that tells it (the "
        "report's own ranking otherwise). Default: none.",
    )
    owner: str | None = Field(
        None,
        pattern=_ADDRESS,
        max_length=320,
        description="Address of the user it acts for (the robot's requester, the message's reader); "
        "default: you.",
    )
    inputs: dict[str, Any] = Field(
        default_factory=dict,
        description="Fixed inputs of the robot; a mail trigger adds what it reads in the message "
        "(the account), a schedule the slot's day as `date` when the robot takes one.",
    )
    mailbox: str | None = Field(None, pattern=_ADDRESS, max_length=320, description="Mailbox watched (mail).")
    filter: MailFilter = Field(default_factory=MailFilter)
    cron: str | None = Field(
        None, max_length=120, description="Cron expression (schedule), e.g. `0 7 * * *`."
    )
    catch_up: bool = Field(
        True, description="After a downtime, run the missed slot once (true) or skip to the next one (false)."
    )
    notify: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="Addresses told of each outcome by mail (a mail trigger also replies to the sender).",
    )


class AutomationPatch(BaseModel):
    """What may change on an automation without a new approval."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=120)
    catch_up: bool | None = None
    notify: list[str] | None = Field(None, max_length=20)


class Firing(BaseModel):
    """One firing: a message or a slot, and what came of it."""

    id: str
    automation_id: str
    key: str
    origin: str
    status: str
    detail: str
    message: dict[str, Any] | None
    inputs: dict[str, Any] | None
    extraction: dict[str, Any] | None = Field(
        None,
        description="The model's reading of the mail: `model`, `answer`, `taken`, `refused`, or `error`.",
    )
    interpretation: dict[str, Any] | None = Field(
        None, description="The model's interpretation of the robot's report: `model`, `answer` or `error`."
    )
    approval_id: str | None
    job_id: str | None
    created_at: datetime
    finished_at: datetime | None
    reply_sent_at: datetime | None


class Automation(BaseModel):
    """An automation as the Automatisations page shows it."""

    id: str
    name: str
    kind: str
    action: str
    status: AutomationStatus
    robot_id: str | None
    robot_name: str | None
    message: str | None
    thread_id: str | None
    model: str | None
    owner: Person
    created_by: Person
    approved_by: Person | None
    decided_at: datetime | None
    inputs: dict[str, Any]
    mailbox: str | None
    filter: MailFilter
    cron: str | None
    timezone: str
    catch_up: bool
    notify: list[str]
    next_slot: datetime | None
    last_slot: datetime | None
    created_at: datetime
    updated_at: datetime
    may_edit: bool
    may_approve: bool
    last_firings: list[Firing] = Field(default_factory=list)


class Delivered(Firing):
    """A firing of one of my message or mail automations, as Activité lists it."""

    automation_name: str
    action: str
    thread_id: str | None = Field(None, description="The conversation a `chat` automation writes in.")
