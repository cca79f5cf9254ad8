"""Who may use and who may edit an assistant: pure rules, shared by the API, the chat and the gateway."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

EDITOR_ROLES = frozenset({"tool_developer", "ai_admin"})
CREATOR_ROLES = frozenset({"staff", "tool_developer", "ai_admin"})


@dataclass(frozen=True)
class Visitor:
    """The person asking: their Ariane id, roles and service."""

    id: str
    roles: frozenset[str]
    service: str

    @classmethod
    def of(cls, user_id: str, roles: Collection[str], service: str) -> Visitor:
        """A visitor from a user's fields."""
        return cls(user_id, frozenset(str(role) for role in roles), service)


def may_edit(visitor: Visitor, author_id: str | None) -> bool:
    """The author, tool developers and AI administrators edit an assistant."""
    return bool(visitor.roles & EDITOR_ROLES) or (author_id is not None and author_id == visitor.id)


def may_use(
    visitor: Visitor,
    author_id: str | None,
    audience_roles: Collection[str],
    audience_services: Collection[str],
) -> bool:
    """Those who may edit it, and its audience: any listed role and any listed service (empty: all)."""
    if may_edit(visitor, author_id):
        return True
    if audience_roles and not visitor.roles & set(audience_roles):
        return False
    services = {service.casefold() for service in audience_services}
    return not services or visitor.service.casefold() in services
