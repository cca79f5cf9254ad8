"""The meeting summary workflow."""
