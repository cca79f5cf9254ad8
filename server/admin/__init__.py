"""Administration of the gateway: model policy (versioned), service keys, usage."""
