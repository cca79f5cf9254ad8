"""Ariane tools: MCP servers, the local Microsoft 365 tenant and its identity provider, robot runners."""
