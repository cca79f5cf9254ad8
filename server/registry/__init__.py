"""The MCP tool registry: registered servers, contract checks, pins, permissions, runtime guard."""
