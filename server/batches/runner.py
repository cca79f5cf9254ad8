"""Running a batch: rows claimed one by one from PostgreSQL, sent concurrently, each ended once.

`BatchRunner.run(batch_id)` is safe to call again at any time, in any process (it is the handler of
the `batch.run` work items): it first takes the batch's lease (one holder at a time; a dead holder's
lease expires, or is taken over with its work item), then finishes what a previous holder left — a
row claimed but never ended is finished from its answer in the audit trail when one was recorded,
else sent again under the same idempotency key —, then claims rows until none is due.
Each row is claimed (`sending`, committed) before its call and ended (`done`, `refused`, `failed`)
after its records are stored: a row that ended is never sent again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx

from agents.recording import RecordingFailedError
from server.auth.schemas import User
from server.batches import repository, run_repository
from server.batches.policy import CatalogueSource, NameSource, check_row
from server.batches.prompting import LetterTemplate, answer_text, chat_request
from server.batches.recording import BatchAuditor, in_batch_trace
from server.batches.sending import Outcome, Pace, RowSender, SessionExpiredError
from server.errors import ApiError
from server.gateway.policy import DataClass
from server.messages import MESSAGES
from server.registry.sealing import SecretBox
from tools.database import Pool
from tools.i18n import Language, as_language

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunnerConfig:
    """How rows are sent."""

    base_url: str
    transport: httpx.AsyncBaseTransport | None = None
    max_attempts: int = 3
    backoff_seconds: float = 2.0
    lease_seconds: float = 30.0
    timeout_seconds: float = 120.0


@dataclass
class _Run:
    batch: dict[str, Any]
    user: User
    template: LetterTemplate
    sender: RowSender | None
    pace: Pace
    stop: asyncio.Event
    reason: str | None = None

    @property
    def language(self) -> Language:
        """The batch's language: its creator's, French for batches created before it was kept."""
        return as_language(self.batch["language"])


class BatchRunner:
    """Runs batches in this process (built once by the app's lifespan, or by a worker)."""

    def __init__(
        self,
        pool: Pool,
        secrets: SecretBox,
        authenticate: Callable[[str], Awaitable[User]],
        catalogue: CatalogueSource,
        auditor: BatchAuditor | None,
        config: RunnerConfig,
        names: NameSource = lambda: None,
    ) -> None:
        self.pool = pool
        self.names = names
        self.secrets = secrets
        self.authenticate = authenticate
        self.catalogue = catalogue
        self.auditor = auditor
        self.config = config
        self.name = f"batch-runner:{uuid.uuid4()}"
        self._inner = config.transport or httpx.AsyncHTTPTransport(limits=httpx.Limits(max_connections=256))
        self._client = httpx.AsyncClient(transport=self._inner, timeout=httpx.Timeout(config.timeout_seconds))

    async def close(self) -> None:
        """Close the HTTP connections."""
        await self._client.aclose()

    async def run(self, batch_id: str, take_over: bool = False) -> str | None:
        """Run the batch until it ends, pauses or is taken elsewhere; its status then (None: not run).

        `take_over`: its previous holder is known dead (its work item was taken over): take its lease.
        """
        batch = await run_repository.take_lease(
            self.pool, batch_id, self.name, self.config.lease_seconds, take_over
        )
        if batch is None:
            return None
        if self.auditor is not None:
            self.auditor.attach(batch_id, {"id": batch["owner_id"]})
        try:
            run = await self._prepare(batch)
            if run is None:
                return await self._status(batch_id)
            heartbeat = asyncio.create_task(self._heartbeat(run))
            try:
                await self._recover(run)
                # Twice as many workers as calls in flight: a worker claims its row, or stores its end
                # (the audit write included), while others wait for the model; the pace bounds the calls.
                count = 2 * run.pace.limit + 2
                workers = [asyncio.create_task(self._work(run)) for _ in range(count)]
                await asyncio.gather(*workers)
            finally:
                heartbeat.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await heartbeat
            await self._conclude(run)
        finally:
            if self.auditor is not None:
                self.auditor.detach(batch_id)
            await run_repository.release_lease(self.pool, batch_id, self.name)
        return await self._status(batch_id)

    async def _status(self, batch_id: str) -> str | None:
        found = await repository.get_batch(self.pool, batch_id)
        return str(found["status"]) if found else None

    async def _prepare(self, batch: dict[str, Any]) -> _Run | None:
        batch_id = batch["id"]
        try:
            token = str(self.secrets.open(batch["token_sealed"]).get("token", ""))
            user = await self.authenticate(token)
        except (ApiError, ValueError):
            expired = MESSAGES("batches.session_expired").render(as_language(batch["language"]))
            await repository.set_status(self.pool, batch_id, "paused", expected=("running",), error=expired)
            return None
        keys = [column["key"] for column in batch["columns"]]
        template = LetterTemplate.of(batch["instruction"], batch["body"], keys)
        sender = None
        if batch["mode"] == "model":
            sender = RowSender(
                self._client,
                self._inner,
                f"{self.config.base_url.rstrip('/')}/v1",
                token,
                batch["data_class"],
                self.config.max_attempts,
                self.config.backoff_seconds,
                as_language(batch["language"]),
            )
        return _Run(batch, user, template, sender, Pace(int(batch["concurrency"])), asyncio.Event())

    async def _heartbeat(self, run: _Run) -> None:
        batch_id = run.batch["id"]
        while not run.stop.is_set():
            await asyncio.sleep(self.config.lease_seconds / 3)
            status = await run_repository.renew_lease(
                self.pool, batch_id, self.name, self.config.lease_seconds
            )
            if status != "running":  # paused, cancelled, or the lease was lost
                run.stop.set()

    async def _recover(self, run: _Run) -> None:
        batch_id = run.batch["id"]
        left = await run_repository.interrupted_rows(self.pool, batch_id, self.name)
        if not left:
            return
        answers = _answers(await run_repository.recorded_answers(self.pool, batch_id))
        for row in left:
            number = int(row["number"])
            if number in answers:
                await run_repository.adopt(self.pool, batch_id, number, self.name)
                output, model = answers[number]
                await self._end(
                    run, number, row["values"], {"status": "done", "output": output, "model_used": model}
                )
            else:
                await run_repository.requeue(self.pool, batch_id, number)

    async def _work(self, run: _Run) -> None:
        batch_id = run.batch["id"]
        while not run.stop.is_set():
            row = await run_repository.claim(self.pool, batch_id, self.name)
            if row is None:
                pending, sending, due = await run_repository.next_due(self.pool, batch_id)
                if not pending and not sending:
                    return
                await _sleep(run.stop, _until(due) if pending else 0.1)
                continue
            try:
                await self._row(run, int(row["number"]), row["values"], int(row["attempts"]))
            except SessionExpiredError:
                await run_repository.requeue(self.pool, batch_id, int(row["number"]))
                await self._pause(run, MESSAGES("batches.session_expired").render(run.language))
            except RecordingFailedError as exc:
                await run_repository.requeue(self.pool, batch_id, int(row["number"]))
                await self._fail(run, MESSAGES("batches.audit_down", reason=exc).render(run.language))

    async def _row(self, run: _Run, number: int, values: dict[str, str], attempt: int) -> None:
        batch, template = run.batch, run.template
        if run.sender is None:  # mail-merge: the skeleton filled in, no model
            await self._end(run, number, values, {"status": "done", "output": template.merge(values)})
            return
        request = chat_request(template, values, batch["model"], batch["temperature"], batch["max_tokens"])
        catalogue = await self.catalogue()
        declared = DataClass(batch["data_class"])
        check = check_row(catalogue, run.user, batch["model"], declared, request, self.names())
        found = {
            "data_class": check.classification.data_class.value,
            "findings": [f.value for f in check.classification.findings],
        }
        if check.refusal is not None:
            said = check.refusal.render(run.language)  # as the gateway would say it to the batch's creator
            refusal = {"status": "refused", "error_code": check.refusal.code, "error": said}
            await self._end(run, number, values, refusal | found)
            return
        recorder = _RowRecorder(self.auditor, batch["id"], number, template.used(values))
        mark = self.auditor.mark() if self.auditor else 0
        async with run.pace:
            if run.stop.is_set():  # paused or cancelled while waiting for a place: not sent
                await run_repository.requeue(self.pool, batch["id"], number)
                return
            with in_batch_trace(batch["id"]):
                outcome = await run.sender.send(f"{batch['id']}:{number}", request, attempt, recorder)
        if outcome.status == "retry":
            await self._retry(run, number, outcome)
            return
        run.pace.succeeded()
        # The call's record and the row's end are stored (one write) before the row ends.
        await self._end(run, number, values, _result(outcome) | found, since=mark)

    async def _retry(self, run: _Run, number: int, outcome: Outcome) -> None:
        batch_id = run.batch["id"]
        if not outcome.counts_attempt:  # a 429: the gateway asks to wait
            run.pace.slow_down(outcome.delay)
            await run_repository.set_waiting(
                self.pool, batch_id, datetime.now().astimezone() + timedelta(seconds=outcome.delay)
            )
        await run_repository.retry_row(
            self.pool,
            batch_id,
            number,
            self.name,
            outcome.delay,
            count_attempt=outcome.counts_attempt,
            error=outcome.error or "",
        )

    async def _end(
        self, run: _Run, number: int, values: dict[str, str], result: dict[str, Any], since: int | None = None
    ) -> None:
        batch_id = run.batch["id"]
        if self.auditor is not None:
            mark = self.auditor.mark() if since is None else since
            self.auditor.row(batch_id, number, result, run.template.used(values))
            await self.auditor.flush(mark)
        await run_repository.finish_row(self.pool, batch_id, number, self.name, result)

    async def _pause(self, run: _Run, reason: str) -> None:
        run.stop.set()
        await repository.set_status(self.pool, run.batch["id"], "paused", expected=("running",), error=reason)

    async def _fail(self, run: _Run, reason: str) -> None:
        run.stop.set()
        run.reason = reason
        await repository.set_status(self.pool, run.batch["id"], "failed", expected=("running",), error=reason)

    async def _conclude(self, run: _Run) -> None:
        batch_id = run.batch["id"]
        status = await self._status(batch_id)
        if status == "running":
            pending, sending, _ = await run_repository.next_due(self.pool, batch_id)
            if pending or sending:
                return  # the lease was lost: its new holder goes on
            if not await repository.set_status(self.pool, batch_id, "completed", expected=("running",)):
                return
            status = "completed"
        elif status == "cancelled":
            await repository.cancel_rows(self.pool, batch_id)
        else:
            return
        await run_repository.set_waiting(self.pool, batch_id, None)
        if self.auditor is not None:
            counts = await repository.counts(self.pool, batch_id)
            mark = self.auditor.mark()
            models = [run.batch["model"]] if run.batch["mode"] == "model" and run.batch["model"] else []
            summary = {"rows": counts, "models": models, "refusals": counts.get("refused", 0)}
            self.auditor.end(batch_id, status, summary, run.reason)
            with contextlib.suppress(RecordingFailedError):
                await self.auditor.flush(mark)


class _RowRecorder:
    """The `RunRecorder` of one row's call: its model call goes to the batch's trail."""

    def __init__(self, auditor: BatchAuditor | None, batch_id: str, number: int, values: dict[str, str]):
        self._auditor, self._batch, self._number, self._values = auditor, batch_id, number, values

    def record(self, kind: str, data: dict[str, Any]) -> None:
        if self._auditor is not None and kind == "model_call":
            self._auditor.model_call(self._batch, self._number, self._values, data)

    async def seal(self, outcome: dict[str, Any]) -> None:
        return None


def _result(outcome: Outcome) -> dict[str, Any]:
    return {
        "status": outcome.status,
        "output": outcome.output,
        "model_used": outcome.model_used,
        "error_code": outcome.error_code,
        "error": outcome.error,
    }


def _answers(bodies: list[str]) -> dict[int, tuple[str, str | None]]:
    """Row number → (letter, model) of each recorded successful answer."""
    found: dict[int, tuple[str, str | None]] = {}
    for text in bodies:
        body = json.loads(text)
        response = body.get("response") or {}
        if not body.get("captured") or response.get("status") != 200:
            continue
        try:
            payload = json.loads(response.get("body") or "")
            found[int(body["row"])] = (answer_text(payload), payload.get("model"))
        except (ValueError, KeyError):
            continue
    return found


def _until(due: datetime | None) -> float:
    if due is None:
        return 0.2
    return min(max((due - datetime.now(due.tzinfo)).total_seconds(), 0.05), 1.0)


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
