"""What an assistant may refer to besides models: tool servers and workflows, with French labels."""

from __future__ import annotations

# The built-in MCP tool servers. The tool registry will provide this list (registered, approved
# servers); until then `known_tools` is the one place that answers.
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


def known_tools() -> dict[str, str]:
    """Tool servers an assistant may use, by name, with their French label."""
    return dict(_BUILTIN_TOOLS)


def tool_server(name: str) -> str:
    """The server part of a tool reference (`server` or `server/tool`)."""
    return name.split("/", 1)[0]
