"""The meetings MCP server (`get_transcript`, `search_transcript`) and the WebVTT parser."""
