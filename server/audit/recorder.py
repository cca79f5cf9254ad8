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
# What may be slipped inside a token to hide it from a plain pattern while a reader can still put it
# back together: line breaks (raw, with the next line's indent, or escaped as text), zero-width and
# invisible characters, their percent-encodings. Not a plain space: it would join the next words.
_FILL = (
    r"(?:\r?\n[ \t]*|\r|[\u00ad\u034f\u180e\u200b-\u200f\u2060-\u2064\ufeff]|%0[aAdD]|"
    r"%[eE]2%80%8[bBcCdD]|\\[nrt])*"
)
_DOT = r"(?:\.|%2[eE]|%252[eE]|\\u002[eE]|&#0*46;)"  # a JWT's dots, percent- or escape-encoded too


def _spread(chars: str, least: int) -> str:
    """At least `least` of `chars`, with filler anywhere between them."""
    return rf"(?:{_FILL}{chars}){{{least},}}"


# Each secret pattern with literals one of which every match holds, looked for in the lower-cased
# rendered record (where a line break is the two characters `\n`). Most recorded text holds none of
# them: `str` finds them many times faster than the regular expression engine (a transcript of
# 120 kB: 0.05 ms against 0.5 ms for the case-insensitive `bearer`); only a text holding one is
# walked and searched with its pattern. A token cut inside its first letters is caught by the
# literals of its cut forms, or by the invisible characters' check below.
_TOKEN_CHARS, _URL_TOKEN_CHARS = r"[\w-]", r"[\w.~+/-]"
_CUTS = ("\\n", "\\r\\n", " ", "%0a", "%0d%0a", "\\t")
SECRET_PATTERNS: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (  # applied in turn
    (("bearer",), re.compile(rf"bearer\s+{_spread(_URL_TOKEN_CHARS, 8)}=*", re.IGNORECASE)),
    (
        ("eyj", *(f"e{cut}yj" for cut in _CUTS), *(f"ey{cut}j" for cut in _CUTS)),
        re.compile(
            rf"e{_FILL}y{_FILL}J{_spread(_TOKEN_CHARS, 8)}{_FILL}{_DOT}{_spread(_TOKEN_CHARS, 8)}"
            rf"{_FILL}{_DOT}{_spread(_TOKEN_CHARS, 8)}"
        ),
    ),  # JWTs (access tokens)
    (("sk-",), re.compile(rf"sk-(?<!\wsk-){_spread(_TOKEN_CHARS, 12)}")),  # API keys
    (("ariane_sk_",), re.compile(rf"ariane_sk_(?<!\wariane_sk_){_spread(_TOKEN_CHARS, 8)}")),  # service keys
    (  # secrets in URLs and forms: ?access_token=…, &client_secret=…, code=…
        ("token=", "key=", "secret=", "password=", "passwd=", "pwd=", "code=", "sig=", "signature="),
        re.compile(
            r"(?<![\w-])((?:access_token|id_token|refresh_token|token|api[_-]?key|apikey|key|client_secret|"
            r"secret|password|passwd|pwd|code|sig|signature)=)[^&\s\"'#<>]+",
            re.IGNORECASE,
        ),
    ),
)
# Fields whose value is a secret whatever it looks like (headers, token responses, forms).
_SECRET_KEYS = frozenset(
    {
        "authorization",
        "proxyauthorization",
        "cookie",
        "setcookie",
        "xapikey",
        "apikey",
        "accesstoken",
        "refreshtoken",
        "idtoken",
        "clientsecret",
        "password",
        "passwd",
        "secret",
        "token",
        "bearer",
    }
)
_INVISIBLES = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "%e2%80%8", "%2e")
_SEPARATOR = "\x00"  # matched by no secret pattern: no match spans two strings
_CONTENT_KINDS = {"model_call", "tool_call", "tool_list"}
_REFUSALS = {403, 429}


