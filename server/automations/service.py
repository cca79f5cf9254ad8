"""Who may create, see, approve, pause and run automations; their API shapes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from server.auth.roles import Role
from server.auth.schemas import User
from server.automations import repository
from server.automations.cron import Cron, CronError
from server.automations.messages import check_message, fields_of
from server.automations.reading import ReadingUnavailableError
from server.automations.runner import AutomationRunner
from server.automations.schemas import (
    Automation,
    AutomationIn,
    AutomationPatch,
    AutomationStatus,
    Delivered,
    Firing,
    MailFilter,
)
from server.automations.subscriptions import status_changed
from server.batches.template import TemplateError
from server.errors import ApiError, ForbiddenError, NotFoundError
from server.messages import MESSAGES
from server.robots import catalogue_repository as catalogue
from server.robots.schemas import Person
from tools.database import Pool, is_uuid
from tools.i18n import Language
from tools.robots.catalogue import BROAD_ROLES, RobotSpec, input_errors

EDITORS = (Role.TOOL_DEVELOPER, Role.AI_ADMIN)
READERS = (*EDITORS, Role.AUDITOR)


class InvalidAutomationError(ApiError):
    """An automation that cannot work as described."""

    status_code = 400
    code = "invalid_automation"


class AutomationConflictError(ApiError):
    """The automation is not in a state that allows this."""

    status_code = 409
    code = "automation_state"


class ModelGatewayUnavailableError(ApiError):
    """The gateway could not say which models the automations may use (try again later)."""

    status_code = 503
    code = "model_gateway_unavailable"


def _approves(spec: RobotSpec, user: User) -> bool:
    if BROAD_ROLES & set(spec.approvers.roles):
        return False
    return spec.approvers.admits([str(r) for r in user.roles], user.service)


def _spec(row: dict[str, Any]) -> RobotSpec | None:
    return RobotSpec.model_validate(row["robot_spec"]) if row["robot_spec"] is not None else None


def _approves_row(row: dict[str, Any], user: User) -> bool:
    """An approver of this automation: the robot's, or for a message or a mail, the AI coordination."""
    spec = _spec(row)
    return _approves(spec, user) if spec is not None else user.has_any(Role.AI_ADMIN)


def _approvers_label(row: dict[str, Any]) -> str:
    spec = _spec(row)
    return spec.approvers.label() if spec is not None else "coordination IA (ai_admin)"


def _person(row: dict[str, Any], prefix: str) -> Person | None:
    if row[f"{prefix}_id"] is None:
        return None
    return Person(id=row[f"{prefix}_id"], email=row[f"{prefix}_email"], display_name=row[f"{prefix}_name"])


def firing_view(row: dict[str, Any], language: Language) -> Firing:
    """The API shape of a firing row, its detail in the reader's language (as stored when it has no id)."""
    return Firing.model_validate(_firing_fields(row, Firing, language))


def _firing_fields(row: dict[str, Any], shape: type[Firing], language: Language) -> dict[str, Any]:
    detail = MESSAGES.shown(row["detail"], row["detail_text"], language)
    return {name: row[name] for name in shape.model_fields} | {"detail": detail}


