"""Drift: evaluation runs of the configuration in service, what changed before each, and alerts.

An evaluation run is asked for on a schedule (nightly by default) and whenever what an assistant's
answers depend on changes: the model policy (and with it the model catalogue), an assistant's
version, a knowledge collection. Changes are found by comparing a fingerprint of these with the one
the last evaluation saw, so that any replica, any path of change (API, script, migration) triggers
it, and a burst of edits gives one run. The evaluation itself runs the suites of `evals` as a
program (`python -m evals.live`): the server never imports the evaluations.

A score below its floor, or dropping by more than the margin since the previous run, opens one
alert per system, suite and score (never one per run); it closes when the score recovers.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import sys
from dataclasses import dataclass
from typing import Any, Protocol

from psycopg.types.json import Jsonb

from server.assistants import repository as assistants_repository
from server.governance import alerting, drift_repository, repository
from server.governance.schemas import Sheet
from server.governance.service import builtin_sheet
from server.governance.settings import GovernanceSettings
from server.messages import MESSAGES
from server.work import enqueue
from tools.database import Pool
from tools.i18n import Text

logger = logging.getLogger(__name__)
STATE_SYSTEM = "*"


@dataclass(frozen=True)
class SuiteResult:
    """The mean scores of one suite (and split) for one assistant."""

    suite: str
    assistant: str
    split: str
    cases: int
    scores: dict[str, float]


class Evaluator(Protocol):
    """Runs the evaluation suites against the configuration in service."""

    async def __call__(self) -> list[SuiteResult]:
        """The results of every live suite.

        Raises:
            EvaluationError: the suites could not run.
        """
        ...


class EvaluationError(Exception):
    """The evaluation could not run (the run is recorded as failed, with this message).

    `detail` is a catalogue text, or the evaluation program's own words (its last line of errors).
    """

    def __init__(self, detail: str | Text) -> None:
        super().__init__(str(detail))
        self.detail = detail


class ProgramEvaluator:
    """`python -m evals.live --url <this Ariane>` in a subprocess, bounded in time."""

    def __init__(self, url: str, timeout_seconds: float, args: tuple[str, ...] = ()) -> None:
        """`args` adds options of `evals.live` (which embedded tenant mints its tokens)."""
        self._url = url
        self._timeout = timeout_seconds
        self._args = args

    async def __call__(self) -> list[SuiteResult]:
        """Run the program and read its JSON."""
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "evals.live", "--url", self._url, *self._args,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            out, err = await asyncio.wait_for(process.communicate(), self._timeout)
        except TimeoutError as exc:
            process.kill()
            await process.wait()
            raise EvaluationError(
                MESSAGES("governance.eval.timeout", seconds=f"{self._timeout:.0f}")
            ) from exc
        if process.returncode != 0:
            lines = err.decode(errors="replace").strip().splitlines()
            raise EvaluationError(
                lines[-1] if lines else MESSAGES("governance.eval.exit_code", code=process.returncode)
            )
        return [SuiteResult(**item) for item in json.loads(out)]


async def fingerprint(pool: Pool) -> dict[str, Any]:
    """What the answers depend on, now: policy version, assistants' versions, knowledge collections."""
    policy, assistants, knowledge = await drift_repository.dependencies(pool)
    return {
        "policy": policy,
        "assistants": {row["id"]: row["current_version"] for row in assistants},
        "knowledge": {
            row["collection"]: f"{row['documents']}:{row['indexed']}:"
            + hashlib.sha256(str(row["contents"]).encode()).hexdigest()[:12]
            for row in knowledge
        },
    }


