"""Audit use cases: runs list and detail, verification, replay, exports; auditor access is recorded.

Who sees what: a user with the `auditor` role sees every run, and each of their reads is itself
recorded in the store (fail closed: no record, no access). Anyone else sees their own runs only
(another's run answers 404, as if it did not exist); verifying the whole store needs `auditor`.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import format_trace_id

from server.audit import repository
from server.audit.anchors import AnchorBook
from server.audit.export import evidence_bundle, otlp_json
from server.audit.replay import RecordedRun, Replayer
from server.audit.schemas import RunFilters, RunSummary
from server.audit.verify import Report, verify_store, verify_trace
from server.audit.writer import AuditUnavailableError, AuditWriter, Pending
from server.auth.roles import Role
from server.auth.schemas import User
from server.errors import ForbiddenError, NotFoundError, ServiceUnavailableError
from server.messages import MESSAGES
from tools.database import Pool, is_uuid

_BIG = 4000
_LAUNCH = ("actor", "approval", "robot", "inputs", "digest", "job", "origin")


@dataclass(frozen=True)
class AuditService:
    """Built once by the lifespan."""

    pool: Pool
    writer: AuditWriter
    book: AnchorBook
    replayer: Replayer

    async def runs(self, user: User, filters: RunFilters) -> list[RunSummary]:
        """Runs the user may see, newest first."""
        auditor = _is_auditor(user)
        if auditor:
            await self.access(user, "list_runs", None, filters.model_dump(mode="json", exclude_defaults=True))
        rows = await repository.list_runs(
            self.pool,
            user_id=None if auditor else user.id,
            user=filters.user,
            assistant=filters.assistant,
            since=filters.since,
            until=filters.until,
            model=filters.model,
            tool=filters.tool,
            refusals=filters.refusals,
            approvals=filters.approvals,
            limit=filters.limit,
        )
        return [
            _summary(
                row["trace_id"], json.loads(row["start"]), json.loads(row["end"]) if row["end"] else None
            )
            for row in rows
        ]

    async def run(self, user: User, run_id: str) -> dict[str, Any]:
        """A run's detail: summary, spans (waterfall), steps with inputs and outputs, policy decisions."""
        trace_id, start = await self._visible(user, run_id, "show_run")
        rows = await repository.trace_records(self.pool, trace_id)
        spans, steps, end, outcome = [], [], None, None
        for row in rows:
            body = json.loads(row["body"])
            if row["kind"] == "span":
                spans.append(body)
            elif row["kind"] in {"model_call", "tool_call", "tool_list"}:
                steps.append({"kind": row["kind"], **_trimmed(body)})
            elif row["kind"] == "run_end":
                end = body
            elif row["kind"] == "outcome":
                outcome = body.get("outcome")
        spans.sort(key=lambda span: span["start_ns"])
        policy = [span for span in spans if "ariane.policy.decision" in span["attributes"]]
        approvals = {
            span["span_id"]: span
            for span in [*spans, *await repository.approval_spans(self.pool, run_id)]
            if span["name"].startswith("approval")
        }
        return {
            "summary": _summary(trace_id, start, end).model_dump(),
            "message": start.get("message"),
            "now": start.get("now"),
            "versions": start.get("versions"),
            "spans": spans,
            "steps": steps,
            "policy": policy,
            "approvals": sorted(approvals.values(), key=lambda span: span["start_ns"]),
            "outcome": outcome,
            # A robot exchange's resumed run: on whose behalf, by whom, who approved, the inputs, the job.
            "launch": (
                {key: start.get(key) for key in _LAUNCH} if start.get("kind") == "robot_launch" else None
            ),
        }

    async def verify(self, user: User, run_id: str | None) -> Report:
        """Verify one run (its owner or an auditor) or the whole store (auditor).

        Raises:
            ForbiddenError: the whole store, asked by someone who is not an auditor.
        """
        if run_id is None:
            if not _is_auditor(user):
                raise ForbiddenError(MESSAGES("audit.verify_store_forbidden"))
            await self.access(user, "verify_store", None)
            return await verify_store(self.pool, self.book)
        trace_id, _ = await self._visible(user, run_id, "verify_run")
        return await verify_trace(self.pool, trace_id, f"run {run_id}", self.book)

    async def replay(
        self, user: User, run_id: str, model: str | None, *, token: str | None = None
    ) -> dict[str, Any]:
        """Replay a run exactly, or what-if with `model` live as `token` (default: the caller's rights)."""
        trace_id, start = await self._visible(user, run_id, "replay_run" if model is None else "what_if_run")
        rows = await repository.trace_records(self.pool, trace_id)
        if start.get("kind") == "batch":  # a batch of letters: one step per row (server/batches)
            from server.batches.replay import replay_batch

            return await replay_batch(
                run_id, rows, model=model, base_url=self.replayer.base_url,
                token=token or user.token or "rejeu", transport=self.replayer.live_transport,
                language=user.language,
            )  # fmt: skip
        if start.get("kind") == "robot_launch":  # a robot exchange's resumed run: derived again, no robot
            from server.audit.launch_replay import replay_launch

            return await replay_launch(
                run_id, rows, model=model, versions=self.replayer.versions, language=user.language
            )
        if start.get("kind") == "automation_message":  # an automation's message or mail: built again
            from server.automations.delivery import replay_message

            return replay_message(run_id, rows, model=model, versions=self.replayer.versions)
        run = RecordedRun.of(run_id, trace_id, rows)
        return await self.replayer.replay(
            run, model=model, token=token or user.token or "rejeu", language=user.language
        )

    async def export(self, user: User, run_id: str, fmt: str) -> dict[str, Any]:
        """The run as a JSON evidence bundle (records, hashes, verification, anchors) or as OTLP JSON."""
        trace_id, _ = await self._visible(user, run_id, f"export_{fmt}")
        rows = await repository.trace_records(self.pool, trace_id, previous=True)
        if fmt == "otlp":
            return otlp_json([json.loads(row["body"]) for row in rows if row["kind"] == "span"])
        report = await verify_trace(self.pool, trace_id, f"run {run_id}", self.book)
        seqs = [int(row["seq"]) for row in rows]
        anchors = await self.book.covering(min(seqs), max(seqs)) if seqs else []
        return evidence_bundle(run_id, trace_id, rows, report, self.book, anchors, user.email)

    async def access(
        self, user: User, action: str, run_id: str | None, details: dict[str, Any] | None = None
    ) -> None:
        """Record an auditor's access before it is served.

        Raises:
            ServiceUnavailableError: the store cannot be written (the access is refused).
        """
        context = trace.get_current_span().get_span_context()
        trace_id = format_trace_id(context.trace_id) if context.is_valid else uuid.uuid4().hex
        mark = self.writer.submitted
        body = {
            "auditor": {"id": user.id, "email": user.email},
            "action": action,
            "run_id": run_id,
            "details": details or {},
        }
        self.writer.submit(Pending(kind="access", trace_id=trace_id, body=body, name=action))
        try:
            await self.writer.flush(mark)
        except AuditUnavailableError as exc:
            raise ServiceUnavailableError(
                MESSAGES("audit.unavailable", reason=exc.text),
                code="audit_unavailable",
            ) from exc

    async def _visible(self, user: User, run_id: str, action: str) -> tuple[str, dict[str, Any]]:
        found = await repository.run_start(self.pool, run_id) if is_uuid(run_id) else None
        if found is None:
            raise NotFoundError(MESSAGES("audit.run_not_found"), code="run_not_found")
        start: dict[str, Any] = json.loads(found["body"])
        if _is_auditor(user):
            await self.access(user, action, run_id)
        elif start["caller"]["id"] != user.id:
            raise NotFoundError(MESSAGES("audit.run_not_found"), code="run_not_found")
        return str(found["trace_id"]), start


def _is_auditor(user: User) -> bool:
    return user.has_any(Role.AUDITOR)


def _summary(trace_id: str, start: dict[str, Any], end: dict[str, Any] | None) -> RunSummary:
    summary = (end or {}).get("summary") or {}
    return RunSummary(
        run_id=start["run_id"],
        trace_id=trace_id,
        user_id=start["caller"]["id"],
        user_email=start["caller"]["email"],
        user_name=start["caller"].get("display_name", ""),
        assistant_id=start["assistant"]["id"],
        assistant_version=int(start["assistant"].get("version", 1)),
        workflow=summary.get("workflow"),
        started_at=start["now"],
        status=(end or {}).get("status", "running"),
        models=summary.get("models", []),
        tools=summary.get("tools", []),
        refusals=int(summary.get("refusals", 0)),
        policy_version=summary.get("policy_version"),
        question=start.get("message"),
    )


def _trimmed(value: Any) -> Any:
    """Long texts shortened for display (the export keeps everything)."""
    if isinstance(value, str) and len(value) > _BIG:
        return value[:_BIG] + f"… ({len(value)} caractères)"
    if isinstance(value, dict):
        return {key: _trimmed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_trimmed(item) for item in value]
    return value
