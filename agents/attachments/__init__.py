"""Questions on the files attached to a conversation."""
