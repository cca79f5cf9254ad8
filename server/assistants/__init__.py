"""Assistants: definitions with immutable versions, who may use and edit them, and runs bound to them."""
