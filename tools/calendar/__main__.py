"""`python -m tools.calendar --transport stdio|http`."""

from tools.calendar.server import build_server
from tools.mcp_common.hosting import run_cli

if __name__ == "__main__":
    run_cli("calendar", build_server)
