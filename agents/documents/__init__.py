"""The document question workflow."""
