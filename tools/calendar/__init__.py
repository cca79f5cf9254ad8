"""The calendar MCP server (`list_events`, `find_meeting`, `get_event`)."""

from tools.calendar.server import build_server

__all__ = ["build_server"]
