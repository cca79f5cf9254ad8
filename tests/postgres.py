"""Helpers for tests that need a database of their own on the embedded server."""

from __future__ import annotations


def url_for_database(server_url: str, name: str) -> str:
    """The URL of database `name` on the server of `server_url` (pgserver gives a socket URI)."""
    before, _, query = server_url.partition("?")
    return f"{before.rsplit('/', 1)[0]}/{name}?{query}"
