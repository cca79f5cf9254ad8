"""Files attached to a conversation: read for it only, cited like documents, deleted with it."""
