"""`python -m tools.documents --transport stdio|http`."""

from tools.documents.server import build_server
from tools.mcp_common.hosting import run_cli

if __name__ == "__main__":
    run_cli("documents", build_server)
