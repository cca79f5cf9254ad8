"""What every node of a run may use (LangGraph runtime context): the caller, the clock, tools, models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from agents.assistant import GENERAL_ASSISTANT, AssistantProfile
from agents.models import ModelAccess
from agents.toolbox import Emit, ToolBox
from agents.turn import Caller

# What a model is told when the user reads English: the prompts ask for French, this comes last.
ANSWER_IN_ENGLISH = (
    "L'utilisateur lit l'anglais : rédige ta réponse en anglais. Les citations restent exactement telles "
    "qu'elles sont écrites dans les sources."
)


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
        return self.in_users_language(f"{instructions}\n\n{prompt}" if instructions else prompt)

    def in_users_language(self, prompt: str) -> str:
        """`prompt`, asking for the answer in the user's language when it is not French (the default).

        A French user's prompt is left as it was, so that their runs (and their replays) are unchanged.
        """
        if self.caller.language == "fr":
            return prompt
        return f"{prompt}\n\n{ANSWER_IN_ENGLISH}"

    async def note(self, kind: str, data: dict[str, Any]) -> None:
        """Emit an event to the user's stream."""
        await self.emit(kind, data)
