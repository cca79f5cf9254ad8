"""The `ariane` command line."""

from server.cli.main import app, main

__all__ = ["app", "main"]
