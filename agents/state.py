"""What every workflow's state has in common: the message in, the answer out."""

from __future__ import annotations

from typing import Any, TypedDict


class AnswerState(TypedDict, total=False):
    """The request and, once a node has settled it, the answer with its citations.

    A node that can answer early (nothing found, refused, not covered) sets `outcome`; the graph then
    ends instead of going on (`stop_when_answered`).
    """

    message: str
    history: list[dict[str, Any]]  # the thread's earlier turns, oldest first (`agents.conversation`)
    answer: str
    outcome: str
    mode: str
    citations: list[dict[str, Any]]
    dropped: list[dict[str, Any]]
    pending_call: dict[str, Any] | None
    fallback: dict[str, Any] | None  # why no generative model wrote the answer (`agents.fallback`)


def stop_when_answered(state: AnswerState) -> str:
    """Route to `stop` once a node has set an outcome, else `go`."""
    return "stop" if state.get("outcome") else "go"
