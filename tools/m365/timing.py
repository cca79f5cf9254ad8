"""How long Graph calls take, so that benchmarks can tell a tool's own cost from Graph's."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class GraphClock:
    """Adds up the seconds spent awaiting Graph (SDK call, token exchange, the tenant's answer)."""

    seconds: float = 0.0
    calls: int = 0

    def add(self, elapsed: float) -> None:
        """Record one Graph call."""
        self.seconds += elapsed
        self.calls += 1
