"""The server's side of run recording: each run's records go to the audit writer, redacted.

What is recorded: the run's start (caller, assistant profile, message, clock, versions of code,
assistant, tool definitions and policy), the workflow chosen, every model exchange and tool call in
order (numbered steps), the outcome, and the run's end with a summary (models, tools, refusals) that
the runs list filters on. With content capture off, steps keep their shape but not their content —
replay then says what is missing. Secrets never reach the store: the Authorization header is not
recorded, and bearer tokens, JWTs and API keys in any recorded text are masked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import format_trace_id

from agents.recording import RecordingFailedError
from agents.turn import TurnRequest
from server.audit.chain import canonical
from server.audit.processor import AuditSpanProcessor
from server.audit.writer import AuditUnavailableError, AuditWriter, Pending

MASK = "[expurgé]"
# Each secret pattern with a literal that every match holds (looked for in the lower-cased text when
# the pattern ignores case: its literal is then lower-case). Most recorded text holds none of these
# literals: `str` finds them many times faster than the regular expression engine (a transcript of
# 120 kB: 0.05 ms against 0.5 ms for the case-insensitive `bearer`); only a text holding one is
# searched with its pattern.
SECRET_PATTERNS = (  # applied in turn: « Bearer <JWT> » goes whole, before the JWT alone would
    ("bearer", re.compile(r"bearer\s+[\w.~+/-]{8,}=*", re.IGNORECASE)),
    ("eyJ", re.compile(r"eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}")),  # JWTs (access tokens)
    ("sk-", re.compile(r"sk-(?<!\wsk-)[\w-]{12,}")),  # API keys
    ("ariane_sk_", re.compile(r"ariane_sk_(?<!\wariane_sk_)[\w-]{8,}")),  # service keys
)
_SEPARATOR = "\x00"  # matched by no secret pattern: no match spans two strings
_CONTENT_KINDS = {"model_call", "tool_call", "tool_list"}
_REFUSALS = {403, 429}


@dataclass(frozen=True)
class Secret:
    """A secret pattern and the literal each of its matches holds."""

    literal: str
    pattern: re.Pattern[str]

    def may_match(self, text: str, lowered: str) -> bool:
        """True when `text` (`lowered`: the same, lower-cased) holds the literal: a match may follow."""
        return self.literal in (lowered if self.pattern.flags & re.IGNORECASE else text)

    def search(self, text: str, lowered: str) -> bool:
        """True when `text` (`lowered`: the same, lower-cased) holds a match."""
        return self.may_match(text, lowered) and self.pattern.search(text) is not None


@dataclass(frozen=True)
class Redactor:
    """Masks secrets (always) and the operator's patterns in every recorded string."""

    secrets: tuple[Secret, ...]
    extra: re.Pattern[str] | None

    @classmethod
    def of(cls, extra: list[str]) -> Redactor:
        """The secret patterns, and the operator's as one alternation."""
        operator = re.compile("|".join(f"(?:{pattern})" for pattern in extra)) if extra else None
        return cls(tuple(Secret(literal, pattern) for literal, pattern in SECRET_PATTERNS), operator)

    def rendered(self, value: Any) -> str:
        """The canonical JSON text of `value` with every string masked.

        Rendered first: JSON escapes none of the secret literals' characters, so a text without any
        of them (most records) holds no secret in any string, and is kept as it is, unwalked.
        """
        text = canonical(value)
        if self.extra is None:
            lowered = text.lower()
            if not any(secret.may_match(text, lowered) for secret in self.secrets):
                return text
        return canonical(self(value))

    def text(self, value: str) -> str:
        """`value` with every match masked."""
        for pattern in self._patterns():
            value = pattern.sub(MASK, value)
        return value

    def __call__(self, value: Any) -> Any:
        """`value` (JSON data) with every string masked: itself when nothing is to be masked.

        Without operator patterns, the secret patterns first search all the strings at once (joined
        by a separator none of them matches, so that a match is a match within one string); only
        data holding a secret is copied string by string.
        """
        if self.extra is None:
            joined = _SEPARATOR.join(_strings(value))
            lowered = joined.lower()
            if not any(secret.search(joined, lowered) for secret in self.secrets):
                return value
        return self._masked(value)

    def _patterns(self) -> tuple[re.Pattern[str], ...]:
        secrets = tuple(secret.pattern for secret in self.secrets)
        return secrets if self.extra is None else (*secrets, self.extra)

    def _masked(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {key: self._masked(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self._masked(item) for item in value]
        return value


def _strings(value: Any) -> Iterator[str]:
    """Every string in JSON data (keys are not recorded content, values are)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@dataclass
class ServerRunRecorder:
    """The records of one run (implements `agents.recording.RunRecorder`)."""

    writer: AuditWriter
    processor: AuditSpanProcessor
    trace_id: int
    run_id: str
    capture: bool
    redact: Redactor
    policy_version: Callable[[], Awaitable[int | None]]
    mark: int
    steps: int = 0
    summary: dict[str, Any] = field(default_factory=lambda: {"models": [], "tools": [], "refusals": 0})
    ended: bool = False

    @property
    def trace(self) -> str:
        """The run's trace id, hex."""
        return format_trace_id(self.trace_id)

    def submit(self, kind: str, body: str) -> None:
        """Queue one record of this run, rendered already: what the run does next cannot change it."""
        self.writer.submit(Pending(kind=kind, trace_id=self.trace, body=body, run_id=self.run_id))

    def record(self, kind: str, data: dict[str, Any]) -> None:
        """Record a step (numbered), the workflow, or the run's end."""
        if kind == "run_end":
            self._end(data.get("error"))
            return
        if kind == "workflow":
            self.summary["workflow"] = data.get("workflow")
        if kind in {"model_call", "tool_call"}:
            self.steps += 1
            self._summarise(kind, data)
            body: dict[str, Any] = {"step": self.steps}
        else:
            body = {}
        if kind in _CONTENT_KINDS and not self.capture:
            body |= {"captured": False, **_shape(kind, data)}
        else:
            body |= {"captured": True, **data}
        self.submit(kind, self.redact.rendered(body))

    async def seal(self, outcome: dict[str, Any]) -> None:
        """Record the outcome and the end (after the run's spans); wait until all of it is stored."""
        outcome_body = {"captured": self.capture, "outcome": outcome if self.capture else None}
        self.submit("outcome", self.redact.rendered(outcome_body))
        self.summary["policy_version"] = await self.policy_version()
        self._end(None)
        await self._flush()

    def _end(self, error: str | None) -> None:
        if self.ended:
            return
        self.ended = True
        self.processor.forget(self.trace_id)
        self.submit(
            "run_end",
            canonical(
                {
                    "run_id": self.run_id,
                    "status": "failed" if error else "done",
                    "error": error,
                    "summary": self.summary,
                }
            ),
        )

    async def _flush(self) -> None:
        try:
            await self.writer.flush(self.mark)
        except AuditUnavailableError as exc:
            raise RecordingFailedError(str(exc)) from exc

    def _summarise(self, kind: str, data: dict[str, Any]) -> None:
        if kind == "tool_call":
            name = f"{data['server']}.{data['tool']}"
            if name not in self.summary["tools"]:
                self.summary["tools"].append(name)
            return
        try:
            model = json.loads(data["request"]["body"] or "{}").get("model")
        except ValueError:
            model = None
        if (
            model
            and not str(data["request"]["path"]).endswith("/embeddings")
            and model not in self.summary["models"]
        ):
            self.summary["models"].append(model)
        if data["response"]["status"] in _REFUSALS:
            self.summary["refusals"] += 1


def _shape(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """What is kept of a step when content is not captured: what was called, not what was said."""
    if kind == "model_call":
        return {
            "request": {"method": data["request"]["method"], "path": data["request"]["path"]},
            "response": {"status": data["response"]["status"]},
        }
    if kind == "tool_call":
        return {"server": data["server"], "tool": data["tool"], "outcome": {"ok": data["outcome"]["ok"]}}
    return {"server": data.get("server")}


@dataclass
class ServerAuditor:
    """Starts the recorder of each run (implements `agents.recording.RunAuditor`)."""

    writer: AuditWriter
    processor: AuditSpanProcessor
    versions: dict[str, Any]
    capture: bool
    redact: Redactor
    policy_version: Callable[[], Awaitable[int | None]]

    def begin(self, turn: TurnRequest, now: datetime, span: trace.Span) -> ServerRunRecorder:
        """Register the run's trace and record its start."""
        trace_id = span.get_span_context().trace_id
        self.processor.register(
            trace_id,
            {
                "ariane.run.id": turn.run_id,
                "ariane.thread.id": turn.thread_id,
                "ariane.user.id": turn.caller.id,
                "ariane.assistant.id": turn.assistant.id,
                "ariane.assistant.version": turn.assistant.version,
            },
        )
        recorder = ServerRunRecorder(
            self.writer,
            self.processor,
            trace_id,
            turn.run_id,
            self.capture,
            self.redact,
            self.policy_version,
            mark=self.writer.submitted,
        )
        start = {
            "run_id": turn.run_id,
            "thread_id": turn.thread_id,
            "caller": turn.caller.model_dump(mode="json", exclude={"token"}),
            "assistant": turn.assistant.model_dump(mode="json"),
            "workflow_requested": turn.workflow,
            "message": self.redact.text(turn.message) if self.capture else None,
            # The earlier turns a follow-up leans on: a replay hands them to the workflow again.
            "history": (
                self.redact([prior.model_dump(mode="json") for prior in turn.history])
                if self.capture
                else None
            ),
            "captured": self.capture,
            "now": now.isoformat(),
            "fixed_clock": turn.now is not None,
            "versions": self.versions,
        }
        recorder.submit("run_start", canonical(start))
        return recorder
