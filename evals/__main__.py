"""`python -m evals`: the evaluation suites (datasets + scorers)."""

import sys

SUITES: dict[str, object] = {}

if __name__ == "__main__":
    if not SUITES:
        print("No evaluation suite is registered yet: the first ones arrive with the agents (meetings).")
    sys.exit(0)
