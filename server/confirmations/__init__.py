"""Confirmations of held tool calls: the user confirms (or declines) exactly the call the registry held."""
