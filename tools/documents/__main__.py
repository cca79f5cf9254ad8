"""`python -m tools.documents --transport stdio|http`."""

from tools.documents.server import build_server
from tools.mcp_common.hosting import run_cli
from tools.mcp_common.settings import ToolServerSettings

if __name__ == "__main__":
    settings = ToolServerSettings()
    run_cli(
        "documents", lambda graph, callers: build_server(graph, callers, settings.reading), settings=settings
    )
