"""What every node of a run may use (LangGraph runtime context): the caller, the clock, tools, models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

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
    data_class: str = "internal"

    async def note(self, kind: str, data: dict[str, Any]) -> None:
        """Emit an event to the user's stream."""
        await self.emit(kind, data)