@dataclass(frozen=True)
class Secret:
    """A secret pattern and the literals one of which each of its matches holds."""

    literals: tuple[str, ...]
    pattern: re.Pattern[str]

    def may_match(self, lowered: str) -> bool:
        """True when the lower-cased text holds a literal: a match may follow."""
        return any(literal in lowered for literal in self.literals)

    def search(self, text: str, lowered: str) -> bool:
        """True when `text` (`lowered`: the same, lower-cased) holds a match."""
        return self.may_match(lowered) and self.pattern.search(text) is not None


def _secret_key(key: str) -> bool:
    return key.lower().replace("-", "").replace("_", "") in _SECRET_KEYS


@dataclass(frozen=True)
class Redactor:
    """Masks secrets (always) and the operator's patterns in every recorded string, keys included."""

    secrets: tuple[Secret, ...]
    extra: re.Pattern[str] | None

    @classmethod
    def of(cls, extra: list[str]) -> Redactor:
        """The secret patterns, and the operator's as one alternation."""
        operator = re.compile("|".join(f"(?:{pattern})" for pattern in extra)) if extra else None
        return cls(tuple(Secret(literals, pattern) for literals, pattern in SECRET_PATTERNS), operator)

    def rendered(self, value: Any) -> str:
        """The canonical JSON text of `value` with every string masked.

        Rendered first: JSON escapes none of the secret literals' characters, so a text without any
        of them (most records) holds no secret in any string, and is kept as it is, unwalked.
        """
        text = canonical(value)
        if self.extra is None and not self._suspect(text.lower()):
            return text
        return canonical(self._masked(value))

    def text(self, value: str) -> str:
        """`value` with every match masked."""
        for pattern in self._patterns():
            value = pattern.sub(_mask, value)
        return value

    def __call__(self, value: Any) -> Any:
        """`value` (JSON data) with every string masked: itself when nothing is to be masked.

        Without operator patterns, the secret patterns first search all the strings at once (joined
        by a separator none of them matches, so that a match is a match within one string); only
        data holding a secret is copied string by string.
        """
        if self.extra is None:
            strings = list(_strings(value))
            joined = _SEPARATOR.join(strings)
            lowered = joined.lower()
            if not (
                any(secret.search(joined, lowered) for secret in self.secrets)
                or any(mark in lowered for mark in _INVISIBLES)
                or any(_secret_key(key) for key in _keys(value))
            ):
                return value
        return self._masked(value)

    def _suspect(self, lowered: str) -> bool:
        """True when the text may hold a secret: a literal, an invisible character, a secret's key."""
        return (
            any(secret.may_match(lowered) for secret in self.secrets)
            or any(mark in lowered for mark in _INVISIBLES)
            or any(
                f'"{key}' in lowered
                for key in (
                    "authorization",
                    "cookie",
                    "x-api-key",
                    "api_key",
                    "access_token",
                    "client_secret",
                    "password",
                )
            )
        )

    def _patterns(self) -> tuple[re.Pattern[str], ...]:
        secrets = tuple(secret.pattern for secret in self.secrets)
        return secrets if self.extra is None else (*secrets, self.extra)

    def _masked(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {
                self.text(str(key)): MASK if _secret_key(str(key)) and item else self._masked(item)
                for key, item in value.items()
            }
        if isinstance(value, list | tuple):
            return [self._masked(item) for item in value]
        return value


def _mask(match: re.Match[str]) -> str:
    """The mask, keeping a URL parameter's name (`access_token=[expurgé]`)."""
    return f"{match.group(1)}{MASK}" if match.re.groups else MASK


def _strings(value: Any) -> Iterator[str]:
    """Every string in JSON data, keys included (a key is recorded text too)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _keys(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _keys(item)


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
        if turn.attachments:  # the attached passages the run was given: a replay gives them again
            passages = [passage.model_dump(mode="json") for passage in turn.attachments]
            start["attachments"] = self.redact(passages) if self.capture else None
            start["attached"] = list(turn.attached) if self.capture else None
        recorder.submit("run_start", canonical(start))
        return recorder
