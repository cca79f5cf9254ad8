"""Chat: threads, runs streamed as server-sent events, reattach and stop."""
