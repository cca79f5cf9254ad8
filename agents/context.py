"""What every node of a run may use (LangGraph runtime context): the caller, the clock, tools, models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from agents.assistant import GENERAL_ASSISTANT, AssistantProfile
from agents.models import ModelAccess
from agents.toolbox import Emit, ToolBox
from agents.turn import Caller


@dataclass(frozen=True)
class RunContext:
    """Collaborators of one run, passed to `graph.ainvoke(..., context=...)`."""

    caller: Caller
    now: datetime
    tools: ToolBox
    models: ModelAccess
    emit: Emit
    assistant: AssistantProfile = GENERAL_ASSISTANT

    @property
    def data_class(self) -> str:
        """The data class the assistant declares (detectors in the gateway may raise it)."""
        return self.assistant.data_class

    def system_prompt(self, prompt: str) -> str:
        """A model node's system prompt, after the assistant's instructions (which come first)."""
        instructions = self.assistant.instructions.strip()
        return f"{instructions}\n\n{prompt}" if instructions else prompt

    async def note(self, kind: str, data: dict[str, Any]) -> None:
        """Emit an event to the user's stream."""
        await self.emit(kind, data)
