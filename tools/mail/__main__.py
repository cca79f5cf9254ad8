"""`python -m tools.mail --transport stdio|http`."""

from tools.mail.server import build_server
from tools.mcp_common.hosting import run_cli

if __name__ == "__main__":
    run_cli("mail", build_server)
