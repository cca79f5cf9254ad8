"""The knowledge MCP server (`search_knowledge`): an assistant's reference documents, as the user."""
