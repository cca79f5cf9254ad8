"""The mail MCP server (`list_messages`, `search_messages`, `get_message`, `send_mail`)."""

from tools.mail.server import build_server

__all__ = ["build_server"]
