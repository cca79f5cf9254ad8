"""The documents MCP server (`search_documents`, `read_document`)."""
