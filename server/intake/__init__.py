"""Courrier entrant: scanned paper mail imported, read, structured, matched, validated, integrated."""
