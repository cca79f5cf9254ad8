"""Benchmarks: each measures Ariane side by side with a reference in the same run."""
