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
    # The files attached to the conversation; chosen when the message carries them or they bear on it.
    ATTACHMENT_QUESTION = "attachment_question"


# What a message may be routed to: a confirmation run is never chosen by routing, nor the attachments'
# workflow, which only a conversation with attached files opens (`AgentRunner._workflow`).
ROUTABLE = tuple(
    workflow
    for workflow in Workflow
    if workflow not in (Workflow.TOOL_CONFIRMATION, Workflow.ATTACHMENT_QUESTION)
)


def title(workflow: Workflow) -> str:
    """What a workflow is called in a message to the user (never its internal id), in the run's language."""
    return say(f"workflow.{workflow.value}")