class AutomationsService:
    """Automations as users handle them (one per process)."""

    def __init__(
        self, pool: Pool, runner: AutomationRunner, timezone: str, notifications_per_minute: int = 120
    ) -> None:
        self.pool = pool  # the notification route queues its polls there
        self.notifications_per_minute = notifications_per_minute  # per client address, on that route
        self._pool = pool
        self._runner = runner
        self._timezone = timezone

    def _view(
        self, row: dict[str, Any], user: User, firings: list[dict[str, Any]] | None = None
    ) -> Automation:
        spec = _spec(row)
        next_slot = None
        if row["cron"] and row["status"] == "active":
            next_slot = Cron.parse(row["cron"], self._timezone).next_after(self._runner.clock())
        owner, creator = _person(row, "owner"), _person(row, "creator")
        assert owner is not None
        assert creator is not None
        return Automation(
            id=row["id"], name=row["name"], kind=row["kind"], action=row["action"],
            status=AutomationStatus(row["status"]), robot_id=row["robot_id"],
            robot_name=spec.name if spec is not None else None, message=row["message"],
            thread_id=row["thread_id"], model=row["model"], owner=owner,
            created_by=creator,
            approved_by=_person(row, "approver"), decided_at=row["decided_at"], inputs=row["inputs"],
            mailbox=row["mailbox"], filter=MailFilter.model_validate(row["filter"]), cron=row["cron"],
            timezone=self._timezone, catch_up=row["catch_up"], notify=list(row["notify"]),
            next_slot=next_slot, last_slot=row["last_slot"], created_at=row["created_at"],
            updated_at=row["updated_at"], may_edit=user.has_any(*EDITORS),
            may_approve=row["status"] == "pending" and self._may_decide(row, user),
            last_firings=[firing_view(f, user.language) for f in firings or []],
        )  # fmt: skip

    @staticmethod
    def _may_decide(row: dict[str, Any], user: User) -> bool:
        return user.id not in {row["owner_id"], row["creator_id"]} and _approves_row(row, user)

    def _may_see(self, row: dict[str, Any], user: User) -> bool:
        return user.has_any(*READERS) or user.id == row["owner_id"] or _approves_row(row, user)

    async def _row(self, user: User, automation_id: str) -> dict[str, Any]:
        row = await repository.get(self._pool, automation_id) if is_uuid(automation_id) else None
        if row is None or not self._may_see(row, user):
            raise NotFoundError(MESSAGES("automations.not_found"), code="automation_not_found")
        return row

    async def list_for(self, user: User) -> list[Automation]:
        """The automations the user may see (editors and auditors: all; owners and approvers: theirs)."""
        return [
            self._view(row, user) for row in await repository.list_all(self._pool) if self._may_see(row, user)
        ]

    async def get(self, user: User, automation_id: str) -> Automation:
        """One automation with its last firings."""
        row = await self._row(user, automation_id)
        return self._view(row, user, await repository.firings_of(self._pool, automation_id, 20))

    async def delivered(self, user: User, limit: int) -> list[Delivered]:
        """Activité: what my message and mail automations delivered lately (robots show as requests)."""
        rows = await repository.delivered_to(self._pool, user.id, limit)
        return [Delivered.model_validate(_firing_fields(row, Delivered, user.language)) for row in rows]

    async def firings(self, user: User, automation_id: str, limit: int) -> list[Firing]:
        """An automation's history of firings, newest first."""
        await self._row(user, automation_id)
        rows = await repository.firings_of(self._pool, automation_id, limit)
        return [firing_view(row, user.language) for row in rows]

    async def create(self, user: User, body: AutomationIn) -> Automation:
        """A new automation, pending until one of its approvers approves it.

        Its approvers are the robot's for a robot action; for a message or a mail, the AI coordination
        (`ai_admin`) — never its creator or its owner.

        Raises:
            ForbiddenError: not a tool developer or AI administrator.
            InvalidAutomationError: unknown robot or owner, an owner who may not ask for the robot,
                a mail trigger without mailbox, a schedule without a valid cron expression, bad inputs,
                a message or a mail without its text, a mail with no one to send it to.
        """
        if not user.has_any(*EDITORS):
            raise ForbiddenError(MESSAGES("automations.not_an_editor"), code="not_an_editor")
        spec = await self._robot_of(body)
        owner = await repository.user_by_email(self._pool, body.owner or user.email)
        if owner is None:
            raise InvalidAutomationError(
                MESSAGES("automations.owner_unknown", owner=body.owner),
                code="owner_unknown",
            )
        if spec is not None and not spec.requesters.admits(list(owner["roles"]), owner["service"]):
            raise InvalidAutomationError(
                MESSAGES(
                    "automations.owner_not_requester",
                    owner=owner["display_name"],
                    requesters=spec.requesters.label(),
                ),
                code="owner_not_requester",
            )
        self._check_shape(body, spec)
        await self._check_model(body, spec)
        automation_id = await repository.create(self._pool, {
            "name": body.name, "kind": body.kind, "action": body.action,
            "message": body.message if spec is None else None, "owner_id": owner["id"],
            "model": body.model,
            "created_by": user.id, "robot_id": spec.id if spec else None, "inputs": body.inputs,
            "mailbox": body.mailbox if body.kind == "mail" else None,
            "filter": body.filter.model_dump(exclude_none=True) if body.kind == "mail" else {},
            "cron": body.cron if body.kind == "schedule" else None, "catch_up": body.catch_up,
            "notify": [address.lower() for address in body.notify],
        })  # fmt: skip
        return await self.get(user, automation_id)

    async def _robot_of(self, body: AutomationIn) -> RobotSpec | None:
        """The robot of a robot action (None for a message or a mail)."""
        if body.action != "robot":
            if body.robot_id is not None:
                raise InvalidAutomationError(
                    MESSAGES("automations.robot_not_allowed"),
                    code="robot_not_allowed",
                )
            return None
        if body.robot_id is None:
            raise InvalidAutomationError(MESSAGES("automations.robot_missing"), code="robot_missing")
        spec = await catalogue.get_robot(self._pool, body.robot_id)
        if spec is None:
            raise InvalidAutomationError(
                MESSAGES("automations.robot_not_found", robot=body.robot_id), code="robot_not_found"
            )
        return spec

    async def _check_model(self, body: AutomationIn, spec: RobotSpec | None) -> None:
        """A model (reading the mail, interpreting the report) for a robot, one the gateway allows."""
        model = body.model
        if model is None:
            return
        if spec is None:
            raise InvalidAutomationError(
                MESSAGES("automations.model_not_applicable"),
                code="model_not_applicable",
            )
        reader = self._runner.reader
        if reader is None:
            raise InvalidAutomationError(
                MESSAGES("automations.model_unavailable"),
                code="model_unavailable",
            )
        try:
            allowed = await reader.models()
        except ReadingUnavailableError as exc:
            raise ModelGatewayUnavailableError(
                MESSAGES("automations.gateway_unavailable", reason=str(exc))
            ) from exc
        if model not in allowed:
            raise InvalidAutomationError(
                MESSAGES(
                    "automations.model_not_allowed",
                    model=model,
                    allowed=", ".join(allowed) or MESSAGES("automations.none"),
                ),
                code="model_not_allowed",
            )

    def _check_message(self, body: AutomationIn) -> None:
        if not body.message:
            raise InvalidAutomationError(
                MESSAGES(
                    "automations.message_missing",
                    fields=", ".join(f"{{{{ {name} }}}}" for name in fields_of(body.kind)),
                ),
                code="message_missing",
            )  # fmt: skip
        if body.inputs:
            raise InvalidAutomationError(
                MESSAGES("automations.inputs_not_allowed"), code="inputs_not_allowed"
            )
        if body.action == "mail" and not body.notify:
            raise InvalidAutomationError(
                MESSAGES("automations.recipients_missing"), code="recipients_missing"
            )
        try:
            check_message(body.kind, body.message)
        except TemplateError as exc:
            raise InvalidAutomationError(exc.text or exc.detail, code=exc.code) from exc

    def _check_shape(self, body: AutomationIn, spec: RobotSpec | None) -> None:
        if body.kind == "mail" and not body.mailbox:
            raise InvalidAutomationError(MESSAGES("automations.mailbox_missing"))
        if body.kind == "mail" and not any(body.filter.model_dump(exclude_none=True).values()):
            raise InvalidAutomationError(MESSAGES("automations.filter_missing"))
        if spec is None:
            self._check_message(body)
        elif body.message is not None:
            raise InvalidAutomationError(
                MESSAGES("automations.message_not_allowed"), code="message_not_allowed"
            )
        properties = spec.input_schema.get("properties", {}) if spec is not None else {}
        unknown = sorted(set(body.inputs) - set(properties))
        if unknown:
            raise InvalidAutomationError(MESSAGES("automations.unknown_inputs", inputs=", ".join(unknown)))
        if body.kind == "schedule":
            self._check_schedule(body, spec)
        for address in body.notify:
            if "@" not in address or len(address) > 320:
                raise InvalidAutomationError(MESSAGES("automations.invalid_address", address=address))

    def _check_schedule(self, body: AutomationIn, spec: RobotSpec | None) -> None:
        if not body.cron:
            raise InvalidAutomationError(MESSAGES("automations.cron_missing"))
        try:
            cron = Cron.parse(body.cron, self._timezone)
        except CronError as exc:
            raise InvalidAutomationError(exc.text, code="invalid_cron") from exc
        if spec is None:
            return
        sample = dict(body.inputs)
        for name, schema in spec.input_schema.get("properties", {}).items():
            if name not in sample and isinstance(schema, dict) and schema.get("format") == "date":
                sample[name] = datetime.now(UTC).astimezone(cron.zone).date().isoformat()
        errors = input_errors(spec, sample)
        if errors:
            raise InvalidAutomationError(MESSAGES("automations.invalid_inputs", errors=" ".join(errors)))

    async def update(self, user: User, automation_id: str, body: AutomationPatch) -> Automation:
        """Rename, change the catch-up policy or who is told (editors).

        A mail action's recipients are what its approver approved (they read the watched mailbox's
        messages): they do not change without a new approval, hence a new automation.
        """
        self._editor(user)
        row = await self._row(user, automation_id)
        changes = body.model_dump(exclude_none=True)
        if row["action"] == "mail" and "notify" in changes:
            if sorted(address.lower() for address in changes["notify"]) != sorted(row["notify"]):
                raise InvalidAutomationError(
                    MESSAGES("automations.recipients_need_approval"),
                    code="recipients_need_approval",
                )
        if "notify" in changes:
            changes["notify"] = [address.lower() for address in changes["notify"]]
        await repository.update(self._pool, automation_id, changes)
        return await self.get(user, automation_id)

    async def delete(self, user: User, automation_id: str) -> None:
        """Remove an automation (editors); the approvals and jobs it started stay."""
        self._editor(user)
        await self._row(user, automation_id)
        await repository.delete(self._pool, automation_id)
        await status_changed(self._pool, automation_id)  # its Graph subscription goes

    @staticmethod
    def _editor(user: User) -> None:
        if not user.has_any(*EDITORS):
            raise ForbiddenError(MESSAGES("automations.not_an_editor"), code="not_an_editor")

    async def decide(self, user: User, automation_id: str, approve: bool) -> Automation:
        """Approve (it becomes active) or reject a pending automation: one of the robot's approvers.

        Raises:
            ForbiddenError: the owner or the creator themself, or not an approver of the robot.
            AutomationConflictError: not pending any more.
        """
        row = await self._row(user, automation_id)
        if user.id in {row["owner_id"], row["creator_id"]}:
            raise ForbiddenError(MESSAGES("automations.self_approval"), code="self_approval")
        if not _approves_row(row, user):
            raise ForbiddenError(
                MESSAGES("automations.not_an_approver", who=_approvers_label(row)), code="not_an_approver"
            )
        wanted = AutomationStatus.ACTIVE if approve else AutomationStatus.REJECTED
        if not await repository.set_status(self._pool, automation_id, wanted, ("pending",), user.id):
            current = await self._row(user, automation_id)
            if current["status"] != wanted:
                raise AutomationConflictError(
                    MESSAGES("automations.already_status", status=current["status"])
                )
        await status_changed(self._pool, automation_id)  # subscribed at once if active and configured
        return await self.get(user, automation_id)

    async def pause(self, user: User, automation_id: str, paused: bool) -> Automation:
        """Pause an active automation, or resume a paused one (editors, its owner, the robot's approvers)."""
        row = await self._row(user, automation_id)
        if not (user.has_any(*EDITORS) or user.id == row["owner_id"] or _approves_row(row, user)):
            raise ForbiddenError(MESSAGES("automations.pause_forbidden"), code="not_allowed")
        wanted, source = ("paused", ("active",)) if paused else ("active", ("paused",))
        if not await repository.set_status(self._pool, automation_id, wanted, source):
            current = await self._row(user, automation_id)
            if current["status"] != wanted:
                raise AutomationConflictError(
                    MESSAGES(
                        "automations.cannot_pause" if paused else "automations.cannot_resume",
                        status=current["status"],
                    )
                )
        await status_changed(self._pool, automation_id)  # paused: its Graph subscription goes
        return await self.get(user, automation_id)

    async def run_now(self, user: User, automation_id: str) -> Firing:
        """Fire an active schedule at once (editors and its owner)."""
        row = await self._row(user, automation_id)
        if not (user.has_any(*EDITORS) or user.id == row["owner_id"]):
            raise ForbiddenError(MESSAGES("automations.run_forbidden"), code="not_allowed")
        if row["kind"] != "schedule":
            raise AutomationConflictError(MESSAGES("automations.not_a_schedule"), code="not_a_schedule")
        if row["status"] != "active":
            raise AutomationConflictError(
                MESSAGES("automations.not_active", status=row["status"]),
                code="automation_not_active",
            )
        firing_id = await self._runner.run_now(automation_id, f"manual:{uuid.uuid4()}")
        assert firing_id is not None
        found = await repository.get_firing(self._pool, firing_id)
        assert found is not None
        return firing_view(found, user.language)
