"""`python -m evals [SUITE ...] [--scripted] [--split=dev|test]`: run evaluation suites."""

from __future__ import annotations

import asyncio
import sys
import warnings

from evals.runner import print_report, run_suite, suites


def main(argv: list[str]) -> int:
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    scripted = "--scripted" in argv
    split = next((arg.split("=", 1)[1] for arg in argv if arg.startswith("--split=")), None)
    names = [arg for arg in argv if not arg.startswith("--")] or suites()
    unknown = sorted(set(names) - set(suites()))
    if unknown:
        print(f"unknown suite(s): {', '.join(unknown)}; known: {', '.join(suites())}", file=sys.stderr)
        return 2
    for name in names:
        path = print_report(asyncio.run(run_suite(name, scripted=scripted, split=split)))
        print(f"  report: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
