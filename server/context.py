"""What the app's lifespan builds and the request handlers use: one typed object, no globals."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from agents.runner import AgentRunner
from agents.toolbox import ToolConnector
from server.assistants.service import AssistantService
from server.attachments.service import AttachmentService
from server.auth.service import Authenticator
from server.chat.service import ChatService
from server.knowledge.service import KnowledgeService
from server.robots.service import RobotsService
from server.settings import Settings
from tools.database import Pool


@dataclass(frozen=True)
class AppContext:
    """Long-lived collaborators of one server process."""

    settings: Settings
    pool: Pool
    http: httpx.AsyncClient
    auth: Authenticator
    issuer: str
    chat: ChatService
    agents: AgentRunner  # the chat's runner, unless a test gave the chat another
    tools: ToolConnector
    knowledge: KnowledgeService
    attachments: AttachmentService | None = None
    assistants: AssistantService | None = None
    robots: RobotsService | None = None
    # Documents come from the embedded tenant, whose SharePoint links open nothing: the web app
    # shows them in its own viewer (production: the SharePoint link, at the cited page).
    local_documents: bool = False
