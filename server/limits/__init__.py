"""Limits counted in PostgreSQL, so that every replica sees every call."""
