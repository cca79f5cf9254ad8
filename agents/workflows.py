"""The workflows a message can go to."""

from __future__ import annotations

from enum import StrEnum

from agents.messages import say


class Workflow(StrEnum):
    """The workflows a message can go to; the user may also pick one explicitly."""

    MEETING_SUMMARY = "meeting_summary"
    DOCUMENT_QUESTION = "document_question"
    TOOL_AGENT = "tool_agent"
    KNOWLEDGE_QUESTION = "knowledge_question"  # an assistant's own documents; chosen by the assistant
    ROBOT_REQUEST = "robot_request"
    TOOL_CONFIRMATION = "tool_confirmation"  # only ever started by the user's confirmation of a held call


# What a message may be routed to: a confirmation run is never chosen by routing.
ROUTABLE = tuple(workflow for workflow in Workflow if workflow is not Workflow.TOOL_CONFIRMATION)


def title(workflow: Workflow) -> str:
    """What a workflow is called in a message to the user (never its internal id), in the run's language."""
    return say(f"workflow.{workflow.value}")
