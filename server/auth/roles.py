"""Ariane roles and the default mapping from the embedded tenant's groups to them."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a user may do in Ariane; granted through group membership in the identity provider."""

    STAFF = "staff"
    MANAGER = "manager"
    DIRECTION = "direction"
    TOOL_DEVELOPER = "tool_developer"
    AI_ADMIN = "ai_admin"
    SECURITY = "security"
    AUDITOR = "auditor"
    HEALTH_DATA = "health_data"


# Group object ids of the embedded tenant (tools/tenant/data/directory.json). In production the
# operator sets ARIANE_ROLE_GROUPS to the Entra ID group ids of the hospital.
DEFAULT_ROLE_GROUPS: dict[str, list[Role]] = {
    "285d759f-ae6c-5cac-9036-ec159b5b4b62": [Role.STAFF],
    "3b9dc722-d4eb-56bb-9f0b-c1bdc0c696b7": [Role.MANAGER],
    "920044e5-14be-5506-af4b-160856872ac3": [Role.DIRECTION],
    "006509e8-66ff-5e3e-a8ff-414149bce27f": [Role.TOOL_DEVELOPER],
    "2b75097a-cece-59d3-a5c1-760cc806f079": [Role.AI_ADMIN],
    "c684b17d-8b3b-516c-b932-87305249951e": [Role.SECURITY],
    "7d459a6f-f2d4-556e-8491-d9763cfe4e58": [Role.AUDITOR],
    "0cf79171-9c4f-5552-abbe-3969d7a3f7c7": [Role.HEALTH_DATA],
}


def roles_from_groups(groups: list[str], mapping: dict[str, list[Role]]) -> list[Role]:
    """Roles granted by the given group ids, in a stable order; unknown groups grant nothing."""
    granted = {role for group in groups for role in mapping.get(group, [])}
    return sorted(granted, key=list(Role).index)
