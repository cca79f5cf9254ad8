"""The `ariane` command line."""

from server.cli.audit import audit_app
from server.cli.main import app, main

app.add_typer(audit_app, name="audit")

__all__ = ["app", "main"]
