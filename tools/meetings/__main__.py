"""`python -m tools.meetings --transport stdio|http`."""

from tools.mcp_common.hosting import run_cli
from tools.meetings.server import build_server

if __name__ == "__main__":
    run_cli("meetings", build_server)
