"""The mail MCP server: the calling user's mailbox (and shared ones they may open), and sending as them."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.types import CallToolResult, ToolAnnotations

from tools.m365 import GraphAccess
from tools.mail import service
from tools.mail.schemas import MailDetail, MailList, MailSent
from tools.mcp_common import READ_ONLY, CallerSource, language_of, tool_result

# Sending acts outside Ariane, once per call, and cannot be undone: the registry holds each call
# until the user confirms exactly what goes.
SENDS = ToolAnnotations(
    read_only_hint=False, destructive_hint=True, idempotent_hint=False, open_world_hint=True
)


def build_server(graph: GraphAccess, callers: CallerSource) -> MCPServer[Any]:
    """The server's tools, acting through `graph` for the caller `callers` finds in each request."""
    server: MCPServer[Any] = MCPServer(
        "mail",
        title="Messagerie",
        instructions="Messagerie Outlook de l'utilisateur : lire, chercher, envoyer (après confirmation).",
        log_level="WARNING",
    )

    @server.tool(annotations=READ_ONLY)
    async def list_messages(
        ctx: Context, folder: str = "inbox", mailbox: str | None = None, top: int = 10
    ) -> Annotated[CallToolResult, MailList]:
        """List the newest messages of a folder of the user's mailbox, newest first.

        `folder`: inbox (default), sentitems, drafts, archive, deleteditems, junkemail.
        `mailbox`: the address of a shared mailbox the user may open (e.g. a service's alerts box);
        omitted, the user's own. `top`: how many (1 to 50).
        """
        return await tool_result(
            lambda: service.messages(graph, callers.of(ctx), folder, mailbox, top), language_of(ctx)
        )

    @server.tool(annotations=READ_ONLY)
    async def search_messages(
        query: str, ctx: Context, mailbox: str | None = None, top: int = 10
    ) -> Annotated[CallToolResult, MailList]:
        """Search the user's messages (every folder) by words of their subject, text or sender.

        `mailbox`: a shared mailbox the user may open; omitted, the user's own.
        """
        return await tool_result(
            lambda: service.messages(graph, callers.of(ctx), "inbox", mailbox, top, query),
            language_of(ctx),
        )

    @server.tool(annotations=READ_ONLY)
    async def get_message(
        id: str, ctx: Context, mailbox: str | None = None
    ) -> Annotated[CallToolResult, MailDetail]:
        """Read one message (its `id` from list_messages or search_messages): recipients and whole text."""
        return await tool_result(
            lambda: service.message(graph, callers.of(ctx), id, mailbox), language_of(ctx)
        )

    @server.tool(annotations=SENDS)
    async def send_mail(
        to: list[str], subject: str, body: str, ctx: Context, cc: list[str] | None = None
    ) -> Annotated[CallToolResult, MailSent]:
        """Send a text message as the user to `to` (addresses), with `cc` in copy.

        The user is asked to confirm the exact message before it leaves; it is sent once.
        """
        return await tool_result(
            lambda: service.send(graph, callers.of(ctx), to, subject, body, cc), language_of(ctx)
        )

    return server