def what_changed(before: dict[str, Any] | None, now: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The reason and the change between two fingerprints (None when nothing changed)."""
    if before is None:
        return "initial", {}
    change: dict[str, Any] = {}
    if before.get("policy") != now["policy"]:
        change["policy"] = [before.get("policy"), now["policy"]]
    assistants = {
        name: [before.get("assistants", {}).get(name), version]
        for name, version in now["assistants"].items()
        if before.get("assistants", {}).get(name) != version
    }
    if assistants:
        change["assistants"] = assistants
    collections = sorted(
        name
        for name in set(now["knowledge"]) | set(before.get("knowledge", {}))
        if now["knowledge"].get(name) != before.get("knowledge", {}).get(name)
    )
    if collections:
        change["knowledge"] = collections
    if not change:
        return None
    reason = "policy" if "policy" in change else "assistant" if "assistants" in change else "knowledge"
    return reason, change


class DriftService:
    """Evaluation runs and their alerts; one per process that does background work."""

    def __init__(self, pool: Pool, settings: GovernanceSettings, evaluator: Evaluator) -> None:
        self._pool = pool
        self._settings = settings
        self.evaluator = evaluator

    async def pending_change(self) -> tuple[str, dict[str, Any]] | None:
        """What changed since the last evaluation (with the new fingerprint), if anything."""
        now = await fingerprint(self._pool)
        found = what_changed(await self._last_state(), now)
        if found is None:
            return None
        reason, change = found
        return reason, {**change, "state": now}

    async def _last_state(self) -> dict[str, Any] | None:
        rows = await repository.events(self._pool, STATE_SYSTEM, limit=1)
        return dict(rows[0]["detail"]) if rows else None

    async def evaluate(self, reason: str, change: dict[str, Any]) -> list[str]:
        """Run the suites, store one result per suite and assistant, raise or close alerts; run ids."""
        change = dict(change)  # the caller's (a work item's payload) stays as it was
        state = change.pop("state", None) or await fingerprint(self._pool)
        await repository.add_event(self._pool, STATE_SYSTEM, "ariane", "state", state)
        try:
            results = await self.evaluator()
        except EvaluationError as exc:
            run_id = await drift_repository.start_run(self._pool, "*", "*", "", reason, change)
            await drift_repository.finish_run(self._pool, run_id, 0, {}, exc.detail)
            logger.warning("evaluation failed: %s", exc)
            return [run_id]
        ids = []
        for result in results:
            run_id = await drift_repository.start_run(
                self._pool, result.suite, result.assistant, result.split, reason, change
            )
            await drift_repository.finish_run(self._pool, run_id, result.cases, result.scores, None)
            await self._check(run_id, result)
            ids.append(run_id)
        return ids

    async def _check(self, run_id: str, result: SuiteResult) -> None:
        system_id = f"assistant:{result.assistant}"
        saved = (await repository.sheets(self._pool)).get(system_id)
        shipped = builtin_sheet(system_id)
        sheet = Sheet.model_validate(saved) if saved else shipped
        # A sheet saved before owners had an address keeps the shipped owner's while the owner is his.
        owner_email = sheet.owner_email or (shipped.owner_email if sheet.owner == shipped.owner else "")
        previous = await drift_repository.previous_scores(self._pool, result.suite, result.assistant, run_id)
        for scorer, value in result.scores.items():
            floor = sheet.score_floors.get(scorer, self._settings.score_floor)
            before = (previous or {}).get(scorer)
            kind = None
            if value < floor:
                kind = "below_floor"
            elif before is not None and before - value > self._settings.drop_margin:
                kind = "drop"
            key = f"{result.suite}/{result.split}" if result.split else result.suite
            if kind is None:
                if await drift_repository.close_alert(self._pool, system_id, key, scorer):
                    summary = MESSAGES(
                        "governance.alert.recovered", scorer=scorer, suite=key, value=f"{value:.2f}"
                    )
                    await repository.add_event(
                        self._pool, system_id, "ariane", "alert_closed", _said(summary)
                    )
                continue
            alert = {
                "system_id": system_id, "suite": key, "scorer": scorer, "kind": kind, "value": value,
                "previous": before, "floor": floor, "run_id": run_id,
                "recipients": await alerting.recipients(self._pool, sheet.owner, owner_email),
            }  # fmt: skip
            alert_id = await drift_repository.open_alert(self._pool, alert)
            if alert_id is not None:
                await self._deliver(alert_id, result.assistant)
                numbers = {"value": f"{value:.2f}", "floor": f"{floor:.2f}", "before": f"{before or 0:.2f}"}
                summary = (
                    MESSAGES("governance.alert.below_floor", scorer=scorer, suite=key, **numbers)
                    if kind == "below_floor"
                    else MESSAGES("governance.alert.drop", scorer=scorer, suite=key, **numbers)
                )
                await repository.add_event(
                    self._pool, system_id, "ariane", "alert", _said(summary) | _json(alert)
                )

    async def _deliver(self, alert_id: str, assistant: str) -> None:
        """Queue the alert's mail (once per alert, whoever queues it)."""
        found = await assistants_repository.get_current(self._pool, assistant)
        name = str(found["name"]) if found else assistant
        payload = {"alert": alert_id, "system_name": name}
        await enqueue(self._pool, alerting.ALERT_MAIL, payload, key=f"alert-mail:{alert_id}")


def _said(summary: Text) -> dict[str, Any]:
    """An event's summary: in French (as the previous release shows it) and by id for the reader."""
    return {"summary": str(summary), "summary_text": summary.stored()}


def _json(alert: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in alert.items() if not isinstance(value, Jsonb)}
