"""Who may read and edit a collection: a small protocol, so that the assistants' access rules plug in.

A collection is an assistant's knowledge (`server.assistants.knowledge_guard`).
"""

from __future__ import annotations

from typing import Protocol

from server.auth.schemas import User


class KnowledgeGuard(Protocol):
    """Access to a collection (an assistant's knowledge)."""

    async def may_read(self, user: User, collection: str) -> bool:
        """True when the user may search the collection (else it is invisible: 404)."""
        ...

    async def may_edit(self, user: User, collection: str) -> bool:
        """True when the user may add, re-index and remove documents (else 403)."""
        ...
