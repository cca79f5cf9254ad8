"""Robot request workflow: robot → inputs → `trigger_robot` → approval (a LangGraph interrupt) → outcome.

The approval is a real interrupt: the graph is checkpointed when it pauses and resumed with
`Command(resume=decision)` once a manager has decided, possibly in another process after a restart.
"""

from __future__ import annotations

from typing import Any

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import interrupt

from agents.context import RunContext
from agents.folding import fold
from agents.messages import MESSAGES, run_language, say
from agents.robots.inputs import read_inputs, tenant_domain
from agents.state import AnswerState, stop_when_answered
from tools.i18n import as_language


class RobotState(AnswerState, total=False):
    """The chosen robot, its inputs and, once asked, the approval request and the decision."""

    robot: str
    inputs: dict[str, Any]
    request: dict[str, Any]
    decision: dict[str, Any]
    # The requester's language, checkpointed with the pause: the decision is told in it, whoever decides.
    language: str


def _score(robot: dict[str, Any], folded: str) -> int:
    words = {fold(keyword) for keyword in robot.get("keywords", [])}
    words |= {word for word in fold(robot["name"]).split() if len(word) > 5}
    return sum(1 for word in words if f" {word}" in f" {folded}")


async def prepare(state: RobotState, runtime: Runtime[RunContext]) -> RobotState:
    """Choose the robot the message names, read its inputs and ask for the launch (never runs it)."""
    tools = runtime.context.tools
    listed = await tools.call("robots", "list_robots", {})
    if not listed.ok:
        return {"outcome": "tool_failed", "answer": listed.message, "mode": "extractive"}
    folded = fold(state["message"])
    robots = listed.data["robots"]
    scored = sorted(((_score(robot, folded), robot["id"]) for robot in robots), reverse=True)
    if not scored or scored[0][0] == 0:
        names = "\n".join(f"- {r['name']} (`{r['id']}`)" for r in robots if r["may_request"])
        return {
            "outcome": "no_robot",
            "mode": "extractive",
            "answer": say("robot.not_recognised", names=names),
        }
    tied = [robot_id for score, robot_id in scored if score == scored[0][0]]
    if len(tied) > 1:  # as many words for two robots: ask, rather than pick one by its name's order
        names = "\n".join(f"- {r['name']} (`{r['id']}`)" for r in robots if r["id"] in tied)
        return {
            "outcome": "ambiguous_robot",
            "mode": "extractive",
            "answer": say("robot.ambiguous", names=names),
        }
    robot = scored[0][1]
    described = await tools.call("robots", "describe_robot", {"robot": robot})
    if not described.ok:
        return {"outcome": "tool_failed", "answer": described.message, "mode": "extractive"}
    domain = tenant_domain(runtime.context.caller.email)
    inputs = read_inputs(described.data["input_schema"], state["message"], runtime.context.now, domain)
    asked = await tools.call("robots", "trigger_robot", {"robot": robot, "inputs": inputs})
    if not asked.ok:  # the tool's message names the robot and says why (who may ask, which input)
        return {
            "outcome": "refused",
            "mode": "extractive",
            "answer": say("robot.refused", message=asked.message),
        }
    return {"robot": robot, "inputs": inputs, "request": asked.data, "language": run_language()}


async def await_decision(state: RobotState, runtime: Runtime[RunContext]) -> RobotState:
    """Pause until a manager decides; then say what happened."""
    decision: dict[str, Any] = interrupt(state["request"])
    name = state["request"]["robot_name"]
    status = decision.get("status")
    language = as_language(state.get("language"))  # requests paused before languages: French
    who = decision.get("approver_name") or MESSAGES.text("robot.the_approver", language)
    reason = decision.get("reason")
    if status == "approved":
        answer = MESSAGES.text("robot.approved", language, robot=name, who=who)
    elif status == "rejected" and reason:
        answer = MESSAGES.text("robot.rejected_because", language, robot=name, who=who, reason=reason)
    elif status == "rejected":
        answer = MESSAGES.text("robot.rejected", language, robot=name, who=who)
    else:
        answer = MESSAGES.text("robot.expired", language, robot=name)
    return {"decision": decision, "outcome": str(status), "answer": answer, "mode": "extractive"}


def build_robot_graph() -> StateGraph[RobotState, RunContext, RobotState, RobotState]:
    """The workflow's graph, to compile with a checkpointer (the interrupt needs one)."""
    graph = StateGraph(RobotState, context_schema=RunContext)
    graph.add_node("prepare", prepare)
    graph.add_node("await_decision", await_decision)
    graph.add_edge(START, "prepare")
    graph.add_conditional_edges("prepare", stop_when_answered, {"stop": END, "go": "await_decision"})
    graph.add_edge("await_decision", END)
    return graph
