"""A scripted turn runner for chat API tests (a fake, used only in tests): it emits what it is told."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from agents.citations import Citation, SourceKind
from agents.turn import AgentError, Emit, TurnOutcome, TurnRequest


@dataclass
class ScriptedTurnRunner:
    """Answers every turn by streaming `answer` word by word, with one tool card and one citation.

    `gate` lets a test hold the run mid-way (to disconnect, reattach or stop it), `before` before it
    says anything; `fail_with` makes
    the turn fail with an AgentError; `citations` replaces the one transcript citation.
    """

    answer: str = "Voici la réponse [1]."
    gate: asyncio.Event | None = None
    before: asyncio.Event | None = None
    fail_with: AgentError | None = None
    citations: list[Citation] | None = None
    seen: list[TurnRequest] = field(default_factory=list)

    async def __call__(self, turn: TurnRequest, emit: Emit) -> TurnOutcome:
        self.seen.append(turn)
        if self.before is not None:
            await self.before.wait()
        await emit("tool_start", {"tool": "find_meeting", "label": "Recherche dans votre agenda…"})
        await emit("tool_end", {"tool": "find_meeting", "ok": True})
        if self.gate is not None:
            await self.gate.wait()
        if self.fail_with is not None:
            raise self.fail_with
        for word in self.answer.split(" "):
            await emit("token", {"text": word + " "})
        citations = self.citations or [
            Citation(
                source=SourceKind.TRANSCRIPT, id="tr-1", title="Réunion", locator="cue-1", quote="Bonjour"
            )
        ]
        for index, citation in enumerate(citations, start=1):
            await emit("citation", {"index": index, **citation.model_dump(mode="json")})
        return TurnOutcome(answer=self.answer, mode="extractive", workflow="scripted", citations=citations)
