"""Python keyword libraries of the local robots (Robot Framework imports them by module path)."""
