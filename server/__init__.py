"""Ariane server: chat API, LLM gateway, registry, audit, admin, auth, web app and the `ariane` command."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ariane")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
