"""Audit trail: spans and recorded content in an append-only, hash-chained store; verify and replay."""
