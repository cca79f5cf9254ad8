"""Who may create, see, approve, pause and run automations; their API shapes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from server.auth.roles import Role
from server.auth.schemas import User
from server.automations import repository
from server.automations.cron import Cron, CronError
from server.automations.runner import AutomationRunner
from server.automations.schemas import (
    Automation,
    AutomationIn,
    AutomationPatch,
    AutomationStatus,
    Firing,
    MailFilter,
)
from server.automations.subscriptions import status_changed
from server.errors import ApiError, ForbiddenError, NotFoundError
from server.robots import catalogue_repository as catalogue
from server.robots.schemas import Person
from tools.database import Pool, is_uuid
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


def _approves(spec: RobotSpec, user: User) -> bool:
    if BROAD_ROLES & set(spec.approvers.roles):
        return False
    return spec.approvers.admits([str(r) for r in user.roles], user.service)


def _person(row: dict[str, Any], prefix: str) -> Person | None:
    if row[f"{prefix}_id"] is None:
        return None
    return Person(id=row[f"{prefix}_id"], email=row[f"{prefix}_email"], display_name=row[f"{prefix}_name"])


def firing_view(row: dict[str, Any]) -> Firing:
    """The API shape of a firing row."""
    return Firing.model_validate({name: row[name] for name in Firing.model_fields})


class AutomationsService:
    """Automations as users handle them (one per process)."""

    def __init__(self, pool: Pool, runner: AutomationRunner, timezone: str) -> None:
        self.pool = pool  # the notification route queues its polls there
        self._pool = pool
        self._runner = runner
        self._timezone = timezone

    def _view(
        self, row: dict[str, Any], user: User, firings: list[dict[str, Any]] | None = None
    ) -> Automation:
        spec = RobotSpec.model_validate(row["robot_spec"])
        next_slot = None
        if row["cron"] and row["status"] == "active":
            next_slot = Cron.parse(row["cron"], self._timezone).next_after(self._runner.clock())
        owner, creator = _person(row, "owner"), _person(row, "creator")
        assert owner is not None
        assert creator is not None
        return Automation(
            id=row["id"], name=row["name"], kind=row["kind"], status=AutomationStatus(row["status"]),
            robot_id=row["robot_id"], robot_name=spec.name, owner=owner, created_by=creator,
            approved_by=_person(row, "approver"), decided_at=row["decided_at"], inputs=row["inputs"],
            mailbox=row["mailbox"], filter=MailFilter.model_validate(row["filter"]), cron=row["cron"],
            timezone=self._timezone, catch_up=row["catch_up"], notify=list(row["notify"]),
            next_slot=next_slot, last_slot=row["last_slot"], created_at=row["created_at"],
            updated_at=row["updated_at"], may_edit=user.has_any(*EDITORS),
            may_approve=row["status"] == "pending" and self._may_decide(row, spec, user),
            last_firings=[firing_view(f) for f in firings or []],
        )  # fmt: skip

    @staticmethod
    def _may_decide(row: dict[str, Any], spec: RobotSpec, user: User) -> bool:
        return user.id not in {row["owner_id"], row["creator_id"]} and _approves(spec, user)

    def _may_see(self, row: dict[str, Any], user: User) -> bool:
        spec = RobotSpec.model_validate(row["robot_spec"])
        return user.has_any(*READERS) or user.id == row["owner_id"] or _approves(spec, user)

    async def _row(self, user: User, automation_id: str) -> dict[str, Any]:
        row = await repository.get(self._pool, automation_id) if is_uuid(automation_id) else None
        if row is None or not self._may_see(row, user):
            raise NotFoundError("Cette automatisation n'existe pas.", code="automation_not_found")
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

    async def firings(self, user: User, automation_id: str, limit: int) -> list[Firing]:
        """An automation's history of firings, newest first."""
        await self._row(user, automation_id)
        return [firing_view(row) for row in await repository.firings_of(self._pool, automation_id, limit)]

    async def create(self, user: User, body: AutomationIn) -> Automation:
        """A new automation, pending until one of the robot's approvers approves it.

        Raises:
            ForbiddenError: not a tool developer or AI administrator.
            InvalidAutomationError: unknown robot or owner, an owner who may not ask for the robot,
                a mail trigger without mailbox, a schedule without a valid cron expression, bad inputs.
        """
        if not user.has_any(*EDITORS):
            raise ForbiddenError(
                "Réservé aux développeurs d'outils et à la coordination IA.", code="not_an_editor"
            )
        spec = await catalogue.get_robot(self._pool, body.robot_id)
        if spec is None:
            raise InvalidAutomationError(f"Robot inconnu « {body.robot_id} ».", code="robot_not_found")
        owner = await repository.user_by_email(self._pool, body.owner or user.email)
        if owner is None:
            raise InvalidAutomationError(
                f"« {body.owner} » ne s'est jamais connecté à Ariane : il ne peut pas être le demandeur.",
                code="owner_unknown",
            )
        if not spec.requesters.admits(list(owner["roles"]), owner["service"]):
            raise InvalidAutomationError(
                f"{owner['display_name']} ne peut pas demander ce robot ({spec.requesters.label()}).",
                code="owner_not_requester",
            )
        self._check_shape(body, spec)
        automation_id = await repository.create(self._pool, {
            "name": body.name, "kind": body.kind, "owner_id": owner["id"], "created_by": user.id,
            "robot_id": spec.id, "inputs": body.inputs,
            "mailbox": body.mailbox if body.kind == "mail" else None,
            "filter": body.filter.model_dump(exclude_none=True) if body.kind == "mail" else {},
            "cron": body.cron if body.kind == "schedule" else None, "catch_up": body.catch_up,
            "notify": [address.lower() for address in body.notify],
        })  # fmt: skip
        return await self.get(user, automation_id)

    def _check_shape(self, body: AutomationIn, spec: RobotSpec) -> None:
        if body.kind == "mail" and not body.mailbox:
            raise InvalidAutomationError(
                "Un déclencheur sur messagerie indique la boîte surveillée (mailbox)."
            )
        if body.kind == "mail" and not any(body.filter.model_dump(exclude_none=True).values()):
            raise InvalidAutomationError(
                "Un déclencheur sur messagerie a un filtre (expéditeur, objet ou corps)."
            )
        properties = spec.input_schema.get("properties", {})
        unknown = sorted(set(body.inputs) - set(properties))
        if unknown:
            raise InvalidAutomationError(f"Entrées inconnues du robot : {', '.join(unknown)}.")
        if body.kind == "schedule":
            if not body.cron:
                raise InvalidAutomationError("Une planification a une expression cron (ex. « 0 7 * * * »).")
            try:
                cron = Cron.parse(body.cron, self._timezone)
            except CronError as exc:
                raise InvalidAutomationError(str(exc), code="invalid_cron") from exc
            sample = dict(body.inputs)
            for name, schema in properties.items():
                if name not in sample and isinstance(schema, dict) and schema.get("format") == "date":
                    sample[name] = datetime.now(UTC).astimezone(cron.zone).date().isoformat()
            errors = input_errors(spec, sample)
            if errors:
                raise InvalidAutomationError("Entrées invalides : " + " ".join(errors))
        for address in body.notify:
            if "@" not in address or len(address) > 320:
                raise InvalidAutomationError(f"Adresse à prévenir invalide : « {address} ».")

    async def update(self, user: User, automation_id: str, body: AutomationPatch) -> Automation:
        """Rename, change the catch-up policy or who is told (editors)."""
        self._editor(user)
        await self._row(user, automation_id)
        changes = body.model_dump(exclude_none=True)
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
            raise ForbiddenError(
                "Réservé aux développeurs d'outils et à la coordination IA.", code="not_an_editor"
            )

    async def decide(self, user: User, automation_id: str, approve: bool) -> Automation:
        """Approve (it becomes active) or reject a pending automation: one of the robot's approvers.

        Raises:
            ForbiddenError: the owner or the creator themself, or not an approver of the robot.
            AutomationConflictError: not pending any more.
        """
        row = await self._row(user, automation_id)
        spec = RobotSpec.model_validate(row["robot_spec"])
        if user.id in {row["owner_id"], row["creator_id"]}:
            raise ForbiddenError(
                "Vous ne pouvez pas valider votre propre automatisation.", code="self_approval"
            )
        if not _approves(spec, user):
            raise ForbiddenError(f"Validation réservée à : {spec.approvers.label()}.", code="not_an_approver")
        wanted = AutomationStatus.ACTIVE if approve else AutomationStatus.REJECTED
        if not await repository.set_status(self._pool, automation_id, wanted, ("pending",), user.id):
            current = await self._row(user, automation_id)
            if current["status"] != wanted:
                raise AutomationConflictError(f"Cette automatisation est déjà « {current['status']} ».")
        await status_changed(self._pool, automation_id)  # subscribed at once if active and configured
        return await self.get(user, automation_id)

    async def pause(self, user: User, automation_id: str, paused: bool) -> Automation:
        """Pause an active automation, or resume a paused one (editors, its owner, the robot's approvers)."""
        row = await self._row(user, automation_id)
        spec = RobotSpec.model_validate(row["robot_spec"])
        if not (user.has_any(*EDITORS) or user.id == row["owner_id"] or _approves(spec, user)):
            raise ForbiddenError("Vous ne pouvez pas suspendre cette automatisation.", code="not_allowed")
        wanted, source = ("paused", ("active",)) if paused else ("active", ("paused",))
        if not await repository.set_status(self._pool, automation_id, wanted, source):
            current = await self._row(user, automation_id)
            if current["status"] != wanted:
                raise AutomationConflictError(
                    f"Cette automatisation est « {current['status']} » : impossible de la "
                    f"{'suspendre' if paused else 'reprendre'}."
                )
        await status_changed(self._pool, automation_id)  # paused: its Graph subscription goes
        return await self.get(user, automation_id)

    async def run_now(self, user: User, automation_id: str) -> Firing:
        """Fire an active schedule at once (editors and its owner)."""
        row = await self._row(user, automation_id)
        if not (user.has_any(*EDITORS) or user.id == row["owner_id"]):
            raise ForbiddenError("Vous ne pouvez pas lancer cette automatisation.", code="not_allowed")
        if row["kind"] != "schedule":
            raise AutomationConflictError(
                "Un déclencheur sur messagerie se lance à l'arrivée d'un message.", code="not_a_schedule"
            )
        if row["status"] != "active":
            raise AutomationConflictError(
                f"Cette automatisation est « {row['status']} » : elle ne peut pas être lancée.",
                code="automation_not_active",
            )
        firing_id = await self._runner.run_now(automation_id, f"manual:{uuid.uuid4()}")
        assert firing_id is not None
        found = await repository.get_firing(self._pool, firing_id)
        assert found is not None
        return firing_view(found)
