"""Automations at work: mailboxes polled, schedules fired, firings carried to a robot job and a reply.

Rounds, each a periodic task one process at a time runs, and kinds of work items:
- `automations.mail`: each active mail trigger's mailbox is asked for what arrived (Graph delta);
  the matching messages become firings — keyed by the message's `internetMessageId`, unique per
  automation — and the new delta link is kept **in the same transaction**: a crash before the commit
  reads the same messages again, a second delivery of a message adds nothing.
- `automations.schedules`: each active schedule's latest slot not yet handled becomes a firing (once:
  the slot is claimed with a compare-and-set on `last_slot`), or is skipped when late and the
  schedule does not catch up; then the firings whose job ended are reported.
- `automation.fire` (work item, keyed by the firing): the approval asked on behalf of the owner —
  found again by its checkpoint key when a dead attempt had recorded it —, decided at once for a
  schedule (the automation itself was approved by the robot's approvers) or left to the robot's
  approvers for a mail trigger, who are told by mail and see it in Activité.
- `automations.subscriptions` and `automation.poll`: with change notifications configured, a Graph
  notification of a new message polls that trigger's mailbox at once (`subscriptions.py`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from opentelemetry import trace

from server.audit.launch_recording import LaunchAuditor
from server.automations import repository
from server.automations.auditing import automation_launch, automation_request, outcome_record
from server.automations.cron import Cron
from server.automations.delivery import CONTENT, chat_request, chat_title, message_start, outcome_of
from server.automations.extraction import evidence, extract_inputs, matches
from server.automations.mailer import AutomationMail, Outgoing
from server.automations.messages import CHAT_WORKFLOW, slot_label
from server.automations.reading import (
    ModelReader,
    ReadingUnavailableError,
    interpretation_prompt,
    merged_inputs,
    reading_prompt,
)
from server.automations.reports import approval_notice, outcome_mail
from server.automations.settings import AutomationsSettings
from server.automations.subscriptions import SUBSCRIPTION, SubscriptionKeeper
from server.chat import repository as chat
from server.messages import MESSAGES
from server.robots import catalogue_repository as catalogue
from server.robots import repository as robots
from server.robots.approvers import ApproverNames
from server.robots.job_texts import failure_of
from server.robots.queueing import enqueue_job
from server.work import PeriodicTask, WorkFailure, WorkItem, WorkKind, WorkRegistry, enqueue
from tools.database import Pool
from tools.i18n import Text
from tools.m365 import M365Error
from tools.m365.mail import MailInfo
from tools.robots.catalogue import RobotSpec, definition_digest, input_problems, inputs_digest

logger = logging.getLogger(__name__)
tracer = trace.get_tracer("ariane.automations")
FIRE = "automation.fire"
POLL = "automation.poll"
Clock = Callable[[], datetime]


def now_utc() -> datetime:
    """The real clock."""
    return datetime.now(UTC)


class AutomationRunner:
    """The rounds and the firing handler of one process."""

    def __init__(
        self,
        pool: Pool,
        settings: AutomationsSettings,
        mail: AutomationMail | None,
        names: ApproverNames,
        approval_ttl_minutes: int,
        clock: Clock = now_utc,
    ) -> None:
        self._pool = pool
        self._settings = settings
        self._mail = mail
        self._names = names
        self._ttl = approval_ttl_minutes
        self.clock = clock
        self.auditor: LaunchAuditor | None = None  # set once the audit trail runs (the app's lifespan)
        self.reader: ModelReader | None = None  # with the automations' service key (settings)
        self.subscriptions = SubscriptionKeeper(pool, settings, mail, lambda: self.clock())

    # --- mail triggers -------------------------------------------------------------------------

    async def poll_mailboxes(self) -> int:
        """One round over the active mail triggers; how many firings were added."""
        if self._mail is None:
            return 0
        added = 0
        for automation in await repository.list_all(self._pool, kind="mail", status="active"):
            added += await self._poll(automation)
        return added

    async def poll_one(self, item: WorkItem) -> dict[str, Any]:
        """The work item a change notification queues: that trigger's mailbox polled at once.

        The delta query stays the only source of messages: a notification (even a forged or a
        repeated one) can only cause one more poll, never a firing of its own.
        """
        automation = await repository.get(self._pool, item.payload["automation_id"])
        if self._mail is None or automation is None or (automation["kind"], automation["status"]) != (
            "mail", "active",
        ):  # fmt: skip
            return {"added": 0}
        return {"added": await self._poll(automation)}

    async def _poll(self, automation: dict[str, Any]) -> int:
        assert self._mail is not None
        added = 0
        try:
            page = await self._mail.changes(automation["mailbox"], automation["delta_link"])
        except M365Error as exc:  # the mailbox is away or refused: this trigger waits, others go on
            logger.warning("automation %s: mailbox %s unreadable: %s", automation["id"],
                           automation["mailbox"], exc)  # fmt: skip
            return 0
        # Graph gives reception times to the second: a mail of the activation's second counts.
        activated = (automation["decided_at"] or automation["created_at"]).replace(microsecond=0)
        async with self._pool.connection() as conn, conn.transaction():
            for message in page.messages:
                if message.is_draft or not matches(automation["filter"], message):
                    continue
                if automation["delta_link"] is None and (message.received or activated) < activated:
                    continue  # the first round sees the whole inbox: only what came after activation
                key = message.internet_message_id or message.id
                record = {"message": evidence(message), "inputs": self._mail_inputs(automation, message)}
                firing = await repository.add_firing(conn, automation["id"], key, "mail", record)
                if firing is not None:
                    await enqueue(conn, FIRE, {"firing_id": firing}, key=f"{FIRE}:{firing}")
                    added += 1
            await repository.set_delta_link(conn, automation["id"], page.delta_link)
        return added

    @staticmethod
    def _mail_inputs(automation: dict[str, Any], message: MailInfo) -> dict[str, Any] | None:
        """A robot's inputs read in the message (a message or mail action reads it when composing)."""
        if automation["action"] != "robot":
            return None
        spec = RobotSpec.model_validate(automation["robot_spec"])
        return extract_inputs(spec, automation["inputs"], message, automation["mailbox"])

    # --- schedules -----------------------------------------------------------------------------

    def late_after(self) -> timedelta:
        """How late a slot may be found and still count as on time (not a catch-up)."""
        return timedelta(seconds=max(300.0, 3 * self._settings.schedule_seconds))

    async def fire_due(self) -> int:
        """One round over the active schedules: each due slot fires once; how many fired."""
        fired = 0
        now = self.clock()
        for automation in await repository.list_all(self._pool, kind="schedule", status="active"):
            cron = Cron.parse(automation["cron"], self._settings.timezone)
            since = automation["last_slot"] or automation["decided_at"] or automation["created_at"]
            slot = cron.latest_at_or_before(now, since)
            if slot is None:
                continue
            late = now - slot > self.late_after()
            skip = late and not automation["catch_up"]
            wall = cron.wall_clock(slot)
            record: dict[str, Any] = {"inputs": self._slot_inputs(automation, slot, cron)}
            if skip:
                detail = MESSAGES("automations.firing.slot_skipped", slot=wall)
                record |= {"status": "ignored", "finished": True, "detail": detail}
            elif late:
                record["detail"] = MESSAGES("automations.firing.slot_caught_up", slot=wall)
            async with self._pool.connection() as conn, conn.transaction():
                if not await repository.claim_slot(conn, automation["id"], slot, automation["last_slot"]):
                    continue  # another round had it
                firing = await repository.add_firing(conn, automation["id"], wall, "schedule", record)
                if firing is not None and not skip:
                    await enqueue(conn, FIRE, {"firing_id": firing}, key=f"{FIRE}:{firing}")
                    fired += 1
        return fired

    def _slot_inputs(self, automation: dict[str, Any], slot: datetime, cron: Cron) -> dict[str, Any]:
        if automation["action"] != "robot":  # a message or a mail tells which slot it is for
            return {"creneau": slot_label(slot, self._settings.timezone)}
        spec = RobotSpec.model_validate(automation["robot_spec"])
        inputs = dict(automation["inputs"])
        for name, schema in spec.input_schema.get("properties", {}).items():
            if name not in inputs and isinstance(schema, dict) and schema.get("format") == "date":
                inputs[name] = slot.astimezone(cron.zone).date().isoformat()
        return inputs

    async def run_now(self, automation_id: str, key: str) -> str | None:
        """Fire a schedule at once (`run-now`); the firing's id, None if `key` already fired."""
        automation = await repository.get(self._pool, automation_id)
        assert automation is not None
        cron = Cron.parse(automation["cron"], self._settings.timezone)
        record = {
            "inputs": self._slot_inputs(automation, self.clock(), cron),
            "detail": MESSAGES("automations.firing.run_now"),
        }
        async with self._pool.connection() as conn, conn.transaction():
            firing = await repository.add_firing(conn, automation_id, key, "manual", record)
            if firing is not None:
                await enqueue(conn, FIRE, {"firing_id": firing}, key=f"{FIRE}:{firing}")
        return firing

    # --- firing --------------------------------------------------------------------------------

    async def fire(self, item: WorkItem) -> dict[str, Any]:
        """Ask for the robot's launch on behalf of the owner (once per firing, even run again)."""
        firing = await repository.get_firing(self._pool, item.payload["firing_id"])
        if firing is None or firing["finished_at"] is not None:
            return {"status": "nothing"}
        automation = await repository.get(self._pool, firing["automation_id"])
        if automation is None:
            return {"status": "nothing"}
        attributes = {
            "ariane.automation.id": automation["id"],
            "ariane.automation.firing": firing["id"],
            "ariane.user.id": automation["owner_id"],  # on behalf of its owner; the trigger is the actor
            "ariane.robot.id": automation["robot_id"],
        }
        if automation["action"] != "robot":
            with tracer.start_as_current_span("automation.deliver", attributes=attributes):
                return await self._deliver(automation, firing)
        with tracer.start_as_current_span("automation.fire", attributes=attributes) as span:
            firing = await self._read_with_model(automation, firing)
            approval_id = firing["approval_id"] or await self._ask(automation, firing)
            span.set_attribute("ariane.approval.id", approval_id)
        if firing["approval_id"] is None and self.auditor is not None:  # the request run, in the trail
            await self._audit_request(automation, firing, approval_id)
        if automation["kind"] == "schedule":
            await self._decide(automation, approval_id)
            detail = stored_detail(firing) or MESSAGES("automations.firing.robot_started")
            await repository.set_firing(self._pool, firing["id"], "running", detail, approval_id=approval_id)
        else:
            await repository.set_firing(self._pool, firing["id"], "awaiting_approval",
                                        MESSAGES("automations.firing.awaiting_approval"),
                                        approval_id=approval_id)  # fmt: skip
            await self._notify_approvers(automation, firing, approval_id)
        return {"approval_id": approval_id}

    async def _deliver(self, automation: dict[str, Any], firing: dict[str, Any]) -> dict[str, Any]:
        """A message in the owner's conversation, or a mail to the `notify` addresses: once per firing."""
        if automation["status"] != "active":
            detail = MESSAGES("automations.firing.nothing_sent")
            await repository.set_firing(self._pool, firing["id"], "failed", detail, finished=True)
            raise WorkFailure("automation_refused", str(detail))
        sender, timezone = self._settings.sender, self._settings.timezone
        outcome = outcome_of(automation, firing, sender, timezone)
        if self.auditor is not None:  # in the trail before anyone reads it
            await self.auditor.record_run(
                message_start(automation, firing, sender, timezone), outcome, CONTENT
            )
        if automation["action"] == "mail":
            if self._mail is None:
                raise WorkFailure(
                    "mail_unavailable", "La messagerie n'est pas configurée : rien n'est envoyé."
                )
            for mail in outcome["mails"]:
                await self._mail.send_once(Outgoing(**mail))  # M365Error: the item is retried later
            sent = MESSAGES("automations.firing.mail_sent", to=", ".join(automation["notify"]))
            await repository.set_firing(self._pool, firing["id"], "succeeded", sent, finished=True)
            return {"status": "sent"}
        async with self._pool.connection() as conn, conn.transaction():
            thread_id = await repository.own_thread(conn, automation["id"])
            if thread_id is None:  # the first message, or the owner deleted the conversation
                thread_id = await chat.open_thread(conn, automation["owner_id"], chat_title(automation))
                await repository.set_thread(conn, automation["id"], thread_id)
            await chat.post_answer(conn, firing["id"], thread_id, automation["owner_id"],
                                   chat_request(automation), CHAT_WORKFLOW, outcome["answer"])  # fmt: skip
            posted = MESSAGES("automations.firing.posted", title=chat_title(automation))
            await repository.close_firing(conn, firing["id"], "succeeded", posted)
        return {"status": "posted", "thread_id": thread_id}

    async def _read_with_model(self, automation: dict[str, Any], firing: dict[str, Any]) -> dict[str, Any]:
        """The model's reading of the mail, where the automation names a model.

        Once per firing, kept before the approval is asked; the rules' reading stands for what the
        model does not give.
        """
        model = automation["model"]
        if not model or not firing["message"] or firing["extraction"] is not None or firing["approval_id"]:
            return firing
        spec = RobotSpec.model_validate(automation["robot_spec"])
        inputs = dict(firing["inputs"] or {})
        prompt = reading_prompt(spec, firing["message"])
        extraction = await self._ask_model(model, prompt, f"automation-reading:{firing['id']}")
        if "answer" in extraction:
            inputs, report = merged_inputs(
                spec, inputs, automation["inputs"], extraction["answer"], firing["message"]
            )
            extraction |= report
        await repository.set_extraction(self._pool, firing["id"], inputs, extraction)
        return firing | {"inputs": inputs, "extraction": extraction}

    async def _ask_model(self, model: str, messages: list[dict[str, str]], key: str) -> dict[str, Any]:
        """`{model, answer}`, or `{model, error}` when no key is configured or the gateway says no."""
        if self.reader is None:
            return {
                "model": model,
                "error": "aucune clé de passerelle n'est configurée pour les automatisations",
            }
        with tracer.start_as_current_span("automation.model", attributes={"gen_ai.request.model": model}):
            try:
                return {"model": model, "answer": await self.reader.complete(model, messages, key)}
            except ReadingUnavailableError as exc:
                return {"model": model, "error": str(exc)}

    async def _interpreted(
        self, automation: dict[str, Any], firing: dict[str, Any], status: str, report: str
    ) -> dict[str, Any]:
        """A schedule's model interprets the robot's report, once per firing, before anyone is told."""
        model = automation["model"]
        if not model or automation["kind"] != "schedule" or status != "succeeded" or not report:
            return firing
        if firing["interpretation"] is not None:
            return firing
        spec = RobotSpec.model_validate(automation["robot_spec"])
        prompt = interpretation_prompt(spec.name, report)
        interpretation = await self._ask_model(model, prompt, f"automation-interpretation:{firing['id']}")
        await repository.set_interpretation(self._pool, firing["id"], interpretation)
        return firing | {"interpretation": interpretation}

    async def _ask(self, automation: dict[str, Any], firing: dict[str, Any]) -> str:
        spec = await catalogue.get_robot(self._pool, automation["robot_id"])  # its version in force
        assert spec is not None  # the automation's foreign key keeps the robot
        inputs = firing["inputs"] or {}
        problems: list[Text] = input_problems(spec, inputs)
        if not spec.requesters.admits(list(automation["owner_roles"]), automation["owner_service"]):
            problems.append(MESSAGES("automations.firing.owner_may_not", owner=automation["owner_name"]))
        if automation["status"] != "active":
            problems.append(MESSAGES("automations.firing.not_active"))
        if problems:
            detail = MESSAGES("automations.firing.refused", problems=problems)
            await repository.set_firing(self._pool, firing["id"], "failed", detail, finished=True)
            raise WorkFailure("automation_refused", str(detail))
        key = f"automation:{firing['id']}"
        found = await robots.approval_by_checkpoint(self._pool, key)
        if found is not None:  # recorded by an attempt that died before noting it on the firing
            return found
        return await robots.create_approval(self._pool, {
            "robot_id": spec.id, "robot_version": spec.version,
            "robot_digest": definition_digest(spec), "run_id": None, "thread_id": None,
            "checkpoint_key": key, "requester_id": automation["owner_id"], "inputs": inputs,
            "digest": inputs_digest(spec.id, inputs), "ttl_minutes": self._ttl,
        })  # fmt: skip

    async def _decide(self, automation: dict[str, Any], approval_id: str) -> None:
        """A schedule's launch is approved by the automation's approval (the robot's approver who gave it)."""
        spec = RobotSpec.model_validate(automation["robot_spec"])
        reason = str(MESSAGES("automations.schedule_approved", name=automation["name"]))  # French, kept
        _, job_id = await robots.decide(
            self._pool,
            approval_id,
            "approved",
            automation["approver_id"],
            reason,
            spec.runner.value,
            MESSAGES("robots.job.scheduled"),
        )
        if job_id is not None:
            await enqueue_job(self._pool, job_id)  # the robots' sweep queues it if this process dies here

    async def _notify_approvers(
        self, automation: dict[str, Any], firing: dict[str, Any], approval_id: str
    ) -> None:
        if self._mail is None:
            return
        to = await self._approvers(automation)
        if to:
            await self._mail.send_once(
                approval_notice(self._settings.sender, automation, firing, approval_id, to)
            )

    async def _approvers(self, automation: dict[str, Any]) -> list[str]:
        spec = RobotSpec.model_validate(automation["robot_spec"])
        return list(await self._names.addresses(spec, automation["owner_id"]))

    # --- outcomes ------------------------------------------------------------------------------

    async def follow(self) -> int:
        """Report the firings whose approval was refused or whose job ended; how many were closed."""
        closed = 0
        for firing in await repository.open_firings(self._pool):
            status = outcome_status(firing)
            if status is None:
                continue
            automation = await repository.get(self._pool, firing["automation_id"])
            if automation is None:
                continue
            job = await robots.get_job(self._pool, firing["job_id"]) if firing["job_id"] else None
            detail = outcome_detail(status, job)
            report = await self._report(job)
            firing = await self._interpreted(automation, firing, status, report)
            mails = outcome_mail(self._settings.sender, automation, firing, job, str(detail), report)
            if firing["status"] != status or firing["detail"] != str(detail):
                if self.auditor is not None:  # the resumed run in the trail before anyone is told
                    await self._audit(automation, firing, job, status, str(detail), report, mails)
                # The history says what came of it before anyone is told: whoever reads the reply
                # and opens the history finds the outcome there (the firing stays open until told).
                await repository.set_firing(self._pool, firing["id"], status, detail)
            if self._mail is not None:
                for mail in mails:
                    try:
                        await self._mail.send_once(mail)
                    except M365Error as exc:  # told at the next round
                        logger.warning("automation %s: outcome mail not sent: %s", automation["id"], exc)
                        break
                else:
                    await repository.set_firing(
                        self._pool, firing["id"], status, detail, finished=True, replied=True
                    )
                    closed += 1
                continue
            await repository.set_firing(self._pool, firing["id"], status, detail, finished=True)
            closed += 1
        return closed

    async def _audit(self, automation: dict[str, Any], firing: dict[str, Any], job: dict[str, Any] | None,
                     status: str, detail: str, report: str, mails: list[Outgoing]) -> None:  # fmt: skip
        assert self.auditor is not None
        approval = await robots.get_approval(self._pool, firing["approval_id"])
        assert approval is not None  # an outcome comes from the firing's approval or its job
        outcome = outcome_record(status, detail, mails)
        launch = automation_launch(automation, firing, approval, job, self._settings.sender, report, outcome)
        await self.auditor.record(launch)

    async def _audit_request(
        self, automation: dict[str, Any], firing: dict[str, Any], approval_id: str
    ) -> None:
        """The firing's request run: what fired it, the inputs read, the approval asked, the notice."""
        assert self.auditor is not None
        approval = await robots.get_approval(self._pool, approval_id)
        assert approval is not None
        to = await self._approvers(automation) if automation["kind"] == "mail" else []
        notice = approval_notice(self._settings.sender, automation, firing, approval_id, to)
        sender = self._settings.sender
        await self.auditor.record(automation_request(automation, firing, approval, sender, notice))

    async def _report(self, job: dict[str, Any] | None) -> str:
        """The readable reports (Markdown) the job produced: the ranked findings and their reasons."""
        texts = []
        for name in (job or {}).get("artifacts") or []:
            if name.endswith(".md"):
                content = await robots.read_artifact(self._pool, job["id"], name) if job else None
                if content:
                    texts.append(content.decode("utf-8", errors="replace"))
        return "\n\n".join(texts)

    async def schedules_round(self) -> None:
        """The periodic task `automations.schedules`: due slots, then outcomes."""
        await self.fire_due()
        await self.follow()

    async def mail_round(self) -> None:
        """The periodic task `automations.mail`."""
        await self.poll_mailboxes()


