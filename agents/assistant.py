"""The assistant a turn runs as: the server resolves its current version and hands it to the agents."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DataClass = Literal["public", "internal", "personal", "health"]


class AssistantProfile(BaseModel):
    """What a run honours: instructions, data class, models, tools, workflows and knowledge.

    Empty `models` / `workflows` mean "whatever policy allows"; `tools` lists the tool servers (or
    `server/tool` names) the run may open. `knowledge` names the collection `search_knowledge` reads.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    version: int = 1
    name: str
    instructions: str = ""
    data_class: DataClass = "internal"
    models: list[str] = Field(default_factory=list)
    tools: list[str] = Field(default_factory=list)
    workflows: list[str] = Field(default_factory=list)
    knowledge: str | None = None
    contact: str = ""


# As migration 0004 stores it (version 1): runs outside the chat (evaluations) route the same way.
GENERAL_ASSISTANT = AssistantProfile(
    id="ariane",
    name="Assistant Ariane",
    tools=["calendar", "documents", "meetings", "robots"],
    workflows=["meeting_summary", "document_question", "tool_agent", "robot_request"],
)
