"""`python -m tools.knowledge --transport stdio|http`."""

from tools.knowledge.server import run

if __name__ == "__main__":
    run()