def outcome_status(firing: dict[str, Any]) -> str | None:
    """What a firing came to (`rejected`, `succeeded`, `failed`), None while it goes on."""
    if firing["approval_status"] in {"rejected", "expired"}:
        return "rejected"
    if firing["job_status"] in {"succeeded", "failed"}:
        return str(firing["job_status"])
    return None


def outcome_detail(status: str, job: dict[str, Any] | None) -> Text:
    """The firing's outcome in words (history in the reader's language; mails in French)."""
    if status == "rejected":
        return MESSAGES("automations.firing.rejected")
    if status == "succeeded":
        return MESSAGES("automations.firing.succeeded")
    return MESSAGES("automations.firing.failed", error=failure_of(job.get("error") if job else None)
                    or MESSAGES("robot.failure"))  # fmt: skip


def stored_detail(firing: dict[str, Any]) -> str | Text:
    """The detail a firing was given when it was recorded (a catch-up, a manual run), as it was stored."""
    return MESSAGES.restore(firing["detail_text"]) or firing["detail"]


def register_automations(work: WorkRegistry, runner: AutomationRunner, settings: AutomationsSettings) -> None:
    """This process fires automations (`ariane worker`, `ariane up`)."""

    async def fire(item: WorkItem) -> dict[str, Any]:
        return await runner.fire(item)

    work.add_kind(WorkKind(FIRE, fire, rerun_safe=True))
    work.add_kind(WorkKind(POLL, runner.poll_one, rerun_safe=True))  # a poll again is harmless
    work.add_kind(WorkKind(SUBSCRIPTION, runner.subscriptions.handle, rerun_safe=True))
    if settings.enabled:
        work.add_periodic(PeriodicTask("automations.mail", settings.poll_seconds, runner.mail_round))
        work.add_periodic(
            PeriodicTask(
                "automations.subscriptions", settings.subscription_seconds, runner.subscriptions.round
            )
        )
        work.add_periodic(
            PeriodicTask("automations.schedules", settings.schedule_seconds, runner.schedules_round)
        )
