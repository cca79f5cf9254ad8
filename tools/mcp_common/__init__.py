"""Plumbing shared by Ariane's MCP servers: the caller's identity and clock, results, hosting."""

from tools.mcp_common.caller import (
    LANGUAGE_META,
    NOW_META,
    USER_TOKEN_META,
    Caller,
    CallerSource,
    Clock,
    language_of,
    system_clock,
)
from tools.mcp_common.results import (
    ERROR_META,
    READ_ONLY,
    JsonObject,
    ToolFailure,
    failure_from_m365,
    tool_result,
)

__all__ = [
    "ERROR_META",
    "LANGUAGE_META",
    "NOW_META",
    "READ_ONLY",
    "USER_TOKEN_META",
    "Caller",
    "CallerSource",
    "Clock",
    "JsonObject",
    "ToolFailure",
    "failure_from_m365",
    "language_of",
    "system_clock",
    "tool_result",
]
