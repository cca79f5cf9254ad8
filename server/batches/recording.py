"""A batch in the audit trail: one run whose steps are its rows.

The batch's trace id is its own id (a UUID is 128 bits, as a trace id), so that every process that
runs some of its rows — after a crash, another replica — writes into the same trace, and the gateway's
spans of each row join it through the `traceparent` of the row's call. Records: `run_start` (the
caller, the template, the model, the table's class; `kind: batch`), one `model_call` per call sent
(the row number, the values the template used, the exact request and answer), one `batch_row` per row
ended (status, output or refusal), `outcome` and `run_end` when the batch ends.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags

from agents.recording import RecordingFailedError
from server.audit.chain import canonical
from server.audit.recorder import ServerAuditor
from server.audit.writer import AuditUnavailableError, Pending

ASSISTANT: dict[str, str | int] = {"id": "courriers-en-serie", "name": "Courriers en série", "version": 1}
WORKFLOW = "batch_letters"


def trace_of(batch_id: str) -> str:
    """The batch's trace id (hex)."""
    return uuid.UUID(batch_id).hex


@contextmanager
def in_batch_trace(batch_id: str) -> Iterator[None]:
    """Make spans started inside children of the batch's trace (a remote parent)."""
    parent = SpanContext(
        trace_id=uuid.UUID(batch_id).int,
        span_id=random.getrandbits(64) or 1,
        is_remote=True,
        trace_flags=TraceFlags(TraceFlags.SAMPLED),
    )
    token = otel_context.attach(trace.set_span_in_context(NonRecordingSpan(parent)))
    try:
        yield
    finally:
        otel_context.detach(token)


class BatchAuditor:
    """Writes a batch's records through the process's audit writer (redacted, content per setting)."""

    def __init__(self, auditor: ServerAuditor) -> None:
        self._auditor = auditor

    @property
    def capture(self) -> bool:
        """Whether content (prompts, answers) is recorded."""
        return self._auditor.capture

    def attach(self, batch_id: str, user: dict[str, Any]) -> None:
        """Stamp the batch's run attributes on its spans made in this process."""
        self._auditor.processor.register(
            uuid.UUID(batch_id).int,
            {
                "ariane.run.id": batch_id,
                "ariane.user.id": user["id"],
                "ariane.assistant.id": ASSISTANT["id"],
                "ariane.assistant.version": ASSISTANT["version"],
            },
        )

    def detach(self, batch_id: str) -> None:
        """Stop stamping (the batch left this process)."""
        self._auditor.processor.forget(uuid.UUID(batch_id).int)

    def start(self, batch_id: str, caller: dict[str, Any], batch: dict[str, Any], now: datetime) -> None:
        """Record the batch's start."""
        body = {
            "run_id": batch_id,
            "kind": "batch",
            "thread_id": None,
            "caller": caller,
            "assistant": ASSISTANT,
            "workflow_requested": WORKFLOW,
            "message": f"Courriers en série : {batch['title']}",
            "batch": batch if self.capture else {k: v for k, v in batch.items() if k not in _CONTENT},
            "captured": self.capture,
            "now": now.isoformat(),
            "fixed_clock": False,
            "versions": self._auditor.versions,
        }
        self._submit(batch_id, "run_start", self._auditor.redact.rendered(body))
        self._submit(batch_id, "workflow", canonical({"captured": True, "workflow": WORKFLOW}))

    def model_call(self, batch_id: str, number: int, values: dict[str, str], data: dict[str, Any]) -> None:
        """Record one call sent for row `number` (request and answer as exchanged)."""
        body: dict[str, Any] = {"step": number, "row": number}
        if self.capture:
            body |= {"captured": True, "values": values, **data}
        else:
            body |= {
                "captured": False,
                "request": {"method": data["request"]["method"], "path": data["request"]["path"]},
                "response": {"status": data["response"]["status"]},
            }
        self._submit(batch_id, "model_call", self._auditor.redact.rendered(body))

    def row(self, batch_id: str, number: int, result: dict[str, Any], values: dict[str, str]) -> None:
        """Record how row `number` ended."""
        body: dict[str, Any] = {"row": number, "status": result["status"], "captured": self.capture}
        body |= {k: result.get(k) for k in ("error_code", "data_class", "model_used")}
        body["findings"] = list(result.get("findings") or [])
        if self.capture:
            body |= {"values": values, "output": result.get("output"), "error": result.get("error")}
        self._submit(batch_id, "batch_row", self._auditor.redact.rendered(body))

    def end(self, batch_id: str, status: str, summary: dict[str, Any], error: str | None = None) -> None:
        """Record the batch's outcome and end."""
        outcome = {"captured": True, "outcome": {"status": status, **summary}}
        self._submit(batch_id, "outcome", canonical(outcome))
        end = {
            "run_id": batch_id,
            "status": "failed" if error else "done",
            "error": error,
            "summary": {"workflow": WORKFLOW, **summary},
        }
        self._submit(batch_id, "run_end", canonical(end))

    def mark(self) -> int:
        """A mark before submitting records, for `flush`."""
        return self._auditor.writer.submitted

    async def flush(self, since: int) -> None:
        """Wait until everything submitted so far is stored (and nothing after `since` was lost).

        Raises:
            RecordingFailedError: the store could not be written.
        """
        try:
            await self._auditor.writer.flush(since)
        except AuditUnavailableError as exc:
            raise RecordingFailedError(str(exc)) from exc

    def _submit(self, batch_id: str, kind: str, body: str) -> None:
        self._auditor.writer.submit(
            Pending(kind=kind, trace_id=trace_of(batch_id), body=body, run_id=batch_id)
        )


_CONTENT = {"instruction", "body"}
