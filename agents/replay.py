"""Replaying a recorded run: the same graph, with the recorded model answers, tool results and clock.

`ReplayScript` holds the run's steps (model exchanges and tool calls, in order). In exact mode each
request the code makes now must equal the recorded one, step by step; the first difference is kept as
the divergence (a replayed node that then fails over to another path does not hide it). In what-if
mode models are reached live (the transport given), tool results are served from the record whatever
their order, and a tool call the record does not hold is answered with an error — tools, robots
above all, are never executed again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx
from mcp import Client
from mcp.types import Tool

from agents.messages import say
from agents.recording import request_record
from agents.toolbox import ToolBox, ToolOutcome

Normalise = Callable[[Any], Any]
NOT_RECORDED = "not_recorded"


@dataclass(frozen=True)
class Step:
    """One recorded exchange: `kind` is `model_call` or `tool_call`."""

    number: int
    kind: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Divergence:
    """Where the code now does something else than when the run was recorded."""

    step: int
    kind: str
    path: str
    expected: Any
    got: Any


def comparable(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """The part of a step that must be equal: the request (model) or the call (tool)."""
    if kind == "model_call":
        request = dict(data["request"])
        try:
            request["body"] = json.loads(request["body"]) if request["body"] else None
        except ValueError:
            pass
        return request
    return {"server": data["server"], "tool": data["tool"], "arguments": data["arguments"]}


def first_difference(expected: Any, got: Any, path: str = "") -> tuple[str, Any, Any] | None:
    """The first place two JSON values differ (path like `body.messages[1].content`), or None."""
    if isinstance(expected, dict) and isinstance(got, dict):
        for key in sorted(set(expected) | set(got), key=str):
            found = first_difference(expected.get(key), got.get(key), f"{path}.{key}" if path else str(key))
            if found:
                return found
        return None
    if isinstance(expected, list) and isinstance(got, list):
        for index, (left, right) in enumerate(zip(expected, got, strict=False)):
            found = first_difference(left, right, f"{path}[{index}]")
            if found:
                return found
        if len(expected) != len(got):
            return f"{path}.length", len(expected), len(got)
        return None
    return None if expected == got else (path, expected, got)


@dataclass
class ReplayScript:
    """The recorded steps, served in order (exact) or by matching call (what-if tools)."""

    steps: list[Step]
    normalise: Normalise = lambda value: value
    exact: bool = True
    position: int = 0
    divergence: Divergence | None = None
    served: list[int] = field(default_factory=list)

    def take(self, kind: str, got: dict[str, Any]) -> Step | None:
        """The recorded step answering `got`, or None (then the divergence is noted, once)."""
        got = self.normalise(comparable(kind, got))
        if not self.exact:
            return self._match(kind, got)
        number = self.position + 1
        if self.divergence is not None:
            return None
        if self.position >= len(self.steps):
            self.divergence = Divergence(number, kind, "", None, got)
            return None
        step = self.steps[self.position]
        if step.kind != kind:
            self.divergence = Divergence(number, kind, "kind", step.kind, kind)
            return None
        difference = first_difference(comparable(kind, step.data), got)
        if difference is not None:
            self.divergence = Divergence(number, kind, *difference)
            return None
        self.position += 1
        self.served.append(step.number)
        return step

    def _match(self, kind: str, got: dict[str, Any]) -> Step | None:
        for step in self.steps:
            if step.kind == kind and step.number not in self.served and comparable(kind, step.data) == got:
                self.served.append(step.number)
                return step
        return None

    def unused(self) -> list[Step]:
        """Recorded steps the replay never asked for."""
        return [step for step in self.steps if step.number not in self.served]


class ReplayTransport(httpx.AsyncBaseTransport):
    """Serves recorded gateway answers; `live` (what-if) forwards what the record does not hold."""

    def __init__(self, script: ReplayScript, live: httpx.AsyncBaseTransport | None = None) -> None:
        self._script = script
        self._live = live

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """The recorded answer to this request."""
        if self._live is not None and not request.url.path.endswith("/embeddings"):
            return await self._live.handle_async_request(request)
        step = self._script.take("model_call", {"request": request_record(request)})
        if step is None:
            if self._live is not None:
                return await self._live.handle_async_request(request)
            # An error the model node treats as a failed call; the divergence is already noted.
            raise httpx.ConnectError("rejeu : requête différente de l'enregistrement", request=request)
        response = step.data["response"]
        headers = {"content-type": response["content_type"] or "application/json"}
        return httpx.Response(
            response["status"], headers=headers, content=response["body"].encode(), request=request
        )


class _NoConnector:
    """Replay never opens an MCP client."""

    def connect(self, server: str, token: str) -> Any:
        raise RuntimeError("replay never connects to a tool server")

    def meta(self, token: str) -> dict[str, Any]:
        return {}


@dataclass
class ReplayToolBox(ToolBox):
    """A tool box whose answers come from the record; nothing is executed."""

    script: ReplayScript = field(default_factory=lambda: ReplayScript([]))
    definitions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @classmethod
    def of(
        cls, script: ReplayScript, definitions: dict[str, list[dict[str, Any]]], now: Any, emit: Any
    ) -> ReplayToolBox:
        """A replay tool box for a run."""
        return cls(_NoConnector(), "", now, emit, script=script, definitions=definitions)

    async def open(self, servers: Iterable[str], only: Collection[str] | None = None) -> None:
        """Nothing to open."""

    @property
    def opened(self) -> list[str]:
        """The servers whose tools the run listed, in its order (the tool agent offers theirs)."""
        return list(self.definitions)

    async def call(self, server: str, tool: str, arguments: dict[str, Any]) -> ToolOutcome:
        """The recorded outcome of this call."""
        self.calls.append({"server": server, "tool": tool, "arguments": arguments})
        step = self.script.take("tool_call", {"server": server, "tool": tool, "arguments": arguments})
        if step is None:
            return ToolOutcome(
                ok=False,
                data={},
                message=say("replay.not_replayed"),
                code=NOT_RECORDED,
            )
        outcome = step.data["outcome"]
        return ToolOutcome(
            ok=outcome["ok"], data=outcome["data"], message=outcome["message"], code=outcome["code"]
        )

    async def list_tools(self, server: str) -> list[Tool]:
        """The tool definitions the run was shown."""
        return [Tool.model_validate(tool) for tool in self.definitions.get(server, [])]

    async def _client(self, server: str) -> Client:
        raise RuntimeError("replay never connects to a tool server")
