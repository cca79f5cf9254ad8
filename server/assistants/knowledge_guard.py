"""Knowledge collections belong to assistants.

Who may use an assistant reads its documents; who may edit it manages them.
"""

from __future__ import annotations

from dataclasses import dataclass

from server.assistants.service import AssistantService
from server.auth.schemas import User


@dataclass(frozen=True)
class AssistantKnowledgeGuard:
    """The knowledge service's guard (`server.knowledge.guard.KnowledgeGuard`) backed by assistants."""

    assistants: AssistantService

    async def may_read(self, user: User, collection: str) -> bool:
        """The collection of an assistant the user may use."""
        return await self.assistants.may_use(user, collection)

    async def may_edit(self, user: User, collection: str) -> bool:
        """The collection of an assistant the user may edit."""
        return await self.assistants.may_edit(user, collection)
