"""The run that follows a user's decision on a held tool call: execute exactly that call, or nothing.

The registry holds destructive and open-world calls until the user confirms them. Their decision
starts a new run in the thread whose message states it (`Confirmer : server/tool {arguments}`): the
message is what the audit trail records and replays, so the graph reads the call from it. The
registry's guard lets that one call through once, and only when it equals the call the server says
was confirmed (`TurnRequest.decision`); anything else is held again. No model is asked anything.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime

from agents.context import RunContext
from agents.messages import say
from agents.state import AnswerState
from agents.toolbox import CONFIRMATION_REQUIRED, ToolServerUnavailableError
from agents.turn import HeldCall

CONFIRM = "Confirmer"
DECLINE = "Annuler"
_DECISION = re.compile(r"(Confirmer|Annuler) : ([a-z][a-z0-9_-]*)/(\S+) (\{.*\})", re.DOTALL)


@dataclass(frozen=True)
class Decision:
    """What a decision message says: confirmed or not, and the exact call."""

    confirmed: bool
    server: str
    tool: str
    arguments: dict[str, Any]

    @property
    def name(self) -> str:
        """`server/tool`, as the user saw it."""
        return f"{self.server}/{self.tool}"


def decision_message(call: HeldCall, confirmed: bool) -> str:
    """The message of the run that carries out the user's decision on `call`."""
    verb = CONFIRM if confirmed else DECLINE
    arguments = json.dumps(call.arguments, ensure_ascii=False, sort_keys=True)
    return f"{verb} : {call.server}/{call.tool} {arguments}"


def parse_decision(message: str) -> Decision | None:
    """The decision a message states, or None when it is not one."""
    match = _DECISION.fullmatch(message)
    if match is None:
        return None
    try:
        arguments = json.loads(match[4])
    except ValueError:
        return None
    if not isinstance(arguments, dict):
        return None
    return Decision(match[1] == CONFIRM, match[2], match[3], arguments)


def _answer(outcome: str, text: str) -> AnswerState:
    return {"outcome": outcome, "answer": text, "mode": "extractive"}


def _fenced(text: str) -> str:
    """A code block the result cannot close early: tool output is shown, never rendered (links, images)."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}\n{text}\n{fence}"


async def carry_out(state: AnswerState, runtime: Runtime[RunContext]) -> AnswerState:
    """Execute the confirmed call through the run's tool box (pins and limits apply), or say why not."""
    decision = parse_decision(state["message"])
    if decision is None:
        return _answer("invalid_decision", say("confirm.invalid"))
    if not decision.confirmed:
        return _answer("declined", say("confirm.declined", name=decision.name))
    tools = runtime.context.tools
    try:  # the tool as the server presents it now must still be the approved one (pins)
        visible = {tool.name for tool in await tools.list_tools(decision.server)}
    except ToolServerUnavailableError as error:
        return _answer("unavailable", say("confirm.unavailable", message=error.message))
    if decision.tool not in visible:
        return _answer("tool_unavailable", say("confirm.tool_gone", name=decision.name))
    outcome = await tools.call(decision.server, decision.tool, decision.arguments)
    if outcome.code == CONFIRMATION_REQUIRED:  # not the call the user confirmed (or already made)
        return _answer("not_confirmed", say("confirm.not_confirmed", name=decision.name))
    if not outcome.ok:
        return _answer("tool_failed", say("confirm.failed", message=outcome.message))
    body = json.dumps(outcome.data, ensure_ascii=False, indent=2) if outcome.data else outcome.message
    return _answer("ok", say("confirm.done", name=decision.name, body=_fenced(body)))


def build_confirmation_graph() -> StateGraph[AnswerState, RunContext, AnswerState, AnswerState]:
    """One node: carry out the user's decision."""
    graph = StateGraph(AnswerState, context_schema=RunContext)
    graph.add_node("carry_out", carry_out)
    graph.add_edge(START, "carry_out")
    graph.add_edge("carry_out", END)
    return graph
