"""What an assistant may refer to besides models: tool servers and workflows, with French labels."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

ToolSource = Callable[[], Awaitable[Mapping[str, str]]]
"""The tool servers an assistant may refer to now, by name, with their label."""

# The built-in MCP tool servers; the registry adds the servers it has approved (`server.app`).
_BUILTIN_TOOLS = {
    "calendar": "Agenda Outlook (réunions, rendez-vous)",
    "documents": "Documents SharePoint",
    "meetings": "Réunions Teams et transcriptions",
    "knowledge": "Documents de référence de l'assistant",
    "robots": "Robots (RPA)",
}

# Workflows the agents know; `knowledge_question` answers from the assistant's own documents.
WORKFLOWS = {
    "meeting_summary": "Résumé de réunion",
    "document_question": "Question sur les documents SharePoint",
    "tool_agent": "Agent avec outils (modèle requis)",
    "knowledge_question": "Réponse à partir des documents de référence",
    "robot_request": "Demande de lancement d'un robot (avec validation)",
}


def known_tools(registered: Mapping[str, str] | None = None) -> dict[str, str]:
    """Tool servers an assistant may use, by name and label: the built-in and `registered` ones."""
    return dict(_BUILTIN_TOOLS) | dict(registered or {})


async def builtin_tools() -> Mapping[str, str]:
    """The built-in tool servers only (no registry)."""
    return known_tools()


def tool_server(name: str) -> str:
    """The server part of a tool reference (`server` or `server/tool`)."""
    return name.split("/", 1)[0]
