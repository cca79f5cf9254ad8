"""Who may read and edit a collection: a small protocol, so that the assistants' access rules plug in.

The default rule until collections are bound to assistants' access lists: any signed-in staff member
reads, tool developers and AI administrators edit.
"""

from __future__ import annotations

from typing import Protocol

from server.auth.roles import Role
from server.auth.schemas import User


class KnowledgeGuard(Protocol):
    """Access to a collection (an assistant's knowledge)."""

    async def may_read(self, user: User, collection: str) -> bool:
        """True when the user may search the collection (else it is invisible: 404)."""
        ...

    async def may_edit(self, user: User, collection: str) -> bool:
        """True when the user may add, re-index and remove documents (else 403)."""
        ...


class RoleKnowledgeGuard:
    """Default: staff read, tool developers and AI administrators edit."""

    async def may_read(self, user: User, collection: str) -> bool:
        """Any signed-in staff member (or an editor)."""
        return user.has_any(Role.STAFF, Role.TOOL_DEVELOPER, Role.AI_ADMIN)

    async def may_edit(self, user: User, collection: str) -> bool:
        """Tool developers and AI administrators."""
        return user.has_any(Role.TOOL_DEVELOPER, Role.AI_ADMIN)
