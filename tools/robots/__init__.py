"""Robots: the catalogue, input validation, the runners (Robot Framework, UiPath) and the MCP server."""
