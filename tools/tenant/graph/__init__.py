"""The subset of Microsoft Graph v1.0 that Ariane's tools use, served over the tenant's data."""

from tools.tenant.graph.app import create_graph_app
from tools.tenant.graph.store import Content, load_content

__all__ = ["Content", "create_graph_app", "load_content"]
