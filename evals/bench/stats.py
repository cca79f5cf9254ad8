"""Percentiles and the printed/JSON report shared by all benchmarks."""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field
from pathlib import Path

REPORTS = Path(__file__).resolve().parents[1] / "reports"


def percentile(samples: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation."""
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class Series:
    """Latencies (milliseconds) of one measured thing."""

    name: str
    samples_ms: list[float] = field(repr=False)

    def summary(self) -> dict[str, float]:
        return {
            "n": len(self.samples_ms),
            "p50_ms": round(percentile(self.samples_ms, 50), 4),
            "p99_ms": round(percentile(self.samples_ms, 99), 4),
            "mean_ms": round(statistics.fmean(self.samples_ms), 4),
        }


@dataclass
class Report:
    """A benchmark's figures: series side by side, and ratios against the reference."""

    benchmark: str
    description: str
    series: list[Series]
    reference: str
    notes: dict[str, object] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        ref = next(s for s in self.series if s.name == self.reference).summary()
        rows = {}
        for s in self.series:
            summary = s.summary()
            summary["p50_ratio_to_reference"] = round(summary["p50_ms"] / ref["p50_ms"], 3)
            summary["p50_added_ms"] = round(summary["p50_ms"] - ref["p50_ms"], 4)
            rows[s.name] = summary
        return {
            "benchmark": self.benchmark,
            "description": self.description,
            "reference": self.reference,
            "series": rows,
            "notes": self.notes,
        }

    def print_and_save(self) -> Path:
        data = self.as_dict()
        print(f"\n== {self.benchmark}: {self.description}")
        print(f"{'series':<34}{'n':>6}{'p50 ms':>10}{'p99 ms':>10}{'x ref p50':>11}{'+ms p50':>10}")
        for name, row in data["series"].items():  # type: ignore[union-attr]
            print(
                f"{name:<34}{row['n']:>6}{row['p50_ms']:>10.3f}{row['p99_ms']:>10.3f}"
                f"{row['p50_ratio_to_reference']:>11.2f}{row['p50_added_ms']:>10.3f}"
            )
        for key, value in self.notes.items():
            print(f"  {key}: {value}")
        REPORTS.mkdir(exist_ok=True)
        path = REPORTS / f"bench-{self.benchmark}.json"
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False))
        return path
